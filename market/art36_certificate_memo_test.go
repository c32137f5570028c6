package market

import (
	"errors"
	"testing"
	"time"
)

// countingVerifier accepts one signature over one body and counts calls.
type countingVerifier struct {
	body, sig string
	calls     int
}

func (v *countingVerifier) VerifyBytes(data, signature []byte) error {
	v.calls++
	if string(data) != v.body || string(signature) != v.sig {
		return errors.New("bad signature")
	}
	return nil
}

func TestVerifiedMemo_RemembersOnlyWhatVerifiedAndOnlyForItsTime(t *testing.T) {
	v := &countingVerifier{body: `{"release":{"sha256":"ab"}}`, sig: "sig"}
	now := time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)
	m := RememberVerified(v, time.Minute, func() time.Time { return now })
	for range 3 {
		if err := m.VerifyBytes([]byte(v.body), []byte(v.sig)); err != nil {
			t.Fatal(err)
		}
	}
	if v.calls != 1 {
		t.Errorf("three checks of one signature verified %d times, want 1", v.calls)
	}
	for _, c := range []struct{ name, body, sig string }{
		{"a changed body", `{"release":{"sha256":"ac"}}`, "sig"},
		{"a changed signature", v.body, "sig2"},
	} {
		if err := m.VerifyBytes([]byte(c.body), []byte(c.sig)); err == nil {
			t.Errorf("%s was accepted", c.name)
		}
		if err := m.VerifyBytes([]byte(c.body), []byte(c.sig)); err == nil {
			t.Errorf("%s was accepted the second time (a refusal was remembered as a success)", c.name)
		}
	}
	calls := v.calls
	now = now.Add(time.Minute)
	if err := m.VerifyBytes([]byte(v.body), []byte(v.sig)); err != nil || v.calls != calls+1 {
		t.Errorf("after its time to live: err %v, %d verifications, want the verifier asked again", err, v.calls-calls)
	}
	v.sig = "rotated" // the verifier no longer accepts it
	now = now.Add(2 * time.Minute)
	if err := m.VerifyBytes([]byte(v.body), []byte("sig")); err == nil {
		t.Error("a signature the verifier now refuses was still accepted after the time to live")
	}
}
