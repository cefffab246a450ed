package core_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"frontdesk/core"
)

// TestSpreadRunsEveryPartAtOnce checks that Spread runs each part once,
// all at the same time (each waits for the others), for several counts.
func TestSpreadRunsEveryPartAtOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 64} {
		seen := make([]int32, n)
		var arrived atomic.Int64
		release := make(chan struct{})
		core.Spread(n, func(i int) {
			atomic.AddInt32(&seen[i], 1)
			if arrived.Add(1) == int64(n) {
				close(release)
			}
			<-release
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: part %d ran %d times, want once", n, i, c)
			}
		}
	}
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
