package anonymizer

import (
	"syscall"
	"testing"
	"time"
)

// cpuMeter measures the process's CPU time (user + system, all threads,
// garbage collector included) over a benchmark loop, so that throughput can
// be reported per CPU second: on a shared machine wall time measures the
// neighbours as much as the code.
type cpuMeter struct{ start time.Duration }

func startCPU() cpuMeter { return cpuMeter{processCPU()} }

// report adds the metric "MB/cpu-s": bytesPerOp × b.N per CPU second.
func (m cpuMeter) report(b *testing.B, bytesPerOp int64) {
	cpu := processCPU() - m.start
	if cpu > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
