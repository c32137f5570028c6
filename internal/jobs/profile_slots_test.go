package jobs

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// firstRead signals on its channel the first time it is read.
type firstRead struct {
	r    io.Reader
	read chan struct{}
	once bool
}

func (f *firstRead) Read(p []byte) (int, error) {
	if !f.once {
		f.once = true
		close(f.read)
	}
	return f.r.Read(p)
}

// Each upload's memory is bounded, and the profile budget bounds them all:
// with room for one profiling pass, a second upload does not read a byte
// of its body while the first runs, proceeds once it ends, and one whose
// client goes away while it waits stops with the context's error.
// (Not parallel: it narrows the process's budget.)
func TestStoreUpload_UploadsWaitForASlotWithinTheBudget(t *testing.T) {
	SetProfileBudget(ProfileMemory)
	t.Cleanup(func() { SetProfileBudget(DefaultProfileBudget) })
	if n := ProfileSlots(); n != 1 {
		t.Fatalf("%d slots, want 1", n)
	}
	blobs, _ := mustBlobs(t)
	ctx := context.Background()
	table := "id,city\n1,xa\n2,bj\n"

	pr, pw := io.Pipe()
	hold, reading := make(chan struct{}), make(chan struct{})
	go func() {
		_, _ = pw.Write([]byte(table)) // returns once the first upload reads: it holds the slot
		close(reading)
		<-hold
		pw.Close()
	}()
	first := make(chan error, 1)
	go func() { _, _, err := StoreUpload(ctx, blobs, "a.csv", pr); first <- err }()
	<-reading

	second := &firstRead{r: strings.NewReader(table), read: make(chan struct{})}
	done := make(chan error, 1)
	go func() { _, _, err := StoreUpload(ctx, blobs, "b.csv", second); done <- err }()
	select {
	case <-second.read:
		t.Fatal("the second upload read its body while the first held the only slot")
	case <-time.After(300 * time.Millisecond):
	}

	gone, cancel := context.WithCancel(ctx)
	third := make(chan error, 1)
	go func() {
		_, _, err := StoreUpload(gone, blobs, "c.csv", strings.NewReader(table))
		third <- err
	}()
	cancel()
	if err := <-third; !errors.Is(err, context.Canceled) {
		t.Errorf("an upload whose client went away while waiting: %v, want context.Canceled", err)
	}

	close(hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	select {
	case <-second.read:
	case <-time.After(10 * time.Second):
		t.Fatal("the second upload did not start once the slot was free")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
