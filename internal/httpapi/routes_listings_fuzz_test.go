package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// FuzzListingInput feeds arbitrary JSON objects and merge patches to the
// listing request parser. Invariants: no panic; every error is a
// market.Error naming what is wrong; an accepted declaration survives a
// round trip through its JSON unchanged.
func FuzzListingInput(f *testing.F) {
	base, _ := json.Marshal(ownDataDeclaration("种子 seed"))
	f.Add(base, []byte(`{"title": "新标题", "price": "99.50"}`))
	f.Add(base, []byte(`{"sources": null}`))
	f.Add(base, []byte(`{"sources": [{"origin": "contract_licensed", "disclosure": "non_public", "authorization": {"valid_from": "2026-02-30"}}]}`))
	f.Add([]byte(`{}`), []byte(`{"price": 1e9}`))
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		var d, p map[string]json.RawMessage
		if json.Unmarshal(doc, &d) != nil || json.Unmarshal(patch, &p) != nil {
			return
		}
		merged, err := mergePatch(d, p)
		if err != nil {
			if _, ok := err.(*market.Error); !ok {
				t.Fatalf("merge error %T %v is not a market.Error", err, err)
			}
			return
		}
		in, err := listingInput(merged)
		if err != nil {
			if _, ok := err.(*market.Error); !ok {
				t.Fatalf("error %T %v is not a market.Error", err, err)
			}
			return
		}
		b, err := json.Marshal(in.Declaration)
		if err != nil {
			t.Fatal(err)
		}
		again, err := market.ParseListing(b)
		if err != nil {
			t.Fatalf("an accepted declaration does not parse again: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(again, in.Declaration) {
			t.Fatalf("round trip changed the declaration:\n%+v\n%+v", in.Declaration, again)
		}
	})
}
