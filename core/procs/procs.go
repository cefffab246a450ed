// Package procs sets up the Go runtime of the process that decides the
// doors' taps and also answers other work (API calls, timesheets,
// reports, searches).
//
// Every thread of that process keeps the process's scheduling priority,
// but for the readers' (Raise), which are raised above it. A thread of
// lower priority (the idle class, or nice 19) must still be
// given a processor before the garbage collector can stop the world, and
// while it waits every thread waits with it, a tap's included: with other
// programs keeping the processors busy, such a stop took up to 470 ms
// (BenchmarkTapToRelayUnderClients, its "pc" turn). The other work is
// bounded instead: in such a process it keeps at most one core fewer than
// the machine has busy (Turn, Spare), so that the readers, the decisions,
// the commits' syncs and the relays always find one free.
package procs

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// Cores is the processors the work may use at once: the machine's, or
// fewer when GOMAXPROCS says so (Reserve raises GOMAXPROCS above them).
func Cores() int { return max(1, min(runtime.NumCPU(), runtime.GOMAXPROCS(0))) }

// turns holds a token for each processor the work other than the doors'
// may keep busy at once: Cores of them, or one fewer (at least one) under
// Reserve. Reserve replaces it; a token goes back to the one it came from.
var turns atomic.Pointer[chan struct{}]

func init() { setWidth(Cores()) }

func setWidth(n int) {
	ch := make(chan struct{}, max(1, n))
	turns.Store(&ch)
}

// Width is how many processors the work other than the doors' may keep
// busy at once: the API's calls with the parts they spread over, a
// timesheet's, a search's.
func Width() int { return cap(*turns.Load()) }

// Turn waits for one of the Width turns, or for ctx to end, and returns
// what gives it back. An API call holds one while it works.
func Turn(ctx context.Context) (done func(), err error) {
	ch := *turns.Load()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Spare takes a turn if one is free at once: a large read takes it for
// each part it runs beside its own goroutine, and runs the rest itself.
func Spare() (done func(), ok bool) {
	ch := *turns.Load()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, true
	default:
		return nil, false
	}
}

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
// GOMAXPROCS, GOGC or GOMEMLIMIT in the environment is kept. The work
// other than the doors' gets one core fewer than the machine has (at
// least one; Width). Call it once, where the doors run, before that work
// starts.
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
	width := Width()
	setWidth(Cores() - 1)
	return func() {
		setWidth(width)
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
