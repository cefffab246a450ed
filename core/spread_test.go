package core

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSpreadRunsEveryPartAtOnce checks that spread runs each part once,
// all at the same time (each waits for the others), for several counts.
func TestSpreadRunsEveryPartAtOnce(t *testing.T) {
	e := &Engine{log: slog.New(slog.DiscardHandler)}
	for _, n := range []int{0, 1, 2, 7, 64} {
		seen := make([]int32, n)
		var arrived atomic.Int64
		release := make(chan struct{})
		e.spread(n, func(i int) {
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
// (its stack is logged), instead of ending the process.
func TestSpreadRaisesAPartsPanicInTheCaller(t *testing.T) {
	for _, bad := range []int{0, 3, 7} {
		var logged bytes.Buffer
		e := &Engine{log: slog.New(slog.NewTextHandler(&logged, nil))}
		var ended atomic.Int64
		got := func() (v any) {
			defer func() { v = recover() }()
			e.spread(8, func(i int) {
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
		p, ok := got.(*partPanic)
		if !ok {
			t.Fatalf("bad=%d: recovered %T %v, want *partPanic", bad, got, got)
		}
		if s, want := fmt.Sprint(p), fmt.Sprintf("part %d broke", bad); s != want {
			t.Fatalf("bad=%d: the panic says %q, want %q", bad, s, want)
		}
		if l := logged.String(); !strings.Contains(l, fmt.Sprintf("part %d broke", bad)) || !strings.Contains(l, "spread_test.go") {
			t.Fatalf("bad=%d: the log says %q, want the part's value and its stack", bad, l)
		}
	}
}
