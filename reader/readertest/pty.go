// Package readertest holds what the reader package's tests and benchmarks
// drive devices with: serial lines on real pseudo-terminals that can be
// unplugged and plugged again, and fakes of the USB devices, which need
// hardware otherwise.
package readertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Line is a serial line on a pseudo-terminal: the driver under test opens
// Path (a symbolic link, as /dev/serial/by-id names are) with
// github.com/tarm/serial; the test plays the device on the master side.
// Unplug closes the master, so the driver's reads fail with EIO as they do
// when a USB serial adapter is pulled out; Plug opens a new pseudo-terminal
// and points Path at it.
type Line struct {
	// Path is what a device's port setting names.
	Path string

	tb     testing.TB
	mu     sync.Mutex
	master *os.File
}

// NewLine opens a pseudo-terminal and links Path to its slave. Cleanup
// closes it.
func NewLine(tb testing.TB) *Line {
	tb.Helper()
	l := &Line{Path: filepath.Join(tb.TempDir(), "ttyFD0"), tb: tb}
	if err := l.Plug(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Unplug() })
	return l
}

// Plug opens a new pseudo-terminal and points Path at its slave.
func (l *Line) Plug() error {
	master, name, err := OpenPTY()
	if err != nil {
		return err
	}
	tmp := l.Path + ".new"
	os.Remove(tmp)
	if err := os.Symlink(name, tmp); err != nil {
		master.Close()
		return err
	}
	if err := os.Rename(tmp, l.Path); err != nil {
		master.Close()
		return err
	}
	l.mu.Lock()
	l.master = master
	l.mu.Unlock()
	return nil
}

// Unplug closes the master side and removes Path: the device is gone.
func (l *Line) Unplug() {
	l.mu.Lock()
	m := l.master
	l.master = nil
	l.mu.Unlock()
	if m != nil {
		m.Close()
	}
	os.Remove(l.Path)
}

// Master returns the device side of the line, or nil while unplugged.
func (l *Line) Master() *os.File {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.master
}

// Write sends b to the driver as the device would.
func (l *Line) Write(b []byte) error {
	m := l.Master()
	if m == nil {
		return errors.New("line unplugged")
	}
	_, err := m.Write(b)
	return err
}

// pollSlice is the longest ReadN waits in one poll(2).
const pollSlice = 50 * time.Millisecond

// ReadN reads exactly n bytes the driver wrote, or fails after timeout.
// It waits in poll(2) on the calling thread rather than in Go's network
// poller, so that a benchmark's thread, standing for the device, wakes
// as soon as the bytes arrive, without a hop through another thread. Each
// poll lasts at most pollSlice, so that Unplug, whose Close waits for it,
// is never held longer.
func (l *Line) ReadN(n int, timeout time.Duration) ([]byte, error) {
	m := l.Master()
	if m == nil {
		return nil, errors.New("line unplugged")
	}
	raw, err := m.SyscallConn()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	got := 0
	deadline := time.Now().Add(timeout)
	for got < n {
		left := time.Until(deadline)
		if left <= 0 {
			return buf[:got], fmt.Errorf("read %d of %d bytes: %w", got, n, os.ErrDeadlineExceeded)
		}
		var k int
		var rerr error
		if err := raw.Control(func(fd uintptr) {
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			ready, perr := unix.Poll(fds, int(min(left, pollSlice).Milliseconds())+1)
			switch {
			case perr == unix.EINTR:
			case perr != nil:
				rerr = perr
			case ready > 0:
				k, rerr = unix.Read(int(fd), buf[got:])
				if rerr == unix.EAGAIN {
					k, rerr = 0, nil
				}
			}
		}); err != nil {
			return buf[:got], err
		}
		got += max(k, 0)
		// The master reads EIO while no one has the slave open: the driver
		// has not opened the port yet, or is between two opens.
		if rerr == unix.EIO && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if rerr != nil {
			return buf[:got], fmt.Errorf("read %d of %d bytes: %w", got, n, rerr)
		}
	}
	return buf, nil
}

// OpenPTY opens a new pseudo-terminal pair and returns its master, in
// non-blocking mode so that deadlines work, and the path of its slave.
func OpenPTY() (master *os.File, slave string, err error) {
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, "", fmt.Errorf("open /dev/ptmx: %w", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("unlock pty: %w", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("pty number: %w", err)
	}
	slave = fmt.Sprintf("/dev/pts/%d", n)
	// Until the driver opens the slave and makes it raw, the line
	// discipline would echo and translate; make it raw from the start so a
	// test may write before the driver opens.
	if err := makeRaw(slave); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	return os.NewFile(uintptr(fd), "/dev/ptmx"), slave, nil
}

func makeRaw(slave string) error {
	sfd, err := unix.Open(slave, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", slave, err)
	}
	defer unix.Close(sfd)
	t, err := unix.IoctlGetTermios(sfd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("termios %s: %w", slave, err)
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	if err := unix.IoctlSetTermios(sfd, unix.TCSETS, t); err != nil {
		return fmt.Errorf("raw %s: %w", slave, err)
	}
	return nil
}
