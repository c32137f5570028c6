package jobs

import (
	"context"
	"sync"
)

// ProfileMemory is the memory one profiling pass may take — an upload's,
// or a rescan's (Scanner): its sample of at most 10,000 rows and 4 MiB of
// text, decoded, and the parser's buffers. The upload tests hold one to
// 24 MB of heap; the slot counts 32 MiB.
const ProfileMemory = 32 << 20

// DefaultProfileBudget is the memory all profiling passes of a process may
// take at once unless SetProfileBudget says otherwise (serve:
// SHUJIAO_UPLOAD_MEMORY): eight at a time.
const DefaultProfileBudget = 256 << 20

// profileSlots admits profiling passes within the budget: each takes one
// slot of ProfileMemory, and one that finds none free waits — its upload's
// body unread, so its client is held back by TCP — until a slot frees or
// its request ends. One upload's memory is bounded whatever its size;
// the slots bound them all, so that a hundred uploads at once do not add
// up to more than the budget.
type profileSlots struct {
	mu    sync.Mutex
	slots chan struct{}
}

var slots = newProfileSlots(DefaultProfileBudget)

func newProfileSlots(budget int64) *profileSlots {
	return &profileSlots{slots: make(chan struct{}, max(1, budget/ProfileMemory))}
}

// SetProfileBudget sets the memory all profiling passes may take at once
// (at least one pass runs, whatever the budget). Passes running keep
// their slots; call it before serving.
func SetProfileBudget(budget int64) {
	s := newProfileSlots(budget)
	slots.mu.Lock()
	defer slots.mu.Unlock()
	slots.slots = s.slots
}

// ProfileSlots returns how many profiling passes run at once.
func ProfileSlots() int {
	slots.mu.Lock()
	defer slots.mu.Unlock()
	return cap(slots.slots)
}

// acquire takes a slot, waiting until one frees or ctx ends (ctx's error).
func (p *profileSlots) acquire(ctx context.Context) (release func(), err error) {
	p.mu.Lock()
	ch := p.slots
	p.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
