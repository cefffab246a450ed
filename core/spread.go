package core

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Spread runs fn(0), ..., fn(n-1) at once, each in a goroutine, and
// waits for them all: the parts of a large read (a timesheet, a search,
// an index build, password hashing, an answer's encoding), never a tap's
// path. A part that panics panics again in the caller once all have
// ended, as a *PartPanic with the part's stack, so that whoever answers
// the caller (the API's recovery) sees it, never the process's end.
func Spread(n int, fn func(i int)) {
	var wg sync.WaitGroup
	panics := make([]*PartPanic, n)
	for i := range n {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					panics[i] = &PartPanic{Value: v, Stack: debug.Stack()}
				}
			}()
			fn(i)
		})
	}
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
