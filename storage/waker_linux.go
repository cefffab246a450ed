package storage

import (
	"encoding/binary"
	"errors"

	"golang.org/x/sys/unix"
)

// waker wakes one call waiting for a group commit. On Linux the call
// waits in read(2) on an eventfd of its own: when it is a reader's, on a
// raised thread (procs.Raise), the kernel runs that thread the moment the
// commit wakes it. A Go channel would wake it through Go's scheduler,
// which first needs an ordinary thread to run and hand it over, and that
// thread waits behind the API's calls (BenchmarkTapToRelayUnderClients).
// Where the eventfd cannot be had, it is a channel.
type waker struct {
	fd int
	ch chan struct{}
}

func newWaker() waker {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		return waker{fd: -1, ch: make(chan struct{}, 1)}
	}
	return waker{fd: fd}
}

// wait returns once wake was called, and releases the waker; if reading
// the eventfd fails, which it does not, it returns at once and the caller
// waits for the call's state instead.
func (w waker) wait() {
	if w.fd < 0 {
		<-w.ch
		return
	}
	var buf [8]byte
	for {
		_, err := unix.Read(w.fd, buf[:])
		if err == nil {
			unix.Close(w.fd)
			return
		}
		if !errors.Is(err, unix.EINTR) {
			// Left open: the wake still to come must write to this
			// eventfd, never to a file that reused its number. The caller
			// then waits for the call's state.
			return
		}
	}
}

// wake wakes the call waiting in wait; it is called once.
func (w waker) wake() {
	if w.fd < 0 {
		w.ch <- struct{}{}
		return
	}
	// Adding 1 to a fresh eventfd's count never blocks, so it is never
	// interrupted; and the waiter may close the descriptor as soon as it
	// is written, so it is written once.
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	unix.Write(w.fd, one[:])
}
