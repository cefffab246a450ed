package reader

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Chances of the kinds of simulated taps, in percent; the rest are taps of
// a known card.
const (
	unknownPercent = 10 // a code no card has
	doublePercent  = 10 // a known card tapped twice in a row, to show debounce
)

// simCards is how many cards the simulation taps among, and simReload how
// many taps it makes before it reads them again, so that people added
// while it runs join in.
const (
	simCards  = 500
	simReload = 15
)

// simReader is a software reader (kind "sim"). It taps what Inject sends
// it, and in the demo (auto) a card every so often at random: mostly the
// cards of active people, sometimes a code no card has, sometimes the same
// card twice within the debounce interval. Its taps go through the same
// sink, so the same engine entry point, as a real reader's.
type simReader struct {
	s      *Supervisor
	inject chan string
	auto   bool
	every  time.Duration
}

// Run taps until ctx ends.
func (r *simReader) Run(ctx context.Context, sink Sink) error {
	var cards []string
	var next <-chan time.Time
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	schedule := func() {
		if r.auto {
			timer.Reset(r.jitter())
			next = timer.C
		}
	}
	schedule()
	for n := 0; ; {
		select {
		case <-ctx.Done():
			return nil
		case code := <-r.inject:
			sink.Card(code)
		case <-next:
			if n%simReload == 0 {
				fresh, err := r.s.Engine.UsableCards(supervisorActor, simCards)
				if err != nil {
					r.s.Log.Warn("sim: read cards", "err", err)
				} else {
					cards = fresh
				}
			}
			n++
			code, known := r.pick(cards)
			sink.Card(code)
			if known && r.intn(100) < doublePercent {
				// Well inside the debounce interval, so the engine answers
				// "ignored, duplicate".
				if !wait(ctx, min(time.Duration(r.s.Engine.Site().Defaults().Debounce)/3, time.Second)) {
					return nil
				}
				sink.Card(code)
			}
			schedule()
		}
	}
}

// jitter spreads the taps of several sim readers: between half and one
// and a half times every.
func (r *simReader) jitter() time.Duration {
	return r.every/2 + time.Duration(r.intn(1000))*r.every/1000
}

func (r *simReader) intn(n int) int {
	r.s.rngMu.Lock()
	defer r.s.rngMu.Unlock()
	return r.s.rng.IntN(n)
}

// pick chooses a code; known is false for a made-up one.
func (r *simReader) pick(cards []string) (code string, known bool) {
	if len(cards) == 0 || r.intn(100) < unknownPercent {
		r.s.rngMu.Lock()
		v := r.s.rng.Uint64() & (1<<40 - 1)
		r.s.rngMu.Unlock()
		// 40 random bits: an EM4100 code that no card of a demo site has.
		return fmt.Sprintf("em:%010X", v), false
	}
	return cards[r.intn(len(cards))], true
}

// Close does nothing: there is no device.
func (r *simReader) Close() error { return nil }

// simRelay is a software relay board (kind "sim"): it logs what it
// switches.
type simRelay struct {
	id    string
	log   *slog.Logger
	state map[int]bool
}

// Set switches channel in memory.
func (r *simRelay) Set(channel int, on bool) error {
	if r.state[channel] != on {
		r.log.Debug("sim relay", "relay", r.id, "channel", channel, "on", on)
	}
	r.state[channel] = on
	return nil
}

// Close does nothing.
func (r *simRelay) Close() error { return nil }
