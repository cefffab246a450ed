package reader

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/gousb"
)

// USBIn is the part of a USB interrupt IN endpoint a keyboard-wedge reader
// needs. *gousb.InEndpoint satisfies it; tests pass readertest.FakeEndpoint,
// so the decoding is tested without hardware.
type USBIn interface {
	// ReadContext reads one transfer into buf and returns its length. It
	// returns an error when ctx ends (gousb.TransferCancelled), when the
	// device is gone (gousb.ErrorNoDevice, gousb.TransferNoDevice) or on any
	// other transfer failure.
	ReadContext(ctx context.Context, buf []byte) (int, error)
}

// maxWedgeLine bounds what a wedge may type before Enter: the longest code
// is a 10-byte UID (20 hex digits), so anything much longer is noise, and
// the bound keeps a stuck key from growing the line for ever.
const maxWedgeLine = 32

// wedgeCloseWait is how long Close waits for Run to leave a read it has
// cancelled before releasing the device: releasing it under a pending
// libusb transfer is undefined behaviour, but Close must not hang either.
const wedgeCloseWait = 2 * time.Second

// errWedgeClosed is what Run returns when the Wedge was closed while its
// context was still running, so that a supervisor does not mistake it for
// the end of its context.
var errWedgeClosed = errors.New("wedge reader closed")

// Wedge is a USB keyboard-wedge badge reader read directly through libusb:
// it types the card's number as keystrokes followed by Enter, and Wedge
// decodes the HID keyboard reports into core card codes (see wedgeCode).
// Claiming the device keeps the reader from typing into whatever window
// has the focus.
type Wedge struct {
	in     USBIn
	packet int
	parse  lineParser
	closer func() error

	stop      chan struct{} // closed by Close, to end Run's read
	closeOnce sync.Once
	closeErr  error

	mu      sync.Mutex
	closed  bool
	running chan struct{} // closed when the current Run returns; nil when none runs
}

var _ Reader = (*Wedge)(nil)

// NewWedge returns a Wedge reading keyboard reports from in, packet bytes
// at a time (the endpoint's maximum packet size; 8 when packet < 1), and
// reading the lines typed in format (core.ReadFormats of "usb-wedge"; ""
// is auto). closer, if not nil, releases the device; Close calls it once,
// after Run has left its read. (*USB).OpenWedge builds one on a real
// device; tests build one on a fake endpoint. The error, for a format a
// wedge does not have, wraps core.ErrInvalid.
func NewWedge(in USBIn, packet int, format string, closer func() error) (*Wedge, error) {
	parse, err := wedgeParser(format)
	if err != nil {
		return nil, err
	}
	if packet < 1 {
		packet = 8
	}
	return &Wedge{in: in, packet: packet, parse: parse, closer: closer, stop: make(chan struct{})}, nil
}

// Run reads keyboard reports and calls s.Card for each line typed that
// converts to a card code, s.Reject for each other line. It returns nil
// when ctx ends. When the device is unplugged it returns an error wrapping
// ErrNoDevice and gousb's error; on any other failed read, that error;
// after Close, an error saying so. Read timeouts are not failures: it reads
// again. Run a Wedge once at a time.
func (w *Wedge) Run(ctx context.Context, s Sink) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return fmt.Errorf("read wedge: %w", errWedgeClosed)
	}
	if w.running != nil {
		w.mu.Unlock()
		return errors.New("read wedge: already running")
	}
	done := make(chan struct{})
	w.running = done
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.running = nil
		w.mu.Unlock()
		close(done)
	}()

	// readCtx also ends on Close, so that Close does not wait for the next
	// card to release the device.
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-w.stop:
			cancel()
		case <-readCtx.Done():
		}
	}()

	buf := make([]byte, w.packet)
	kb := keyboard{parse: w.parse}
	for {
		// Checked before every read, not only through readCtx: once Close
		// has given up waiting, the device may be released and must not be
		// read again.
		select {
		case <-w.stop:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read wedge: %w", errWedgeClosed)
		default:
		}
		n, err := w.in.ReadContext(readCtx, buf)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			switch {
			case readCtx.Err() != nil:
				continue // closed: the check above returns
			case errors.Is(err, gousb.ErrorTimeout), errors.Is(err, gousb.TransferTimedOut):
				continue
			case errors.Is(err, gousb.ErrorNoDevice), errors.Is(err, gousb.TransferNoDevice):
				return fmt.Errorf("read wedge: %w: %w", ErrNoDevice, err)
			}
			return fmt.Errorf("read wedge: %w", err)
		}
		kb.feed(buf[:min(max(n, 0), len(buf))], s)
	}
}

// Close stops Run's read, waits for it briefly, then releases the device.
// Later calls do nothing and return the first call's result.
func (w *Wedge) Close() error {
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closed = true
		running := w.running
		w.mu.Unlock()
		close(w.stop)
		if running != nil {
			t := time.NewTimer(wedgeCloseWait)
			select {
			case <-running:
			case <-t.C:
			}
			t.Stop()
		}
		if w.closer != nil {
			if err := w.closer(); err != nil {
				w.closeErr = fmt.Errorf("close wedge: %w", err)
			}
		}
	})
	return w.closeErr
}

// HID keyboard usages a wedge types (USB HID Usage Tables, page 7).
const (
	usageA           = 0x04 // a..f follow
	usageF           = 0x09
	usage1           = 0x1E // 1..9 follow
	usage9           = 0x26
	usage0           = 0x27
	usageEnter       = 0x28
	usageKeypadEnter = 0x58
	usageKeypad1     = 0x59 // keypad 1..9 follow
	usageKeypad9     = 0x61
	usageKeypad0     = 0x62
	usageLeftCtrl    = 0xE0 // modifiers up to 0xE7
	usageRightGUI    = 0xE7
	bootReportLen    = 8 // [modifiers, reserved, k1..k6]
	shortReportLen   = 3 // [modifiers, 0, key], e.g. 16c0:27db
	maxKeysInReport  = bootReportLen - 2
)

// keyboard turns a wedge's reports into lines: the keys down in the last
// report, so that only new key-downs type, and the line typed since the
// last Enter, which parse reads.
type keyboard struct {
	parse lineParser

	prev  [maxKeysInReport]byte
	nprev int

	line   []byte // at most maxWedgeLine+1 characters, '?' for a bad key
	typed  int    // characters typed, even those line could not keep
	badKey int    // first key that is not a digit, a-f or Enter; 0 if none
	badLen int    // length of the first report of a strange length; 0 if none
}

// feed consumes one report. A character is typed when its key is in this
// report and was not in the previous one: a reader types "00" as down, up
// (all zeros), down, up, and a key held across two reports types once.
// The modifier byte is ignored: shift makes no difference to hex digits.
func (k *keyboard) feed(report []byte, s Sink) {
	var keys []byte
	switch len(report) {
	case 0:
		return
	case bootReportLen:
		keys = report[2:bootReportLen]
	case shortReportLen:
		keys = report[2:shortReportLen]
	default:
		// Not a report this decoder knows (a report id in front, an
		// N-key-rollover bitmap): the keystrokes of this line cannot be
		// trusted.
		if k.badLen == 0 && k.badKey == 0 {
			k.badLen = len(report)
		}
		return
	}
	for i, key := range keys {
		if key == 0 || k.wasDown(key) || indexByte(keys[:i], key) >= 0 {
			continue
		}
		k.press(key, s)
	}
	k.nprev = copy(k.prev[:], keys)
}

func (k *keyboard) wasDown(key byte) bool {
	return indexByte(k.prev[:k.nprev], key) >= 0
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// press handles one new key-down.
func (k *keyboard) press(key byte, s Sink) {
	switch {
	case key == usageEnter || key == usageKeypadEnter:
		k.enter(s)
	case key >= usage1 && key <= usage9:
		k.add('1' + key - usage1)
	case key == usage0, key == usageKeypad0:
		k.add('0')
	case key >= usageKeypad1 && key <= usageKeypad9:
		k.add('1' + key - usageKeypad1)
	case key >= usageA && key <= usageF:
		k.add('a' + key - usageA)
	case key >= usageLeftCtrl && key <= usageRightGUI:
		// A modifier listed as a key by some readers: as the modifier
		// byte, it changes nothing.
	default:
		if k.badKey == 0 && k.badLen == 0 {
			k.badKey = int(key)
		}
		k.add('?')
	}
}

func (k *keyboard) add(c byte) {
	k.typed++
	if len(k.line) <= maxWedgeLine {
		k.line = append(k.line, c)
	}
}

// enter ends the line: a card code, a rejection, or nothing for an empty
// line (a stray Enter is not a read).
func (k *keyboard) enter(s Sink) {
	line := string(k.line)
	switch {
	case k.badLen != 0:
		s.Reject(fmt.Errorf("%w: wedge typed %q in a %d-byte report, want %d or %d bytes",
			ErrFrame, line, k.badLen, bootReportLen, shortReportLen))
	case k.badKey != 0:
		s.Reject(fmt.Errorf("%w: wedge typed %q: key 0x%02X is not a digit, a-f or Enter",
			ErrFrame, line, k.badKey))
	case k.typed > maxWedgeLine:
		s.Reject(fmt.Errorf("%w: wedge typed %d characters, more than %d, starting %q",
			ErrFrame, k.typed, maxWedgeLine, line[:maxWedgeLine]))
	case k.typed == 0:
	default:
		code, err := k.parse(line)
		if err != nil {
			s.Reject(err)
		} else {
			s.Card(code)
		}
	}
	k.line = k.line[:0]
	k.typed, k.badKey, k.badLen = 0, 0, 0
}
