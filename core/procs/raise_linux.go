package procs

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// Raise locks the calling goroutine to its thread and puts that thread in
// the real-time class (SCHED_FIFO, priority 1), above every ordinary
// thread of the machine, the process's own included: when the thread
// wakes (a frame on its port, the end of a commit's sync) it runs at
// once, instead of waiting up to a time slice behind a thread that
// answers a call. A door's reader does all of a tap on such a thread:
// read, decision, commit, relay command; a relay board's goroutine ends
// pulses on one, since a reader may wait for its board's lock.
//
// Go never ends its main thread: a raised goroutine that ends there
// leaves it asleep for good, still in the class, and nothing runs on it.
//
// Where the process may not (no CAP_SYS_NICE and RLIMIT_RTPRIO 0, as in
// most desktop sessions; the service's unit sets LimitRTPRIO=1), Raise
// leaves the goroutine unlocked and ordinary and says why. A raised
// goroutine must not unlock its thread: when it ends, the thread ends
// with it, so no other goroutine runs in the class. Threads it starts are
// ordinary (SCHED_RESET_ON_FORK).
func Raise() error {
	runtime.LockOSThread()
	attr := &unix.SchedAttr{
		Size:     unix.SizeofSchedAttr,
		Policy:   unix.SCHED_FIFO,
		Priority: 1,
		Flags:    unix.SCHED_FLAG_RESET_ON_FORK,
	}
	if err := unix.SchedSetAttr(0, attr, 0); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("real-time priority for the devices' threads: %w", err)
	}
	return nil
}
