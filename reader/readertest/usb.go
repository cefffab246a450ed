package readertest

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/gousb"
)

// FakeEndpoint is a USB interrupt IN endpoint (reader.USBIn) that replays
// recorded reports: each ReadContext returns the next report, as a real
// endpoint returns one report per transfer. After the last report it
// returns Err when set (gousb.TransferNoDevice plays an unplug), else it
// blocks until the context ends and returns gousb.TransferCancelled, as
// gousb does (not ctx.Err()). Set the fields before the first read.
type FakeEndpoint struct {
	// Reports are returned one per read. A nil report plays a read that
	// timed out (gousb.TransferTimedOut); an empty one, a zero-length
	// transfer. A report longer than the read's buffer is cut to it and
	// returned with gousb.TransferOverflow, as libusb does.
	Reports [][]byte
	// Err is returned by every read after the last report, when not nil.
	Err error

	mu    sync.Mutex
	reads int
}

// ReadContext returns the next report copied into buf.
func (e *FakeEndpoint) ReadContext(ctx context.Context, buf []byte) (int, error) {
	if ctx.Err() != nil {
		return 0, gousb.TransferCancelled
	}
	e.mu.Lock()
	if e.reads < len(e.Reports) {
		r := e.Reports[e.reads]
		e.reads++
		e.mu.Unlock()
		if r == nil {
			return 0, gousb.TransferTimedOut
		}
		n := copy(buf, r)
		if n < len(r) {
			return n, gousb.TransferOverflow
		}
		return n, nil
	}
	e.reads++
	err := e.Err
	e.mu.Unlock()
	if err != nil {
		return 0, err
	}
	<-ctx.Done()
	return 0, gousb.TransferCancelled
}

// Reads returns how many reads were made, the one blocked included.
func (e *FakeEndpoint) Reads() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.reads
}

// What a dcttech relay board accepts (HARDWARE.md, "Relays"), written out
// again here rather than taken from package reader, so that a mistake
// there does not hide itself in the fake.
const (
	dcttechSetType   = 0x21 // SET_REPORT: host to device, class, interface
	dcttechSet       = 0x09
	dcttechGetType   = 0xA1 // GET_REPORT: device to host, class, interface
	dcttechGet       = 0x01
	dcttechValue     = 0x0300 // feature report, id 0
	dcttechIndex     = 0      // interface 0
	dcttechReportLen = 8
)

// FakeRelayBoard is a dcttech USB HID relay board (reader.USBControl). It
// accepts exactly the control requests the real board does: SET_REPORT
// with commands FF N (relay N on), FD N (off), FE (all on), FC (all off),
// the other bytes zero, and GET_REPORT, answered with Serial in bytes 0-4
// and State in byte 7. Anything else fails and is recorded in Unexpected,
// so tests assert it is empty. Set the fields before use and read them
// when the driver's call has returned; Control itself is safe for
// concurrent use.
type FakeRelayBoard struct {
	// Serial is the board's serial, up to 5 ASCII characters; the rest of
	// the 5 bytes are NULs.
	Serial string
	// State has bit N-1 set when relay N is on.
	State byte
	// Commands are the SET_REPORT commands the board received, in order;
	// those refused through FailSet are not received.
	Commands [][8]byte
	// Unexpected describes each request the real board would not accept.
	Unexpected []string

	// FailSet, when not nil, is returned by every SET_REPORT.
	FailSet error
	// FailGet, when not nil, is returned by every GET_REPORT.
	FailGet error
	// Stuck makes the board accept commands while its relays never move.
	Stuck bool
	// Closes counts calls to Close.
	Closes int

	mu sync.Mutex
}

// Control plays one control transfer.
func (b *FakeRelayBoard) Control(rType, request uint8, val, idx uint16, data []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case rType == dcttechSetType && request == dcttechSet:
		if err := b.check(rType, request, val, idx, data); err != nil {
			return 0, err
		}
		if b.FailSet != nil {
			return 0, b.FailSet
		}
		return b.command([8]byte(data))
	case rType == dcttechGetType && request == dcttechGet:
		if err := b.check(rType, request, val, idx, data); err != nil {
			return 0, err
		}
		if b.FailGet != nil {
			return 0, b.FailGet
		}
		clear(data)
		copy(data[:5], b.Serial)
		data[7] = b.State
		return dcttechReportLen, nil
	}
	return 0, b.unexpected("request type 0x%02X request 0x%02X value 0x%04X index %d with %d bytes",
		rType, request, val, idx, len(data))
}

// check refuses a known request with a wrong value, index or length.
func (b *FakeRelayBoard) check(rType, request uint8, val, idx uint16, data []byte) error {
	if val != dcttechValue || idx != dcttechIndex || len(data) != dcttechReportLen {
		return b.unexpected("request 0x%02X/0x%02X with value 0x%04X index %d and %d bytes, want value 0x%04X index %d and %d bytes",
			rType, request, val, idx, len(data), dcttechValue, dcttechIndex, dcttechReportLen)
	}
	return nil
}

// command applies one SET_REPORT.
func (b *FakeRelayBoard) command(cmd [8]byte) (int, error) {
	n := cmd[1]
	rest := cmd[2:]
	switch cmd[0] {
	case 0xFF, 0xFD:
		if n < 1 || n > 8 {
			return 0, b.unexpected("command % X: relay %d, want 1 to 8", cmd, n)
		}
	case 0xFE, 0xFC:
		rest = cmd[1:]
	default:
		return 0, b.unexpected("command % X: unknown", cmd)
	}
	for _, c := range rest {
		if c != 0 {
			return 0, b.unexpected("command % X: trailing bytes not zero", cmd)
		}
	}
	b.Commands = append(b.Commands, cmd)
	if b.Stuck {
		return dcttechReportLen, nil
	}
	switch cmd[0] {
	case 0xFF:
		b.State |= 1 << (n - 1)
	case 0xFD:
		b.State &^= 1 << (n - 1)
	case 0xFE:
		b.State = 0xFF
	case 0xFC:
		b.State = 0
	}
	return dcttechReportLen, nil
}

func (b *FakeRelayBoard) unexpected(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	b.Unexpected = append(b.Unexpected, msg)
	return fmt.Errorf("fake relay board: %s", msg)
}

// Close counts the call; give it as the driver's closer.
func (b *FakeRelayBoard) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Closes++
	return nil
}
