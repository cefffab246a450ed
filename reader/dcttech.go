package reader

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// USBControl is the part of a USB device a HID relay board needs: control
// transfers on endpoint 0. *gousb.Device satisfies it; tests pass
// readertest.FakeRelayBoard, which checks every byte sent.
type USBControl interface {
	// Control sends a control request and returns the number of bytes
	// transferred. n may be negative when err is not nil: check err first.
	Control(rType, request uint8, val, idx uint16, data []byte) (int, error)
}

// The dcttech board's identity and requests (HARDWARE.md, "Relays"): HID
// class requests on feature report 0 of interface 0, 8 bytes each way.
const (
	dcttechVendor  = 0x16c0
	dcttechProduct = 0x05df

	hidSetReportType = 0x21 // host to device, class, interface
	hidSetReport     = 0x09
	hidGetReportType = 0xA1 // device to host, class, interface
	hidGetReport     = 0x01
	hidFeatureReport = 0x0300 // report type feature (3), report id 0
	dcttechReportLen = 8

	dcttechOn  = 0xFF // FF N: switch relay N on
	dcttechOff = 0xFD // FD N: switch relay N off

	dcttechMaxChannels = 8 // the state is one byte, a bit per relay
)

// Dcttech is a dcttech USB HID relay board (16c0:05df, product string
// USBRelayN). The board answers with its relays' state, so Set confirms
// every switch: a relay that did not move is a door that did not open.
type Dcttech struct {
	dev      USBControl
	channels int
	serial   string
	closer   func() error

	mu        sync.Mutex // one command and its confirmation at a time
	closed    bool
	closeOnce sync.Once
	closeErr  error
}

var _ Relay = (*Dcttech)(nil)

// NewDcttech returns the board on dev, which has relays 1 to channels
// (1 to 8). It reads the board's state once, to learn its serial and to
// fail early on a board that does not answer. closer, if not nil, releases
// the device; Close calls it once. When NewDcttech fails, it does not call
// closer: the caller still owns dev. (*USB).OpenDcttech builds one on a
// real board; tests build one on a fake.
func NewDcttech(dev USBControl, channels int, closer func() error) (*Dcttech, error) {
	if channels < 1 || channels > dcttechMaxChannels {
		return nil, fmt.Errorf("open dcttech relay: %d channels, want 1 to %d", channels, dcttechMaxChannels)
	}
	d := &Dcttech{dev: dev, channels: channels, closer: closer}
	serial, _, err := d.state()
	if err != nil {
		return nil, fmt.Errorf("open dcttech relay: %w", err)
	}
	d.serial = serial
	return d, nil
}

// Serial returns the serial the board reported when it was opened: boards
// share their VID and PID, so it is what tells them apart.
func (d *Dcttech) Serial() string { return d.serial }

// Channels returns the number of relays on the board.
func (d *Dcttech) Channels() int { return d.channels }

// Set switches relay channel (1-based) on or off, then reads the board's
// state to confirm it. It returns an error, without sending anything, for
// a channel the board does not have or a closed board; an error when the
// command or the state read fails; and "relay N did not switch on/off"
// when the state shows the relay did not move.
func (d *Dcttech) Set(channel int, on bool) error {
	word := "off"
	if on {
		word = "on"
	}
	if channel < 1 || channel > d.channels {
		return fmt.Errorf("switch relay %d %s: board has relays 1 to %d", channel, word, d.channels)
	}
	cmd := [dcttechReportLen]byte{dcttechOff, byte(channel)}
	if on {
		cmd[0] = dcttechOn
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return fmt.Errorf("switch relay %d %s: board closed", channel, word)
	}
	n, err := d.dev.Control(hidSetReportType, hidSetReport, hidFeatureReport, 0, cmd[:])
	if err != nil {
		return fmt.Errorf("switch relay %d %s: %w", channel, word, err)
	}
	if n != dcttechReportLen {
		return fmt.Errorf("switch relay %d %s: sent %d bytes of %d", channel, word, n, dcttechReportLen)
	}
	_, state, err := d.state()
	if err != nil {
		return fmt.Errorf("switch relay %d %s: %w", channel, word, err)
	}
	if isOn := state&(1<<(channel-1)) != 0; isOn != on {
		return fmt.Errorf("relay %d did not switch %s", channel, word)
	}
	return nil
}

// Check reads the board's state: an error says the board is gone or not
// answering. The supervisor calls it about once a second, so that an idle
// board unplugged shows as disconnected before a door needs it.
func (d *Dcttech) Check() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errors.New("board closed")
	}
	_, _, err := d.state()
	return err
}

// state reads the board's feature report: its serial in bytes 0-4 (ASCII,
// padded with NULs or spaces), a bit per relay in byte 7.
func (d *Dcttech) state() (serial string, relays byte, err error) {
	var buf [dcttechReportLen]byte
	n, err := d.dev.Control(hidGetReportType, hidGetReport, hidFeatureReport, 0, buf[:])
	if err != nil {
		return "", 0, fmt.Errorf("read relay state: %w", err)
	}
	if n != dcttechReportLen {
		return "", 0, fmt.Errorf("read relay state: got %d bytes, want %d", n, dcttechReportLen)
	}
	return strings.Trim(string(buf[:5]), "\x00 "), buf[7], nil
}

// Close releases the board, after a Set in progress has finished; it does
// not switch relays off. Later calls do nothing and return the first
// call's result.
func (d *Dcttech) Close() error {
	d.closeOnce.Do(func() {
		d.mu.Lock()
		d.closed = true
		d.mu.Unlock()
		if d.closer != nil {
			if err := d.closer(); err != nil {
				d.closeErr = fmt.Errorf("close dcttech relay %s: %w", d.serial, err)
			}
		}
	})
	return d.closeErr
}

// dcttechChannels returns the number of relays from the board's product
// string, USBRelay1 to USBRelay8; 8, the most a board has, when the string
// says nothing: a command to a relay the board lacks fails its
// confirmation, while refusing a relay it has would keep a door shut.
func dcttechChannels(product string) int {
	rest, ok := strings.CutPrefix(strings.TrimSpace(product), "USBRelay")
	if ok && len(rest) == 1 && '1' <= rest[0] && rest[0] <= '8' {
		return int(rest[0] - '0')
	}
	return dcttechMaxChannels
}
