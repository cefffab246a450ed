// Package reader holds the device drivers, the delivery of card codes to the
// engine, and simulated readers for demos and tests. The serial and USB
// drivers and their supervisor come later; for now it has the simulator.
package reader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"frontdesk/core"
)

// Engine is what the simulator needs of core.Engine: the site, to know its
// readers and cards, and the tap entry point every real reader uses too.
type Engine interface {
	Export(core.Actor) (*core.SiteFile, error)
	Tap(core.Tap) (core.Event, error)
}

// Chances of the kinds of simulated taps, in percent; the rest are taps of
// a known card.
const (
	unknownPercent = 10 // a code no card has
	doublePercent  = 10 // a known card tapped twice in a row, to show debounce
)

// reloadEvery is how many taps the simulator makes before it reads the site
// again, so that people and readers added while it runs join in.
const reloadEvery = 15

// Sim taps cards at the site's simulated readers (devices of kind "sim"
// that are readers) for demos: mostly the cards of active people, sometimes
// a code no card has, sometimes the same card twice within the debounce
// interval. Its taps go through Engine.Tap exactly like a real reader's.
//
// Set the fields before Run; only Engine is required. Run a Sim once at a
// time: its random source is not locked.
type Sim struct {
	Engine Engine
	// Every is the time between taps; default 4s.
	Every time.Duration
	// Rand chooses readers, cards and kinds of taps; default a source seeded
	// at random. Give a seeded one for repeatable tests.
	Rand *rand.Rand
	// Log receives the taps the engine refused as errors; default none.
	Log *slog.Logger
}

// simActor is who the simulator is to the engine when it reads the site.
var simActor = core.Actor{Kind: core.ActorDevice, Name: "sim"}

// simSite is what the simulator taps with.
type simSite struct {
	readers  []string // ids of sim readers
	cards    []string // codes of the active cards of active people
	debounce time.Duration
}

// Run taps a card every s.Every until ctx ends, then returns nil. It
// returns an error when it cannot read the site or the site has no
// simulated reader. A tap the engine refuses (a reader removed meanwhile,
// a desk reader on a site without desk zone) is logged and the next tap
// goes on.
func (s *Sim) Run(ctx context.Context) error {
	if s.Engine == nil {
		return errors.New("sim: no engine")
	}
	every := s.Every
	if every <= 0 {
		every = 4 * time.Second
	}
	rng := s.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	site, err := s.load()
	if err != nil {
		return err
	}
	if len(site.readers) == 0 {
		return fmt.Errorf("sim: %w: the site has no reader of kind sim", core.ErrNotFound)
	}

	tick := time.NewTicker(every)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if n%reloadEvery == 0 {
			// A failed reload keeps the previous site: the demo goes on.
			if fresh, err := s.load(); err != nil {
				log.Warn("sim: reload site", "err", err)
			} else if len(fresh.readers) > 0 {
				site = fresh
			}
		}
		t, known := site.next(rng)
		s.tap(log, t)
		if known && rng.IntN(100) < doublePercent {
			// Well inside the debounce interval, so the engine answers
			// "ignored, duplicate".
			wait := min(site.debounce/3, time.Second)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
			s.tap(log, t)
		}
	}
}

func (s *Sim) tap(log *slog.Logger, t core.Tap) {
	if _, err := s.Engine.Tap(t); err != nil {
		log.Warn("sim: tap", "reader", t.Reader, "code", t.Code, "err", err)
	}
}

// load reads the sim readers and usable cards of the site.
func (s *Sim) load() (simSite, error) {
	f, err := s.Engine.Export(simActor)
	if err != nil {
		return simSite{}, fmt.Errorf("sim: read site: %w", err)
	}
	site := simSite{debounce: time.Duration(core.Site{}.Defaults().Debounce)}
	if f.Site != nil && f.Site.Debounce != nil {
		site.debounce = time.Duration(*f.Site.Debounce)
	}
	for _, d := range f.Devices {
		if d.Kind == "sim" && d.IsReader() {
			site.readers = append(site.readers, d.ID)
		}
	}
	for _, p := range f.People {
		if p.Active != nil && !*p.Active {
			continue
		}
		for _, c := range p.Cards {
			if c.State == "" || c.State == core.CardActive {
				site.cards = append(site.cards, c.Code)
			}
		}
	}
	return site, nil
}

// next chooses the reader and the code of one tap; known is false for a
// made-up code.
func (site simSite) next(rng *rand.Rand) (t core.Tap, known bool) {
	t.Reader = site.readers[rng.IntN(len(site.readers))]
	if len(site.cards) == 0 || rng.IntN(100) < unknownPercent {
		// 40 random bits: an EM4100 code that no card of a demo site has.
		t.Code = fmt.Sprintf("em:%010X", rng.Uint64()&(1<<40-1))
		return t, false
	}
	t.Code = site.cards[rng.IntN(len(site.cards))]
	return t, true
}
