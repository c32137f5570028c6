package main

import (
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/jobs"
)

func TestSealWorkers_OnePerCoreUnlessSetAndABadValueIsRefused(t *testing.T) {
	for _, tc := range []struct {
		env   string
		cores int
		want  int
	}{
		{"", 2, 2}, {"", 1, 1}, {"", 8, 8}, {"", 0, 1}, {"3", 2, 3}, {"256", 2, 256},
	} {
		got, err := sealWorkers(tc.env, tc.cores)
		if err != nil || got != tc.want {
			t.Errorf("sealWorkers(%q, %d) = %d, %v; want %d", tc.env, tc.cores, got, err, tc.want)
		}
	}
	for _, env := range []string{"0", "-1", "two", "1.5", "257"} {
		if _, err := sealWorkers(env, 2); err == nil || !strings.Contains(err.Error(), "SHUJIAO_SEAL_WORKERS") {
			t.Errorf("sealWorkers(%q) = %v, want an error naming SHUJIAO_SEAL_WORKERS", env, err)
		}
	}
}

func TestSealYield_DefaultsZeroNeverWaitsAndABadValueIsRefused(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want time.Duration
	}{
		{"", jobs.DefaultSealYield}, {"0", -1}, {"0s", -1}, {"100ms", 100 * time.Millisecond}, {"1m", time.Minute},
	} {
		got, err := sealYield(tc.env)
		if err != nil || got != tc.want {
			t.Errorf("sealYield(%q) = %v, %v; want %v", tc.env, got, err, tc.want)
		}
	}
	for _, env := range []string{"-1s", "soon", "250", "2m"} {
		if _, err := sealYield(env); err == nil || !strings.Contains(err.Error(), "SHUJIAO_SEAL_YIELD") {
			t.Errorf("sealYield(%q) = %v, want an error naming SHUJIAO_SEAL_YIELD", env, err)
		}
	}
}
