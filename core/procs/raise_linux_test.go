package procs

import (
	"errors"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// threadPolicy is the calling thread's scheduling attributes.
func threadPolicy(t *testing.T) *unix.SchedAttr {
	t.Helper()
	attr, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		t.Fatalf("sched_getattr: %v", err)
	}
	return attr
}

// mayRaise reports whether this process may put a thread in the
// real-time class: CAP_SYS_NICE, or an RLIMIT_RTPRIO of at least 1.
func mayRaise(t *testing.T) bool {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_RTPRIO, &lim); err != nil {
		t.Fatal(err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		t.Fatal(err)
	}
	return lim.Cur >= 1 || data[0].Effective&(1<<unix.CAP_SYS_NICE) != 0
}

// inThread runs f on a goroutine of its own, locked to its thread, which
// ends with it: what f does to the thread goes nowhere else.
func inThread(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		f()
	}()
	<-done
}

// TestRaisePutsTheThreadAboveTheOrdinaryOnes: where the process may, the
// goroutine's thread is in SCHED_FIFO at priority 1, and the threads it
// starts are ordinary; where it may not, Raise says so and the thread
// stays as it was.
func TestRaisePutsTheThreadAboveTheOrdinaryOnes(t *testing.T) {
	may := mayRaise(t)
	inThread(func() {
		err := Raise()
		attr := threadPolicy(t)
		if !may {
			t.Logf("this process may not raise a thread (no CAP_SYS_NICE, RLIMIT_RTPRIO 0): the refusal is checked")
			if err == nil || attr.Policy != unix.SCHED_NORMAL {
				t.Errorf("Raise without the right: err %v, policy %d; want an error and SCHED_NORMAL", err, attr.Policy)
			}
			return
		}
		if err != nil {
			t.Fatalf("Raise: %v", err)
		}
		if attr.Policy != unix.SCHED_FIFO || attr.Priority != 1 || attr.Flags&unix.SCHED_FLAG_RESET_ON_FORK == 0 {
			t.Errorf("raised thread: policy %d priority %d flags %#x; want SCHED_FIFO 1 with reset on fork", attr.Policy, attr.Priority, attr.Flags)
		}
	})
	// The thread ended with its goroutine: this one is ordinary.
	inThread(func() {
		if attr := threadPolicy(t); attr.Policy != unix.SCHED_NORMAL {
			t.Errorf("a new goroutine's thread has policy %d, want SCHED_NORMAL", attr.Policy)
		}
	})
}

// TestRaiseWithoutTheRightChangesNothing: a thread that has neither
// CAP_SYS_NICE nor an RLIMIT_RTPRIO gets an error naming the cause, and
// stays ordinary.
func TestRaiseWithoutTheRightChangesNothing(t *testing.T) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_RTPRIO, &lim); err != nil {
		t.Fatal(err)
	}
	zero := unix.Rlimit{Cur: 0, Max: lim.Max}
	if err := unix.Setrlimit(unix.RLIMIT_RTPRIO, &zero); err != nil {
		t.Fatal(err)
	}
	defer unix.Setrlimit(unix.RLIMIT_RTPRIO, &lim)
	inThread(func() {
		// Capabilities are each thread's: this one drops CAP_SYS_NICE, and
		// ends with the goroutine.
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		if err := unix.Capget(&hdr, &data[0]); err != nil {
			t.Fatal(err)
		}
		data[0].Effective &^= 1 << unix.CAP_SYS_NICE
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			t.Fatal(err)
		}
		err := Raise()
		if !errors.Is(err, unix.EPERM) {
			t.Errorf("Raise without the right: %v, want EPERM", err)
		}
		if attr := threadPolicy(t); attr.Policy != unix.SCHED_NORMAL || attr.Priority != 0 {
			t.Errorf("after a refused Raise: policy %d priority %d, want SCHED_NORMAL 0", attr.Policy, attr.Priority)
		}
	})
}
