package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/internal/pgp"
)

// deliveryFixture is a certified release sealed as the server seals an
// order's delivery: a flat tar of the release, the certificate, its
// signature and the platform key, encrypted to the buyer and signed by the
// platform.
type deliveryFixture struct {
	gateFixture
	buyer            *pgp.Key
	platform         *pgp.Key
	buyerKeyFile     string
	platformKeyFile  string
	cert, sig, rname string
}

func newDeliveryFixture(t *testing.T) deliveryFixture {
	t.Helper()
	g := newGateFixture(t)
	cert, sig := g.certify(t)
	platform, err := pgp.LoadPlatformKey(g.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	buyer, err := pgp.Generate("陕西秦川物流有限公司", "data@qinchuan.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	f := deliveryFixture{gateFixture: g, buyer: buyer, platform: platform, cert: cert, sig: sig, rname: filepath.Base(g.release),
		buyerKeyFile: filepath.Join(g.dir, "buyer-secret.asc"), platformKeyFile: filepath.Join(g.dir, "platform.asc")}
	priv, _ := buyer.ArmoredPrivate()
	pub, _ := platform.ArmoredPublic()
	os.WriteFile(f.buyerKeyFile, priv, 0o600)
	os.WriteFile(f.platformKeyFile, pub, 0o644)
	return f
}

type tarEntry struct {
	name string
	body []byte
}

// seal writes the entries as a tar, encrypted to the buyer and signed by
// signer, into a file and returns its path.
func (f deliveryFixture) seal(t *testing.T, signer *pgp.Key, entries ...tarEntry) string {
	t.Helper()
	return sealTo(t, f.buyer.Public(), signer, entries...)
}

// sealTo writes the entries as a tar, encrypted to recipient and signed by
// signer, into a file and returns its path.
func sealTo(t *testing.T, recipient, signer *pgp.Key, entries ...tarEntry) string {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.body)
	}
	tw.Close()
	var msg bytes.Buffer
	if err := pgp.Encrypt(&msg, &tb, "order.tar", recipient, signer); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "order.tar.asc")
	if err := os.WriteFile(p, msg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func (f deliveryFixture) entries(t *testing.T) []tarEntry {
	t.Helper()
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []tarEntry{{f.rname, read(f.release)}, {"certificate.json", read(f.cert)}, {"certificate.json.asc", read(f.sig)},
		{"platform-key.asc", read(f.platformKeyFile)}}
}

func TestOpenDelivery_TianjinArt29_BuyerDecryptsVerifiesAndUnpacks(t *testing.T) {
	f := newDeliveryFixture(t)
	delivery := f.seal(t, f.platform, f.entries(t)...)
	out := filepath.Join(t.TempDir(), "order")
	code, stdout, stderr := shujiaoCLI(t, "open-delivery", delivery, "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	var res struct {
		Valid   bool
		Files   []string
		Level   string
		Signer  string
		Release struct{ Name, SHA256 string }
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Valid || res.Release.Name != f.rname || res.Signer != f.platform.Fingerprint() || len(res.Files) != 4 || res.Level == "" {
		t.Fatalf("result %+v", res)
	}
	got, _ := os.ReadFile(filepath.Join(out, f.rname))
	want, _ := os.ReadFile(f.release)
	if !bytes.Equal(got, want) {
		t.Fatalf("unpacked release differs from the certified one (%d vs %d bytes)", len(got), len(want))
	}
	t.Run("the platform key under --data-dir is the default signer", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "order")
		code, stdout, stderr := shujiaoCLI(t, "open-delivery", delivery, "--key", f.buyerKeyFile, "--data-dir", f.dataDir, "--out", out)
		if code != 0 || !strings.HasPrefix(stdout, "OK ") {
			t.Fatalf("exit %d: %s%s", code, stdout, stderr)
		}
	})
	t.Run("a key protected by a passphrase is unlocked from --passphrase-file", func(t *testing.T) {
		k, err := pgp.LoadKeyFile(f.buyerKeyFile)
		if err != nil {
			t.Fatal(err)
		}
		k.Protect([]byte("qinchuan 2026"))
		armored, _ := k.ArmoredPrivate()
		dir := t.TempDir()
		keyFile, passFile := filepath.Join(dir, "locked.asc"), filepath.Join(dir, "pass")
		os.WriteFile(keyFile, armored, 0o600)
		os.WriteFile(passFile, []byte("wrong\n"), 0o600)
		args := []string{"open-delivery", delivery, "--key", keyFile, "--signer", f.platformKeyFile, "--out", filepath.Join(dir, "o")}
		if code, _, stderr := shujiaoCLI(t, args...); code != 2 || !strings.Contains(stderr, "passphrase") {
			t.Fatalf("no passphrase: exit %d: %s", code, stderr)
		}
		if code, _, stderr := shujiaoCLI(t, append(args, "--passphrase-file", passFile)...); code != 2 || !strings.Contains(stderr, "does not unlock") {
			t.Fatalf("wrong passphrase: exit %d: %s", code, stderr)
		}
		os.WriteFile(passFile, []byte("qinchuan 2026\n"), 0o600)
		if code, stdout, stderr := shujiaoCLI(t, append(args, "--passphrase-file", passFile)...); code != 0 {
			t.Fatalf("right passphrase: exit %d: %s%s", code, stdout, stderr)
		}
	})
}

// Each refusal leaves nothing under --out and names the reason in one line.
func TestOpenDelivery_TianjinArt29_RefusesWhatThePlatformDidNotCertify(t *testing.T) {
	f := newDeliveryFixture(t)
	good := f.entries(t)
	mallory, err := pgp.Generate("Mallory", "mallory@example.test")
	if err != nil {
		t.Fatal(err)
	}
	changed := append([]tarEntry(nil), good...)
	changed[0] = tarEntry{f.rname, append([]byte("姓名\n张三\n"), good[0].body...)}
	malloryCert, _ := mallory.SignBytes(good[1].body)
	forged := append([]tarEntry(nil), good...)
	forged[2] = tarEntry{"certificate.json.asc", malloryCert}
	cases := []struct {
		name, delivery, want string
	}{
		{"signed by another key", f.seal(t, mallory, good...), "not signed by the platform key"},
		{"the release changed after certification", f.seal(t, f.platform, changed...), "not the certified release"},
		{"the certificate signed by another key", f.seal(t, f.platform, forged...), "does not verify"},
		{"no certificate", f.seal(t, f.platform, good[0]), "has no certificate.json"},
		{"an entry escaping the directory", f.seal(t, f.platform, append(good, tarEntry{"../evil.sh", []byte("rm -rf /")})...), "not a plain file"},
		{"the release missing", f.seal(t, f.platform, good[1:]...), "lacks the certified release"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "order")
			code, stdout, stderr := shujiaoCLI(t, "open-delivery", c.delivery, "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", out)
			if code != 1 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("exit %d, stderr %q, stdout %q; want exit 1 naming %q", code, stderr, stdout, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("--out %s exists after a refusal", out)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".open-delivery-*")); len(left) > 0 {
				t.Fatalf("temporary directories left: %v", left)
			}
		})
	}
	t.Run("bad invocations are exit 2", func(t *testing.T) {
		delivery := f.seal(t, f.platform, good...)
		full := t.TempDir()
		os.WriteFile(filepath.Join(full, "x"), nil, 0o644)
		for _, args := range [][]string{
			{"open-delivery", delivery, "--key", f.platformKeyFile, "--signer", f.platformKeyFile, "--out", filepath.Join(t.TempDir(), "o")},
			{"open-delivery", delivery, "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", full},
			{"open-delivery", delivery, "--key", f.buyerKeyFile, "--data-dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "o")},
			{"open-delivery", delivery + ".missing", "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", filepath.Join(t.TempDir(), "o")},
			{"open-delivery", delivery, "--signer", f.platformKeyFile, "--out", filepath.Join(t.TempDir(), "o")},
			{"open-delivery", sealTo(t, mallory.Public(), f.platform, good...), "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", filepath.Join(t.TempDir(), "o")},
		} {
			if code, _, stderr := shujiaoCLI(t, args...); code != 2 || stderr == "" {
				t.Errorf("%v: exit %d, %q; want 2", args[2:], code, stderr)
			}
		}
	})
}

// A buyer's key as GnuPG makes and exports it (passphrase-protected,
// Ed25519 with a Curve25519 subkey) opens a delivery.
func TestOpenDelivery_TianjinArt29_SecretKeyExportedByGnuPG(t *testing.T) {
	gpg, err := exec.LookPath("gpg")
	if err != nil {
		t.Skip("gpg is not installed (apt-get install gnupg)")
	}
	f := newDeliveryFixture(t)
	home := filepath.Join(t.TempDir(), "gnupg")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { exec.Command("gpgconf", "--homedir", home, "--kill", "gpg-agent").Run() })
	const uid, pass = "data@qinchuan.example.cn", "秦川 2026"
	gpgRun := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(gpg, append([]string{"--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", pass}, args...)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("gpg %s: %v: %s", strings.Join(args, " "), err, errb.String())
		}
		return out.Bytes()
	}
	gpgRun("--quick-gen-key", "Qinchuan Logistics <"+uid+">", "future-default", "default", "never")
	pub, err := pgp.ParsePublicKey(string(gpgRun("--armor", "--export", uid)))
	if err != nil {
		t.Fatalf("the public key GnuPG exported: %v", err)
	}
	dir := t.TempDir()
	keyFile, passFile := filepath.Join(dir, "secret.asc"), filepath.Join(dir, "pass.txt")
	os.WriteFile(keyFile, gpgRun("--armor", "--export-secret-keys", uid), 0o600)
	os.WriteFile(passFile, []byte(pass+"\n"), 0o600)
	delivery := sealTo(t, pub, f.platform, f.entries(t)...)
	out := filepath.Join(dir, "order")
	code, stdout, stderr := shujiaoCLI(t, "open-delivery", delivery, "--key", keyFile, "--passphrase-file", passFile, "--signer", f.platformKeyFile, "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "OK ") {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(out, f.rname))
	want, _ := os.ReadFile(f.release)
	if !bytes.Equal(got, want) {
		t.Fatal("the unpacked release differs from the certified one")
	}
}
