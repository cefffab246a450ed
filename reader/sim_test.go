package reader_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/reader"
	"frontdesk/storage/storagetest"
)

// simSite has three sim readers (two at a door, one at the desk), a serial
// reader and a sim relay that the simulator must leave alone, and people
// whose cards it may or may not tap. The short debounce keeps the test's
// double taps quick.
const simSite = `{
  "site": {"name": "Sim HQ", "timezone": "Europe/Paris", "debounce": "300ms", "desk_zone": "lobby"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby", "relay": "relay1:1"},
            {"id": "side", "name": "Side door", "from": "outside", "to": "lobby"}],
  "devices": [
    {"id": "relay1", "kind": "sim"},
    {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
    {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"},
    {"id": "desk", "kind": "sim", "desk": true},
    {"id": "side-in", "kind": "serial-rdm6300", "port": "/dev/ttyUSB9", "door": "side", "direction": "in"}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main", "side"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "department": "staff", "cards": ["em:0A00000001", {"code": "em:0A00000002", "state": "lost"}]},
    {"id": "ina", "name": "Ina Inactive", "department": "staff", "active": false, "cards": ["em:0D00000005"]}]
}`

var simReaders = map[string]bool{"main-in": true, "main-out": true, "desk": true}

func newEngine(t *testing.T, site string) *core.Engine {
	t.Helper()
	e, err := core.NewEngine(storagetest.MustOpen(t), time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(site))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(core.CommandLine("test"), f); err != nil {
		t.Fatal(err)
	}
	return e
}

// record collects the events the engine publishes.
type record struct {
	mu   sync.Mutex
	evs  []core.Event
	more chan struct{}
}

func listen(e *core.Engine, t *testing.T) *record {
	r := &record{more: make(chan struct{}, 1)}
	t.Cleanup(e.Subscribe(func(ev core.Event) {
		r.mu.Lock()
		r.evs = append(r.evs, ev)
		r.mu.Unlock()
		select {
		case r.more <- struct{}{}:
		default:
		}
	}))
	return r
}

func (r *record) events() []core.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]core.Event(nil), r.evs...)
}

// runSim runs sim in the background and returns a function that cancels it
// and reports how long Run took to return.
func runSim(t *testing.T, sim *reader.Sim) (stop func() time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	t.Cleanup(cancel)
	return func() time.Duration {
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run returned %v, want nil after cancel", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return within 5s of the cancel")
		}
		return time.Since(start)
	}
}

func TestSimTaps(t *testing.T) {
	e := newEngine(t, simSite)
	rec := listen(e, t)
	sim := &reader.Sim{Engine: e, Every: 2 * time.Millisecond, Rand: rand.New(rand.NewPCG(1, 2))}
	stop := runSim(t, sim)

	// Enough taps to see every kind: known, unknown, duplicates. Each tap
	// waits for its commit to be durable, which takes its time under -race
	// on a busy machine.
	deadline := time.After(30 * time.Second)
	for len(rec.events()) < 60 {
		select {
		case <-rec.more:
		case <-deadline:
			t.Fatalf("got %d events in 30s, want 60", len(rec.events()))
		}
	}
	if took := stop(); took > time.Second {
		t.Errorf("Run took %v to return after cancel, want < 1s", took)
	}

	known := map[string]bool{"em:0102B0A5FD": true, "em:0A00000001": true}
	count := map[core.Result]int{}
	people := map[string]bool{}
	for _, ev := range rec.events() {
		count[ev.Result]++
		if !simReaders[ev.Reader] {
			t.Errorf("event at reader %q, want only sim readers", ev.Reader)
		}
		if ev.Person != "" {
			people[ev.Person] = true
			if !known[ev.Card] {
				t.Errorf("tapped card %s of %s, want only active cards of active people", ev.Card, ev.Person)
			}
		}
	}
	if !people["ann"] || !people["bob"] {
		t.Errorf("people tapped %v, want ann and bob", people)
	}
	for _, r := range []core.Result{core.Granted, core.DeniedUnknownCard, core.IgnoredDuplicate} {
		if count[r] == 0 {
			t.Errorf("no %s among %d events (%v)", r, len(rec.events()), count)
		}
	}
	// Every tap was recorded: the log holds what the engine published.
	var logged int
	if err := e.Events(core.CommandLine("test"), core.EventQuery{}, func(ev core.Event) error {
		if !simReaders[ev.Reader] {
			t.Errorf("logged event at reader %q, want only sim readers", ev.Reader)
		}
		logged++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.events()); logged < got {
		t.Errorf("log holds %d events, want at least the %d published", logged, got)
	}
}

func TestSimDoubleTapIsDuplicate(t *testing.T) {
	// With a seeded source the same card comes twice in a row at the same
	// reader within the debounce interval: the engine ignores the second.
	e := newEngine(t, simSite)
	rec := listen(e, t)
	sim := &reader.Sim{Engine: e, Every: 50 * time.Millisecond, Rand: rand.New(rand.NewPCG(7, 7))}
	stop := runSim(t, sim)
	deadline := time.After(20 * time.Second)
	for {
		evs := rec.events()
		found := false
		for i := 1; i < len(evs); i++ {
			a, b := evs[i-1], evs[i]
			if b.Result == core.IgnoredDuplicate && a.Card == b.Card && a.Reader == b.Reader {
				found = true
			}
		}
		if found {
			break
		}
		select {
		case <-rec.more:
		case <-deadline:
			t.Fatalf("no double tap ignored as duplicate in 20s among %d events", len(evs))
		}
	}
	stop()
}

func TestSimStopsPromptly(t *testing.T) {
	// Cancelled while it waits for its next tap, an hour away.
	e := newEngine(t, simSite)
	stop := runSim(t, &reader.Sim{Engine: e, Every: time.Hour})
	time.Sleep(20 * time.Millisecond)
	if took := stop(); took > 100*time.Millisecond {
		t.Errorf("Run took %v to return after cancel, want < 100ms", took)
	}
}

func TestSimWithoutSimReaders(t *testing.T) {
	e := newEngine(t, `{
	  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby"}],
	  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "lobby"}],
	  "devices": [{"id": "main-in", "kind": "usb-wedge", "vid": "ffff", "pid": "0035", "door": "main", "direction": "in"}]
	}`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := (&reader.Sim{Engine: e, Every: time.Millisecond}).Run(ctx)
	if !errors.Is(err, core.ErrNotFound) {
		t.Errorf("Run = %v, want an error matching core.ErrNotFound", err)
	}
}
