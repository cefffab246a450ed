package core

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"frontdesk/core/procs"
)

// Spread runs fn(0), ..., fn(n-1), each once, and waits for them all:
// the parts of a large read (a timesheet, a search, an index build,
// password hashing, an answer's encoding), never a tap's path. The parts
// run on the caller's goroutine and on as many more as there are
// processors free for such work (procs.Spare), never more than
// procs.Width at once: where the doors run, they keep a core free of it.
// Parts must not wait for each other. A part that panics panics again in
// the caller once all have ended, as a *PartPanic with the part's stack,
// so that whoever answers the caller (the API's recovery) sees it, never
// the process's end.
func Spread(n int, fn func(i int)) {
	if n <= 0 {
		return
	}
	panics := make([]*PartPanic, n)
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			func() {
				defer func() {
					if v := recover(); v != nil {
						panics[i] = &PartPanic{Value: v, Stack: debug.Stack()}
					}
				}()
				fn(i)
			}()
		}
	}
	var wg sync.WaitGroup
	for range min(n, procs.Width()) - 1 {
		done, ok := procs.Spare()
		if !ok {
			break
		}
		wg.Go(func() {
			defer done()
			work()
		})
	}
	work()
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// PartPanic is the panic of a part of Spread, raised again in its caller
// with the stack where it happened.
type PartPanic struct {
	Value any
	Stack []byte
}

func (p *PartPanic) String() string { return fmt.Sprint(p.Value) }
