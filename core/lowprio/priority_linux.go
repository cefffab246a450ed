package lowprio

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// lowerThreadPriority puts the calling thread in the idle scheduling
// class (SCHED_IDLE) at nice: the kernel then gives a processor it
// holds to any other thread that wakes up, at once, where a thread at
// nice 19 would keep it for the rest of its time slice. It is also
// niced, which is all it gets where the class is refused (a kernel
// without it, a seccomp filter). On Linux, both change the calling
// thread alone.
func lowerThreadPriority(nice int) error {
	_ = unix.SchedSetAttr(0, &unix.SchedAttr{Policy: unix.SCHED_IDLE}, 0)
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), nice)
}
