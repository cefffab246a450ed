//go:build !linux

package lowprio

import "errors"

// lowerThreadPriority: no per-thread priority here; the work runs at
// the process's priority.
func lowerThreadPriority(int) error {
	return errors.New("per-thread priority is not supported on this system")
}
