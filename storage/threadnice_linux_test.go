package storage

import "golang.org/x/sys/unix"

// setThreadNice sets the nice value of the calling thread alone (Linux
// applies setpriority to a thread id): the caller must have locked its
// goroutine to the thread.
func setThreadNice(nice int) error {
	return unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), nice)
}
