package lowprio

import "syscall"

// lowerThreadPriority sets the calling thread's nice value: on Linux,
// setpriority with a thread id changes that thread alone.
func lowerThreadPriority(nice int) error {
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), nice)
}
