package reader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/tarm/serial"

	"frontdesk/core"
)

// serialReadTimeout is tarm/serial's read timeout. Without one, Close
// blocks forever while another goroutine reads; with it, a read returns at
// least this often, so Run sees its context end and Close is prompt. It is
// also the resolution of the timeout (tenths of a second).
const serialReadTimeout = 100 * time.Millisecond

// hangupReads is how many reads in a row returning nothing at once, long
// before the read timeout, mean the line hung up: a USB serial adapter
// pulled out can make reads return end-of-file at once instead of failing.
const hangupReads = 5

// serialLine is an open serial port.
type serialLine struct {
	path string
	port *serial.Port
	once sync.Once
	err  error
}

// openSerial opens path at baud (9600 when 0), 8N1. A port that does not
// exist gives ErrNoDevice, so the supervisor tries again quietly.
func openSerial(path string, baud int) (*serialLine, error) {
	if baud == 0 {
		baud = 9600
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open %s: %w", path, ErrNoDevice)
	}
	p, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud, ReadTimeout: serialReadTimeout})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &serialLine{path: path, port: p}, nil
}

// Check reports whether the port is still there. A relay board is only
// written to, so without it an unplugged board would be noticed only when a
// door needs it.
func (l *serialLine) Check() error {
	if _, err := os.Stat(l.path); err != nil {
		return fmt.Errorf("%s: %w", l.path, ErrNoDevice)
	}
	return nil
}

// Close closes the port once; later calls return the first result.
func (l *serialLine) Close() error {
	l.once.Do(func() { l.err = l.port.Close() })
	return l.err
}

// read reads what the port has, waiting at most serialReadTimeout. It
// returns (0, nil) when nothing came, and an error when the line failed or
// hung up.
func (l *serialLine) read(buf []byte, quick *int) (int, error) {
	start := time.Now()
	n, err := l.port.Read(buf)
	if n > 0 {
		*quick = 0
		return n, nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return 0, err // it names the port already
		}
		return 0, fmt.Errorf("read %s: %w", l.path, err)
	}
	// End of file is tarm/serial's idle timeout, unless it came at once.
	if time.Since(start) < serialReadTimeout/4 {
		*quick++
		if *quick >= hangupReads {
			return 0, fmt.Errorf("read %s: line hung up: %w", l.path, ErrNoDevice)
		}
		return 0, nil
	}
	*quick = 0
	return 0, nil
}

// serialReader is a card reader on a serial port: its bytes go through the
// decoder of its kind.
type serialReader struct {
	line *serialLine
	dec  Decoder
}

// openSerialReader opens a serial reader device.
func openSerialReader(d core.Device) (Reader, error) {
	dec, err := NewDecoder(d)
	if err != nil {
		return nil, err
	}
	line, err := openSerial(d.Port, d.Baud)
	if err != nil {
		return nil, err
	}
	return &serialReader{line: line, dec: dec}, nil
}

// Run reads until ctx ends or the line fails.
func (r *serialReader) Run(ctx context.Context, s Sink) error {
	buf := make([]byte, 256)
	quick := 0
	for ctx.Err() == nil {
		n, err := r.line.read(buf, &quick)
		if err != nil {
			if ctx.Err() != nil {
				return nil // closed under us on the way out
			}
			return err
		}
		if n > 0 {
			r.dec.Feed(buf[:n], s)
		}
	}
	return nil
}

// Close closes the port.
func (r *serialReader) Close() error { return r.line.Close() }

// lcusRelay is an LCUS serial relay board (CH340): it does not answer, so a
// command is confirmed only by being written.
type lcusRelay struct{ line *serialLine }

// Set switches channel on or off.
func (r *lcusRelay) Set(channel int, on bool) error {
	if channel < 1 || channel > 255 {
		return fmt.Errorf("lcus relay: channel %d out of range 1-255", channel)
	}
	if _, err := r.line.port.Write(lcusCommand(channel, on)); err != nil {
		return fmt.Errorf("lcus relay %s: %w", r.line.path, err)
	}
	return nil
}

// Check reports whether the board's port is still there.
func (r *lcusRelay) Check() error { return r.line.Check() }

// Close closes the port.
func (r *lcusRelay) Close() error { return r.line.Close() }

// modbusReplyTimeout is how long a Modbus relay board has to answer a
// command. Boards answer within a few milliseconds at 9600 baud; a board
// that does not answer has not switched.
const modbusReplyTimeout = 500 * time.Millisecond

// modbusRelay is a Modbus RTU relay board: each channel is a coil, written
// with function 5, and the board echoes the command when it obeyed.
type modbusRelay struct {
	line      *serialLine
	address   byte
	firstCoil int
}

// Set switches channel on or off and checks the board's answer.
func (r *modbusRelay) Set(channel int, on bool) error {
	coil := r.firstCoil + channel - 1
	if channel < 1 || coil > 0xFFFF {
		return fmt.Errorf("modbus relay: channel %d out of range", channel)
	}
	req := modbusWriteCoil(r.address, uint16(coil), on)
	// A late answer to an earlier command must not pass for this one's.
	r.line.port.Flush()
	if _, err := r.line.port.Write(req); err != nil {
		return fmt.Errorf("modbus relay %s: %w", r.line.path, err)
	}
	reply, err := r.readReply()
	if err != nil {
		return fmt.Errorf("modbus relay %s address %d coil %d: %w", r.line.path, r.address, coil, err)
	}
	if err := checkModbusReply(req, reply); err != nil {
		return fmt.Errorf("modbus relay %s address %d coil %d: %w", r.line.path, r.address, coil, err)
	}
	return nil
}

// readReply reads a write-single-coil answer: the 8-byte echo, or a
// 5-byte exception.
func (r *modbusRelay) readReply() ([]byte, error) {
	reply := make([]byte, 0, 8)
	buf := make([]byte, 8)
	deadline := time.Now().Add(modbusReplyTimeout)
	quick := 0
	for len(reply) < 8 {
		if len(reply) >= 5 && reply[1]&0x80 != 0 {
			break // an exception answer is 5 bytes
		}
		if time.Now().After(deadline) {
			if len(reply) == 0 {
				return nil, errors.New("no answer")
			}
			return reply, nil // checkModbusReply names what is wrong
		}
		n, err := r.line.read(buf[:8-len(reply)], &quick)
		if err != nil {
			return nil, err
		}
		reply = append(reply, buf[:n]...)
	}
	return reply, nil
}

// Check reports whether the board's port is still there.
func (r *modbusRelay) Check() error { return r.line.Check() }

// Close closes the port.
func (r *modbusRelay) Close() error { return r.line.Close() }

// openSerialRelay opens a serial relay device.
func openSerialRelay(d core.Device) (Relay, error) {
	line, err := openSerial(d.Port, d.Baud)
	if err != nil {
		return nil, err
	}
	switch d.Kind {
	case "serial-lcus-relay":
		return &lcusRelay{line: line}, nil
	case "serial-modbus-relay":
		addr := d.Address
		if addr == 0 {
			addr = 1
		}
		return &modbusRelay{line: line, address: byte(addr), firstCoil: d.FirstCoil}, nil
	}
	line.Close()
	return nil, fmt.Errorf("%w: no serial relay of kind %q", core.ErrInvalid, d.Kind)
}
