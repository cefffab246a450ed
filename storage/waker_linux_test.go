package storage

import (
	"os"
	"testing"
)

// TestWakerIsAnEventfdAndLeavesNoDescriptor: on Linux a waiting call
// waits on an eventfd of its own, so that the kernel wakes its thread
// directly, and each one is closed once the wait is over.
func TestWakerIsAnEventfdAndLeavesNoDescriptor(t *testing.T) {
	open := func() int {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		return len(fds)
	}
	before := open()
	for range 1000 {
		w := newWaker()
		if w.fd < 0 {
			t.Fatal("no eventfd: the waiter would be woken through Go's scheduler")
		}
		go w.wake()
		w.wait()
	}
	if after := open(); after != before {
		t.Errorf("%d descriptors open after 1000 waits, %d before", after, before)
	}
}
