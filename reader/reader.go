// Package reader runs the badge readers and door relays plugged into the
// reception PC: the drivers (serial through github.com/tarm/serial, USB
// through github.com/google/gousb), the decoding of their frames into core's
// card codes, the supervisor that keeps every device running, and simulated
// readers and relays for demos and tests.
package reader

import (
	"context"
	"errors"
)

// Sink receives what a reader decodes.
type Sink interface {
	// Card is called with the card code of each valid frame, in core's
	// FORMAT:VALUE form (em:0102B0A5FD, dec:0045131261, w26:176:42493,
	// uid:04A22B1A).
	Card(code string)
	// Reject is called for each frame that failed its check (bad checksum,
	// bad length, not hex); the error says why, for the device's health.
	Reject(err error)
}

// Decoder turns the bytes a serial reader sends into card codes. Bytes may
// arrive in any split: a frame cut in two by the port's read timeout is
// decoded when its second half arrives. A decoder never panics, whatever
// the bytes, and bounds the memory it keeps.
type Decoder interface {
	// Feed consumes p, calling s for every frame it completes.
	Feed(p []byte, s Sink)
}

// Reader is an open card reader: it delivers reads until its context ends
// or the device fails.
type Reader interface {
	// Run reads until ctx ends, then returns nil, or until the device fails
	// (unplugged, I/O error), then returns that error. It calls s from its
	// own goroutine, one read at a time, in the order the device sent them.
	Run(ctx context.Context, s Sink) error
	// Close releases the device. It never blocks for long, even while Run is
	// reading.
	Close() error
}

// Relay is an open relay board.
type Relay interface {
	// Set switches channel (1-based) on or off. It returns an error when the
	// command could not be sent or, for boards that answer, was not
	// confirmed.
	Set(channel int, on bool) error
	// Close releases the board. It does not switch relays off: the
	// supervisor does that first.
	Close() error
}

// ErrNoDevice is returned by an open when the device is not plugged in.
var ErrNoDevice = errors.New("device not found")

// ErrFrame is wrapped by the errors a Decoder rejects frames with.
var ErrFrame = errors.New("bad frame")
