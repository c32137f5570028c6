package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/internal/jobs"
)

// SHUJIAO_UPLOAD_MEMORY sets how many uploads and rescans are profiled at
// once (32 MiB each); unset, 256 MiB (eight); a bad value or one below a
// single upload is refused naming the variable.
func TestUploadMemory_SetsTheSlotsAndRefusesABadValue(t *testing.T) {
	t.Cleanup(func() { jobs.SetProfileBudget(jobs.DefaultProfileBudget) })
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		v     string
		slots int
	}{{"", 8}, {"1GiB", 32}, {"100MiB", 3}, {"33554432", 1}} {
		if err := setUploadMemory(c.v, log); err != nil || jobs.ProfileSlots() != c.slots {
			t.Errorf("%q: %v, %d slots; want %d", c.v, err, jobs.ProfileSlots(), c.slots)
		}
	}
	for _, v := range []string{"lots", "-1", "16MiB"} {
		if err := setUploadMemory(v, log); err == nil || !strings.HasPrefix(err.Error(), "SHUJIAO_UPLOAD_MEMORY: ") {
			t.Errorf("%q: %v, want an error naming SHUJIAO_UPLOAD_MEMORY", v, err)
		}
	}
}
