//go:build !linux

package storage

import "errors"

// setThreadNice is Linux's alone: elsewhere a thread has no nice value of
// its own.
func setThreadNice(int) error { return errors.New("no per-thread nice value on this system") }
