package lowprio

import (
	"errors"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// niceHere is the calling thread's nice value (Linux: getpriority with a
// thread id reads that thread alone; the raw value is 20 - nice).
func niceHere(t *testing.T) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("per-thread priority is not supported on " + runtime.GOOS + ": Linux only")
	}
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

// classHere is the calling thread's scheduling class (SCHED_OTHER,
// SCHED_IDLE...).
func classHere(t *testing.T) uint32 {
	t.Helper()
	attr, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return attr.Policy
}

func TestRunIsLowPriorityAndLeavesTheCallerAlone(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, beforeClass := niceHere(t), classHere(t)
	for range 20 { // new workers and reused ones
		var got int
		var class uint32
		Run(func() { got, class = niceHere(t), classHere(t) })
		if got != Nice {
			t.Fatalf("work ran at nice %d, want %d", got, Nice)
		}
		if class != unix.SCHED_IDLE {
			t.Fatalf("work ran in scheduling class %d, want SCHED_IDLE (%d)", class, unix.SCHED_IDLE)
		}
	}
	if after := niceHere(t); after != before {
		t.Fatalf("the caller's thread went from nice %d to %d", before, after)
	}
	if after := classHere(t); after != beforeClass {
		t.Fatalf("the caller's thread went from scheduling class %d to %d", beforeClass, after)
	}
}

func TestSpreadRunsEveryPartAtOnceAtLowPriority(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 64} {
		var ran atomic.Int64
		seen := make([]int, n)
		// All parts wait for each other: Spread must run them at once.
		var arrived atomic.Int64
		release := make(chan struct{})
		Spread(n, func(i int) {
			seen[i]++
			if arrived.Add(1) == int64(n) {
				close(release)
			}
			<-release
			if got := niceHere(t); got != Nice {
				t.Errorf("part %d at nice %d, want %d", i, got, Nice)
			}
			if got := classHere(t); got != unix.SCHED_IDLE {
				t.Errorf("part %d in scheduling class %d, want SCHED_IDLE", i, got)
			}
			ran.Add(1)
		})
		if ran.Load() != int64(n) {
			t.Fatalf("n=%d: %d parts ran", n, ran.Load())
		}
		for i, k := range seen {
			if k != 1 {
				t.Fatalf("n=%d: part %d ran %d times", n, i, k)
			}
		}
	}
}

func TestPanicsReachTheCaller(t *testing.T) {
	boom := errors.New("boom")
	catch := func(f func()) (v any) {
		defer func() { v = recover() }()
		f()
		return nil
	}
	v := catch(func() { Run(func() { panic(boom) }) })
	p, ok := v.(*Panic)
	if !ok || p.Value != boom || len(p.Stack) == 0 {
		t.Fatalf("Run: recovered %#v, want a *Panic of boom with its stack", v)
	}
	var others atomic.Int64
	v = catch(func() {
		Spread(5, func(i int) {
			if i == 3 {
				panic(boom)
			}
			others.Add(1)
		})
	})
	if p, ok := v.(*Panic); !ok || p.Value != boom {
		t.Fatalf("Spread: recovered %#v, want a *Panic of boom", v)
	}
	if others.Load() != 4 {
		t.Fatalf("Spread: %d other parts ran, want 4 (a panic does not stop the others)", others.Load())
	}
	// The pool still works after panics.
	var got int
	Run(func() { got = 42 })
	if got != 42 {
		t.Fatal("no work ran after a panic")
	}
}

func TestReserveRaisesProcessorsAndRestores(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := runtime.GOMAXPROCS(0)
	cores := Cores()
	restore := Reserve()
	if got := runtime.GOMAXPROCS(0); got < 8 || got < 4*runtime.NumCPU() {
		t.Errorf("GOMAXPROCS %d under Reserve, want at least max(8, 4 per core)", got)
	}
	if got := Cores(); got != cores {
		t.Errorf("Cores %d under Reserve, want %d (the real ones)", got, cores)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS %d after restore, want %d", got, before)
	}
}
