package core_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/procs"
)

// TestSpreadRunsEveryPartOnceWithinTheWidth checks that Spread runs each
// part once, for several counts, with as many at the same time as the
// work other than the doors' may keep processors busy (procs.Width) and
// never more.
func TestSpreadRunsEveryPartOnceWithinTheWidth(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 64} {
		want := min(n, procs.Width())
		seen, most := spreadPeak(n, want, time.Second)
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: part %d ran %d times, want once", n, i, c)
			}
		}
		if most != want {
			t.Fatalf("n=%d: %d parts ran at the same time, want %d (width %d)", n, most, want, procs.Width())
		}
	}
}

// TestSpreadTakesOnlyFreeTurns checks that a large read spreads only over
// the turns no call holds: with every turn taken, as when the API's calls
// keep the processors they may use busy, Spread runs every part on its
// caller's goroutine, one after the other, and does not wait for a turn;
// with one turn free, it runs two parts at once.
func TestSpreadTakesOnlyFreeTurns(t *testing.T) {
	var held []func()
	defer func() {
		for _, done := range held {
			done()
		}
	}()
	for {
		done, ok := procs.Spare()
		if !ok {
			break
		}
		held = append(held, done)
	}
	if len(held) != procs.Width() {
		t.Fatalf("took %d turns, want the width %d", len(held), procs.Width())
	}
	if seen, most := spreadPeak(16, 2, 20*time.Millisecond); most != 1 || len(seen) != 16 {
		t.Fatalf("with every turn held: %d parts at once, want 1", most)
	}
	if procs.Width() < 2 {
		t.Log("one processor for the work other than the doors': the half with a turn free needs two")
		return
	}
	held[0]()
	held = held[1:]
	if _, most := spreadPeak(4, 2, time.Second); most != 2 {
		t.Fatalf("with one turn free: %d parts at once, want 2", most)
	}
}

// spreadPeak runs n parts through Spread, each waiting until want of them
// run together, or no part is left to join, or for patience (long enough
// that the others would have started had Spread started them). It returns
// how many times each part ran and the most that ran at the same time.
func spreadPeak(n, want int, patience time.Duration) (seen []int32, most int) {
	seen = make([]int32, n)
	var running, peak, started atomic.Int64
	core.Spread(n, func(i int) {
		atomic.AddInt32(&seen[i], 1)
		started.Add(1)
		now := running.Add(1)
		defer running.Add(-1)
		for m := peak.Load(); now > m && !peak.CompareAndSwap(m, now); m = peak.Load() {
		}
		for end := time.Now().Add(patience); running.Load() < int64(want) && started.Load() < int64(n) && time.Now().Before(end); {
			time.Sleep(time.Millisecond)
		}
	})
	return seen, int(peak.Load())
}

// TestSpreadRaisesAPartsPanicInTheCaller checks that a panic in any part
// reaches the caller, after every part has ended, with the part's value
// and its stack, instead of ending the process; the panic prints as the
// value alone (what an API call's 500 says).
func TestSpreadRaisesAPartsPanicInTheCaller(t *testing.T) {
	for _, bad := range []int{0, 3, 7} {
		var ended atomic.Int64
		got := func() (v any) {
			defer func() { v = recover() }()
			core.Spread(8, func(i int) {
				defer ended.Add(1)
				if i == bad {
					panic(fmt.Sprintf("part %d broke", i))
				}
			})
			return nil
		}()
		if ended.Load() != 8 {
			t.Fatalf("bad=%d: %d parts ended before the panic reached the caller, want 8", bad, ended.Load())
		}
		p, ok := got.(*core.PartPanic)
		if !ok {
			t.Fatalf("bad=%d: recovered %T %v, want *core.PartPanic", bad, got, got)
		}
		if s, want := fmt.Sprint(p), fmt.Sprintf("part %d broke", bad); s != want {
			t.Fatalf("bad=%d: the panic says %q, want %q", bad, s, want)
		}
		if !strings.Contains(string(p.Stack), "spread_test.go") {
			t.Fatalf("bad=%d: the stack %q is not the part's", bad, p.Stack)
		}
	}
}
