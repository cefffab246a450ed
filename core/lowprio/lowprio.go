// Package lowprio runs work on OS threads of the lowest scheduling
// priority, so that in a process that also decides the doors' taps the
// kernel gives the readers, the decisions and the relays the processor
// first, and the other work (API calls, timesheets, reports, searches)
// the time left over; with nothing else to do, that work has all of it.
//
// Go has no priority among goroutines, so the priority is the threads':
// each worker locks its goroutine to its thread for good (the thread
// ends with it) and lowers that thread's priority alone (on Linux, the
// idle scheduling class, SCHED_IDLE, and nice 19). Workers are made when
// needed and end after a minute idle. Elsewhere the work runs at normal
// priority.
package lowprio

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Nice is the priority of the workers' threads: the lowest there is.
const Nice = 19

// idleFor is how long a worker waits for work before it ends.
const idleFor = time.Minute

var logger atomic.Pointer[slog.Logger]

// SetLog sets where a failure to lower a thread's priority, and a panic
// that escaped the work's own recovery, are logged.
func SetLog(l *slog.Logger) { logger.Store(l) }

func log() *slog.Logger {
	if l := logger.Load(); l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}

var pool struct {
	mu   sync.Mutex
	idle []*worker // most recently idle last
}

type worker struct{ jobs chan func() }

// Panic is a panic of work on a low-priority thread, raised again in
// the caller of Run or Spread with the stack where it happened.
type Panic struct {
	Value any
	Stack []byte
}

func (p *Panic) String() string { return fmt.Sprint(p.Value) }

func catch(into **Panic) {
	if v := recover(); v != nil {
		*into = &Panic{Value: v, Stack: debug.Stack()}
	}
}

// Run runs fn on a low-priority thread and returns when it has. A panic
// in fn panics in the caller (with a *Panic), as if fn ran there.
func Run(fn func()) {
	var caught *Panic
	done := make(chan struct{})
	start(func() {
		defer close(done)
		defer catch(&caught)
		fn()
	})
	<-done
	if caught != nil {
		panic(caught)
	}
}

// Spread runs fn(0), ..., fn(n-1) at once, each on a low-priority
// thread, and returns when all have. A panic in one panics in the caller
// after all have ended.
func Spread(n int, fn func(i int)) {
	var wg sync.WaitGroup
	caught := make([]*Panic, n)
	for i := range n {
		wg.Add(1)
		start(func() {
			defer wg.Done()
			defer catch(&caught[i])
			fn(i)
		})
	}
	wg.Wait()
	for _, p := range caught {
		if p != nil {
			panic(p)
		}
	}
}

// start hands job to an idle worker, or to a new one.
func start(job func()) {
	pool.mu.Lock()
	var w *worker
	if n := len(pool.idle); n > 0 {
		w, pool.idle = pool.idle[n-1], pool.idle[:n-1]
	}
	pool.mu.Unlock()
	if w == nil {
		w = &worker{jobs: make(chan func(), 1)}
		go w.loop()
	}
	w.jobs <- job
}

func (w *worker) loop() {
	runtime.LockOSThread() // never unlocked: the thread keeps its priority and ends with the worker
	if err := lowerThreadPriority(Nice); err != nil {
		log().Debug("lowprio: work at normal priority", "err", err)
	}
	idle := time.NewTimer(idleFor)
	defer idle.Stop()
	for {
		select {
		case job := <-w.jobs:
			w.run(job)
			pool.mu.Lock()
			pool.idle = append(pool.idle, w)
			pool.mu.Unlock()
			idle.Reset(idleFor)
		case <-idle.C:
			pool.mu.Lock()
			i := slices.Index(pool.idle, w)
			if i >= 0 {
				pool.idle = slices.Delete(pool.idle, i, i+1)
			}
			pool.mu.Unlock()
			if i >= 0 {
				return
			}
			idle.Reset(idleFor) // taken just now: its job is on the way
		}
	}
}

// run runs job; Run and Spread recover their jobs' panics, this is the
// last guard so that a worker never ends the process.
func (w *worker) run(job func()) {
	defer func() {
		if v := recover(); v != nil {
			log().Error("lowprio: work panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	job()
}

// Cores is the processors the work may use at once: the machine's, or
// fewer when GOMAXPROCS says so (Reserve raises GOMAXPROCS above them).
func Cores() int { return max(1, min(runtime.NumCPU(), runtime.GOMAXPROCS(0))) }

// Reserve sets the Go runtime up for a process that decides taps and
// also serves other work on low-priority threads, and returns what puts
// it back. A thread of low priority that runs holds one of Go's
// processors (GOMAXPROCS) even while the kernel lets it wait, so there
// must be more of them than the low-priority work can hold, or a tap
// waits for a processor in Go while the kernel has one for it: Reserve
// raises GOMAXPROCS to four per core (at least 8); Cores still counts
// the real ones, which the work spreads over. It also makes the garbage
// collector run less often (GOGC 400, within a soft limit of 1 GiB): each
// of its cycles briefly stops every thread, the taps' too. An explicit
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
