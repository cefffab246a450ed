package reader

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
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

// simReader is a software reader (kind "sim"): it taps what reaches its
// inject channel, from Supervisor.Inject or the demo's simulation, through
// the same sink, so the same engine entry point, as a real reader's.
type simReader struct {
	inject chan string
}

// Run taps until ctx ends.
func (r *simReader) Run(ctx context.Context, sink Sink) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case code := <-r.inject:
			sink.Card(code)
		}
	}
}

// Close does nothing: there is no device.
func (r *simReader) Close() error { return nil }

// simulate is the demo: every SimEvery, a card at a sim reader chosen at
// random: mostly the cards of active people, sometimes a code no card has,
// sometimes the same card twice within the debounce interval.
func (s *Supervisor) simulate(ctx context.Context) {
	var cards []string
	tick := time.NewTicker(s.SimEvery)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n%simReload == 0 {
			fresh, err := s.Engine.UsableCards(supervisorActor, simCards)
			if err != nil {
				s.Log.Warn("sim: read cards", "err", err)
			} else {
				cards = fresh
			}
		}
		var readers []string
		s.mu.Lock()
		for id, r := range s.running {
			// The desk is left to the demo's tap panel: a random desk tap
			// would check someone in or out and pop their self-view up
			// over the screen every few seconds.
			if r.cfg.Kind == "sim" && r.inject != nil && !r.cfg.Desk {
				readers = append(readers, id)
			}
		}
		s.mu.Unlock()
		if len(readers) == 0 {
			continue
		}
		slices.Sort(readers) // map order is random: keep Rand's choices repeatable
		reader := readers[s.rng.IntN(len(readers))]
		code, known := s.pick(cards)
		s.Inject(reader, code)
		if known && s.rng.IntN(100) < doublePercent {
			// Well inside the debounce interval, so the engine answers
			// "ignored, duplicate".
			if !wait(ctx, min(time.Duration(s.Engine.Site().Debounce)/3, time.Second)) {
				return
			}
			s.Inject(reader, code)
		}
	}
}

// pick chooses a code; known is false for a made-up one.
func (s *Supervisor) pick(cards []string) (code string, known bool) {
	if len(cards) == 0 || s.rng.IntN(100) < unknownPercent {
		// 40 random bits: an EM4100 code that no card of a demo site has.
		return fmt.Sprintf("em:%010X", s.rng.Uint64()&(1<<40-1)), false
	}
	return cards[s.rng.IntN(len(cards))], true
}

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
