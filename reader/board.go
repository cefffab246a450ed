package reader

import (
	"errors"
	"sync"
)

// errBoardClosed is a command to a relay board that is not open.
var errBoardClosed = errors.New("relay board not open")

// board is a relay board shared by its own goroutine, which opens it,
// holds doors open, ends pulses and checks it, and by the threads of the
// readers, which switch a door's channel on themselves as soon as its tap
// is durable: a handoff to another goroutine would make the door wait for
// a thread of the process's other work to be scheduled first. Every
// command goes through the board's lock, and the board knows which
// channels are on.
type board struct {
	mu sync.Mutex
	rl Relay        // nil while the board is not open
	on map[int]bool // channels switched on, as last commanded
}

// attach makes rl the open board; detach forgets it.
func (b *board) attach(rl Relay) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rl, b.on = rl, map[int]bool{}
}

func (b *board) detach() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rl, b.on = nil, nil
}

// Set switches channel on or off.
func (b *board) Set(channel int, on bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rl == nil {
		return errBoardClosed
	}
	if err := b.rl.Set(channel, on); err != nil {
		return err
	}
	b.on[channel] = on
	return nil
}

// switchOn switches channel on unless it is on already, and reports
// whether it sent the command.
func (b *board) switchOn(channel int) (sent bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rl == nil {
		return false, errBoardClosed
	}
	if b.on[channel] {
		return false, nil
	}
	if err := b.rl.Set(channel, true); err != nil {
		return false, err
	}
	b.on[channel] = true
	return true, nil
}

// Check reports whether a board that can tell is still there, without
// switching anything.
func (b *board) Check() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.rl.(checker); ok {
		return c.Check()
	}
	return nil
}
