package core

import (
	"errors"
	"sort"
	"time"
)

// DeviceHealth is the state of one reader or relay as the device
// supervisor last saw it. The screens show it at a glance, `frontdesk
// devices` prints it, and a door whose relay failed to switch off is named
// in it.
type DeviceHealth struct {
	Device string `json:"device"`
	Kind   string `json:"kind"`
	// Connected is true while the device is open and working.
	Connected bool `json:"connected"`
	// Since is when Connected last changed.
	Since time.Time `json:"since,omitzero"`
	// LastFrame is when the reader last sent a valid frame.
	LastFrame time.Time `json:"last_frame,omitzero"`
	// Frames counts valid frames; Rejected counts frames that failed their
	// check (bad checksum or length), a sign of a wrong kind or baud rate or
	// of a noisy line.
	Frames   int `json:"frames"`
	Rejected int `json:"rejected"`
	// LastError is the last failure: open, read, or relay command.
	LastError string    `json:"last_error,omitempty"`
	ErrorAt   time.Time `json:"error_at,omitzero"`
	// Faulty names the doors whose relay did not switch off: the door may
	// be unlocked and needs a look.
	Faulty []string `json:"faulty,omitempty"`
}

// ReportHealth records a device's health and tells the health listeners.
// The supervisor calls it on every change.
func (e *Engine) ReportHealth(h DeviceHealth) {
	e.healthMu.Lock()
	if e.health == nil {
		e.health = map[string]DeviceHealth{}
	}
	h.Faulty = append([]string(nil), h.Faulty...)
	e.health[h.Device] = h
	fns := e.healthListeners()
	e.healthMu.Unlock()
	for _, fn := range fns {
		fn(h)
	}
}

// ForgetHealth drops the health of a device the supervisor no longer runs
// (removed from the site) and tells the health listeners with a report
// that has only Device set.
func (e *Engine) ForgetHealth(device string) {
	e.healthMu.Lock()
	delete(e.health, device)
	fns := e.healthListeners()
	e.healthMu.Unlock()
	for _, fn := range fns {
		fn(DeviceHealth{Device: device})
	}
}

// healthListeners copies the listeners; healthMu is held.
func (e *Engine) healthListeners() []func(DeviceHealth) {
	fns := make([]func(DeviceHealth), 0, len(e.healthSubs))
	for _, fn := range e.healthSubs {
		fns = append(fns, fn)
	}
	return fns
}

// Health returns the last reported health of every device, by device id.
// Devices no supervisor runs have none; an actor without doors.view sees
// none.
func (e *Engine) Health(a Actor) []DeviceHealth {
	if _, err := e.require(a, PermDoorsView, "see device health"); err != nil {
		return nil
	}
	e.healthMu.Lock()
	defer e.healthMu.Unlock()
	out := make([]DeviceHealth, 0, len(e.health))
	for _, h := range e.health {
		h.Faulty = append([]string(nil), h.Faulty...)
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Device < out[j].Device })
	return out
}

// SubscribeHealth calls fn with every health report from now on, until
// cancel is called. fn runs on the supervisor's goroutine and must not
// block.
func (e *Engine) SubscribeHealth(fn func(DeviceHealth)) (cancel func()) {
	e.healthMu.Lock()
	defer e.healthMu.Unlock()
	if e.healthSubs == nil {
		e.healthSubs = map[int]func(DeviceHealth){}
	}
	id := e.healthNext
	e.healthNext++
	e.healthSubs[id] = fn
	return func() {
		e.healthMu.Lock()
		defer e.healthMu.Unlock()
		delete(e.healthSubs, id)
	}
}

// Doors returns the site's doors, in id order, from the engine's copy of
// the site: no store read, so the supervisor may look a door up on every
// granted tap. An actor without doors.view gets none.
func (e *Engine) Doors(a Actor) []Door {
	if _, err := e.require(a, PermDoorsView, "see doors"); err != nil {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Door, 0, len(e.cfg.doors))
	for _, d := range e.cfg.doors {
		d.Owners = append([]string(nil), d.Owners...)
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// errEnough stops a walk that has what it needs.
var errEnough = errors.New("enough")

// UsableCards returns up to limit codes of active cards held by active
// people, in code order: the cards the demo's simulated readers tap.
// Needs cards.enroll.
func (e *Engine) UsableCards(a Actor, limit int) ([]string, error) {
	if _, err := e.require(a, PermCardsEnroll, "list cards"); err != nil {
		return nil, err
	}
	var out []string
	err := e.store.View(func(tx Tx) error {
		active := map[string]bool{}
		err := tx.List(KindCard, func(_ string, decode func(any) error) error {
			if len(out) >= limit {
				return errEnough
			}
			var c Card
			if err := decode(&c); err != nil {
				return err
			}
			if c.State != CardActive && c.State != "" {
				return nil
			}
			ok, seen := active[c.Person]
			if !seen {
				p, err := get[Person](tx, KindPerson, c.Person)
				ok = err == nil && !p.Inactive
				active[c.Person] = ok
			}
			if ok {
				out = append(out, c.Code)
			}
			return nil
		})
		if errors.Is(err, errEnough) {
			return nil
		}
		return err
	})
	return out, err
}

// Door returns the door id from the engine's copy of the site; ok is false
// when there is none or the actor lacks doors.view.
func (e *Engine) Door(a Actor, id string) (Door, bool) {
	if _, err := e.require(a, PermDoorsView, "see doors"); err != nil {
		return Door{}, false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	d, ok := e.cfg.doors[id]
	d.Owners = append([]string(nil), d.Owners...)
	return d, ok
}
