package anonymizer

import (
	"testing"
	"unsafe"
)

func TestHugePages_AdviceCoversWholeHugePagesAndCanBeTurnedOff(t *testing.T) {
	type call struct{ start, n uintptr }
	var calls []call
	madvise = func(b []byte, advice int) error {
		if advice != 14 {
			t.Errorf("advice %d, want MADV_HUGEPAGE (14)", advice)
		}
		calls = append(calls, call{uintptr(unsafe.Pointer(&b[0])), uintptr(len(b))})
		return nil
	}
	t.Cleanup(func() { madvise = defaultMadvise; SetHugePages(true) })

	buf := make([]byte, 8<<20)
	p := unsafe.Pointer(&buf[0])
	adviseHuge(p, len(buf))
	if len(calls) != 1 {
		t.Fatalf("%d calls for 8 MiB, want 1", len(calls))
	}
	c := calls[0]
	lo, hi := uintptr(p), uintptr(p)+uintptr(len(buf))
	if c.start%hugePage != 0 || c.n%hugePage != 0 || c.start < lo || c.start+c.n > hi || c.n < uintptr(len(buf))-2*hugePage {
		t.Errorf("advised [%#x, +%d) for [%#x, %#x): want the whole 2 MiB pages inside it", c.start, c.n, lo, hi)
	}

	calls = nil
	adviseHuge(p, hugePageMin-1)
	if len(calls) != 0 {
		t.Errorf("a small array was advised")
	}
	SetHugePages(false)
	adviseHuge(p, len(buf))
	if len(calls) != 0 {
		t.Errorf("advised with the advice turned off")
	}
	SetHugePages(true)
	adviseHuge(p, len(buf))
	if len(calls) != 1 {
		t.Errorf("not advised once turned back on")
	}
}
