//go:build !linux

package procs

import "errors"

// Raise puts the calling goroutine's thread above the ordinary ones on
// Linux only; elsewhere it changes nothing and says so.
func Raise() error {
	return errors.New("real-time priority for the devices' threads: only on Linux")
}
