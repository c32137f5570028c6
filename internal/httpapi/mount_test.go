package httpapi

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/market"
)

func TestMount_PassesTheCallerOnTheContext(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	w.srv.Mount("/ui/", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		a, ok := market.ActorFromContext(r.Context())
		fmt.Fprintf(rw, "%s %v %s", r.URL.Path, ok, a.PartyID)
	}))
	tests := []struct {
		name, path, token, want string
	}{
		{"an anonymous page request reaches the handler", "/ui/catalog", "", "/ui/catalog false " + market.PartyID{}.String()},
		{"the prefix itself reaches the handler", "/ui", "", "/ui false " + market.PartyID{}.String()},
		{"an authenticated request carries its actor", "/ui/orders/1", w.tokenA, "/ui/orders/1 true " + w.partyA.ID.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := w.do(t, req{method: "GET", path: tt.path, token: tt.token})
			if rec.Code != 200 || rec.Body.String() != tt.want {
				t.Fatalf("got %d %q, want %q", rec.Code, rec.Body, tt.want)
			}
			if rec.Header().Get(requestIDHeader) == "" {
				t.Error("a mounted handler's response has no request id")
			}
		})
	}
}
