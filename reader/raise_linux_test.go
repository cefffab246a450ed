package reader_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"frontdesk/core"
	"frontdesk/core/procs"
	"frontdesk/reader/readertest"
)

// raisedThreads counts the threads of this process in SCHED_FIFO, but
// for the main thread, which it reports apart: Go never ends that thread,
// and a raised goroutine that ends on it leaves it asleep for good in the
// class it had.
func raisedThreads(t *testing.T) (others int, main bool) {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		tid, err := strconv.Atoi(task.Name())
		if err != nil {
			continue
		}
		attr, err := unix.SchedGetAttr(tid, 0)
		if errors.Is(err, unix.ESRCH) {
			continue // the thread ended since the listing
		}
		if err != nil {
			t.Fatalf("sched_getattr %d: %v", tid, err)
		}
		switch {
		case attr.Policy != unix.SCHED_FIFO:
		case tid == os.Getpid():
			main = true
		default:
			others++
		}
	}
	return others, main
}

// mayRaise reports whether this process may raise a thread, by raising
// one on a goroutine that then ends, and its thread with it.
func mayRaise() error {
	done := make(chan error)
	go func() { done <- procs.Raise() }()
	return <-done
}

// TestDevicesRunOnRaisedThreads: a serial reader's goroutine and a relay
// board's each run on a thread of their own in SCHED_FIFO, where the
// process may, and the threads end with the devices. The relay's matters
// as much as the reader's: it holds the board's lock while it writes an
// "off", and a reader opening a door waits for that lock; an ordinary
// thread preempted at the end of its write kept a tap waiting 1 to 4 ms
// with API calls running (BenchmarkTapToRelayUnderClients). Where the
// process may not, nothing is raised, the log says so once, and the doors
// still open.
func TestDevicesRunOnRaisedThreads(t *testing.T) {
	noneLeft := func() bool { n, _ := raisedThreads(t); return n == 0 }
	may := mayRaise()
	waitFor(t, 5*time.Second, "no raised thread left by earlier tests", noneLeft)
	_, mainBefore := raisedThreads(t)
	r := newRig(t, rigOptions{})
	r.expectRelay(lcusOff, "fail-secure at start")
	r.waitHealth("main-in", "reader connected", func(h core.DeviceHealth) bool { return h.Connected })
	raised := func() int {
		n, main := raisedThreads(t)
		if main && !mainBefore {
			n++
		}
		return n
	}
	if may == nil {
		waitFor(t, 5*time.Second, "the reader's and the relay's threads raised", func() bool { return raised() == 2 })
	} else {
		t.Logf("this process may not raise a thread (%v): checking that nothing is raised and the log says so", may)
		if n := raised(); n != 0 {
			t.Errorf("%d raised threads, want none", n)
		}
		if n := strings.Count(r.logs.String(), "the devices run at ordinary priority"); n != 1 {
			t.Errorf("the log says %d times that the devices run at ordinary priority, want once:\n%s", n, r.logs)
		}
	}
	for range 2 { // on and off through the raised relay's thread, twice
		if err := r.reader.Write(readertest.RDM6300("0102B0A5FD")); err != nil {
			t.Fatal(err)
		}
		r.expectRelay(lcusOn, "pulse on")
		r.expectRelay(lcusOff, "pulse off")
		time.Sleep(2100 * time.Millisecond) // past the site's debounce
	}
	r.stop()
	waitFor(t, 5*time.Second, "the devices' threads ended with them", noneLeft)
	if strings.Contains(r.logs.String(), "ordinary priority") != (may != nil) {
		t.Errorf("the log about ordinary priority does not match what the process may (%v):\n%s", may, r.logs)
	}
}
