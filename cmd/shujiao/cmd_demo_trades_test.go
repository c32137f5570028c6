package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/pgp"
)

// TestDelivery_DemoBuyerDecryptsAndVerifiesWithTheCLI is the buyer's whole
// path on the demo world: the demo's paid order of the certified dataset,
// a key registered through the API, the delivery downloaded, decrypted
// with the buyer's private key and checked as signed by the platform key,
// then `shujiao verify-certificate` on the archive's files.
func TestDelivery_DemoBuyerDecryptsAndVerifiesWithTheCLI(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var demoOut, demoErr bytes.Buffer
	if err := run(ctx, []string{"demo", "--data-dir", dir, "--json"}, nil, &demoOut, &demoErr); err != nil {
		t.Fatalf("demo: %v\n%s", err, demoErr.String())
	}
	var demo struct {
		Accounts []struct {
			Key, Token string
			Party      struct{ ID string }
		}
	}
	if err := json.Unmarshal(demoOut.Bytes(), &demo); err != nil {
		t.Fatal(err)
	}
	var token, party string
	for _, a := range demo.Accounts {
		if a.Key == "buyer-a" {
			token, party = a.Token, a.Party.ID
		}
	}

	serveCtx, stop := context.WithCancel(ctx)
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(serveCtx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, nil, outW, io.Discard)
		outW.Close()
	}()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	base := strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on ")) + "/v1"
	call := func(method, path string, body any, out any) {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequestWithContext(ctx, method, base+path, r)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		if p, ok := out.(*[]byte); ok {
			*p = b
		} else if out != nil {
			if err := json.Unmarshal(b, out); err != nil {
				t.Fatal(err)
			}
		}
	}

	var orders struct {
		Orders []struct {
			ID, State string
		}
	}
	call(http.MethodGet, "/orders?as=buyer&state=paid", nil, &orders)
	// The demo leaves buyer A's order of the certified dataset paid, in escrow.
	if len(orders.Orders) != 1 {
		t.Fatalf("buyer A's paid orders: %+v, want the one of the certified dataset", orders)
	}
	paid := orders.Orders[0].ID
	key, err := pgp.Generate("陕西秦川物流有限公司", "data@qinchuan.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := key.ArmoredPublic()
	call(http.MethodPut, "/parties/"+party+"/pgp-key", map[string]string{"armored": string(pub)}, nil)
	var link struct {
		DownloadURL string `json:"download_url"`
		Release     string `json:"release"`
	}
	// the delivery is sealed in the background: 202 until it is ready
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/orders/"+paid+"/delivery", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted || time.Now().After(deadline) {
			break
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Fatal("202 without Retry-After")
		}
	}
	call(http.MethodGet, "/orders/"+paid+"/delivery", nil, &link)
	var message []byte
	call(http.MethodGet, strings.TrimPrefix(link.DownloadURL, "/v1"), nil, &message)

	var exported bytes.Buffer
	if err := run(ctx, []string{"keys", "export", "--data-dir", dir}, nil, &exported, io.Discard); err != nil {
		t.Fatalf("keys export: %v", err)
	}
	platform, err := pgp.ReadKey(&exported)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := pgp.Decrypt(bytes.NewReader(message), key, platform)
	if err != nil {
		t.Fatalf("decrypt with the buyer's key, signed by the platform key: %v", err)
	}
	out := t.TempDir()
	tr := tar.NewReader(bytes.NewReader(plain))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if err := os.WriteFile(filepath.Join(out, filepath.Base(h.Name)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f := func(name string) string { return filepath.Join(out, name) }
	// The certificate covers the release; the buyer's file is the order's
	// fingerprinted copy of it, which copy.json names by both hashes.
	var verified, verr bytes.Buffer
	err = run(ctx, []string{"verify-certificate", f("certificate.json"), "--signature", f("certificate.json.asc"),
		"--release", f(link.Release), "--key", f("platform-key.asc")}, nil, &verified, &verr)
	if err == nil {
		t.Fatal("verify-certificate accepts the delivered file as the certified release: it is not fingerprinted")
	}
	if _, err := os.Stat(f("copy.json")); err != nil {
		t.Fatalf("the delivery has no copy.json: %v", err)
	}
	// The same in one command: shujiao open-delivery decrypts, checks both
	// signatures and the release, and unpacks.
	sealed, secret := filepath.Join(out, "order.tar.asc"), filepath.Join(out, "buyer-secret.asc")
	armored, _ := key.ArmoredPrivate()
	os.WriteFile(sealed, message, 0o600)
	os.WriteFile(secret, armored, 0o600)
	var opened, oerr bytes.Buffer
	if err := run(ctx, []string{"open-delivery", sealed, "--key", secret, "--data-dir", dir, "--out", filepath.Join(out, "order")},
		nil, &opened, &oerr); err != nil || !strings.HasPrefix(opened.String(), "OK ") {
		t.Fatalf("shujiao open-delivery: %v\n%s%s", err, opened.String(), oerr.String())
	}
	if got, _ := os.ReadFile(filepath.Join(out, "order", link.Release)); !bytes.Equal(got, mustRead(t, f(link.Release))) {
		t.Fatal("open-delivery unpacked another release than the archive's")
	}
	mustTraceDemoLeak(t, ctx, dir, f(link.Release), paid, party)
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
