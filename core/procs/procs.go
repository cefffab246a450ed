// Package procs sets up the Go runtime of the process that decides the
// doors' taps and also answers other work (API calls, timesheets,
// reports, searches).
//
// Every thread of that process keeps the process's scheduling priority.
// A thread of lower priority (the idle class, or nice 19) must still be
// given a processor before the garbage collector can stop the world, and
// while it waits every thread waits with it, a tap's included: with other
// programs keeping the processors busy, such a stop took up to 470 ms
// (BenchmarkTapToRelayUnderClients, its "pc" turn). The calls are
// bounded instead (httpapi.Options.MaxCalls), and the kernel shares the
// processors fairly between them and the taps.
package procs

import (
	"os"
	"runtime"
	"runtime/debug"
)

// Cores is the processors the work may use at once: the machine's, or
// fewer when GOMAXPROCS says so (Reserve raises GOMAXPROCS above them).
func Cores() int { return max(1, min(runtime.NumCPU(), runtime.GOMAXPROCS(0))) }

// Reserve sets the Go runtime up for a process that decides taps and also
// answers other work, and returns what puts it back. Go's scheduler has
// no priorities: with as many of its processors (GOMAXPROCS) as cores, a
// tap's goroutine that wakes while calls hold them all waits in Go's run
// queue for up to a 10 ms time slice. Reserve raises GOMAXPROCS to four
// per core (at least 8), so that a tap always finds one and the kernel,
// which shares the cores by time slices of about a millisecond and runs a
// thread that wakes soon, does the sharing; Cores still counts the real
// ones, which the work spreads over. It also makes the garbage collector
// run less often (GOGC 400, within a soft limit of 1 GiB): each of its
// cycles briefly stops every thread, the taps' too. An explicit
// GOMAXPROCS, GOGC or GOMEMLIMIT in the environment is kept. Call it
// once, where the doors run.
func Reserve() (restore func()) {
	procs, gc, limit := 0, -2, int64(-1) // 0, -2, -1: not changed
	if os.Getenv("GOMAXPROCS") == "" {
		procs = runtime.GOMAXPROCS(max(8, 4*runtime.NumCPU()))
	}
	if os.Getenv("GOGC") == "" {
		gc = debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(1 << 30)
	}
	return func() {
		if procs > 0 {
			runtime.GOMAXPROCS(procs)
		}
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
