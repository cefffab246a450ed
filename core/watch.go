package core

import (
	"crypto/sha256"
	"encoding/hex"
)

// Update is one message of a live watch (Engine.Watch): an event just
// recorded, a desk tap, a device's new health, or a notice about the
// watch itself. Exactly one field is set.
type Update struct {
	// Event is an event of the actor's log, as Events would list it.
	Event *Event `json:"event,omitempty"`
	// Desk is a tap at a desk reader that is not in the actor's log, sent
	// for what the window at the desk does with it: show the tapper their
	// own self-view (SelfView), or take the card an enrolment waits for.
	// What shows the log (a feed, a count of events) leaves it out.
	Desk   *Event        `json:"desk,omitempty"`
	Health *DeviceHealth `json:"health,omitempty"`
	// Presence says someone's presence just changed (a door or the desk
	// moved them, or an automatic check-out) by an event not in the
	// actor's log, for holders of attendance.view, whose presence lists
	// and muster list read it again. It names nobody: they read what
	// they may.
	Presence bool `json:"presence,omitempty"`
	// Missed counts the updates this watcher lost because it fell behind
	// (a slow window, a stuck network): what it shows should be read again.
	Missed int `json:"missed,omitempty"`
	// Link is set by a remote watch only: LinkDown when the service went
	// away (what is shown stays, marked as old), LinkUp when it answers
	// again (read everything again).
	Link Link `json:"link,omitempty"`
}

// Link is the state of a remote watch's connection to the service.
type Link string

// Link states.
const (
	LinkDown Link = "down"
	LinkUp   Link = "up"
	// LinkEnded: the service answers again but the session is gone (it
	// restarted, the session was idle too long, the account was disabled
	// or its password changed): the watch stops; log in again.
	LinkEnded Link = "ended"
)

// Watch calls fn with every event the actor may see in the log
// (logs.view.any: all; logs.view.own: those at doors they own), with the
// other desk taps a window at the desk needs (Update.Desk: a known
// person's desk check-in or check-out opens their self-view for any
// actor; holders of cards.enroll get every card read at a desk reader, for
// the enrolment that captured it), and, when they hold doors.view, every
// device health report, and when they hold attendance.view, a notice
// (Update.Presence) of each move of a person they do not see in the log,
// from now on until cancel. fn runs on the
// goroutine that recorded the event, which also opens doors: it must not
// block (hand the update to a buffered channel). ErrForbidden for an actor
// who may not act (a disabled account).
func (e *Engine) Watch(a Actor, fn func(Update)) (cancel func(), err error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	events := e.eventFilter(s)
	enrols := s.has(PermCardsEnroll)
	presence := s.has(PermAttendanceView)
	stops := []func(){e.Subscribe(func(ev Event) {
		if events != nil && events(ev) {
			fn(Update{Event: &ev})
			return
		}
		if e.deskTap(ev, enrols) {
			fn(Update{Desk: &ev})
		}
		if presence && ev.Person != "" && ev.Zone != "" {
			fn(Update{Presence: true})
		}
	})}
	if s.has(PermDoorsView) {
		stops = append(stops, e.SubscribeHealth(func(h DeviceHealth) {
			fn(Update{Health: &h})
		}))
	}
	return func() {
		for _, stop := range stops {
			stop()
		}
	}, nil
}

// deskTap reports whether ev goes to a watcher as Update.Desk: a known
// person's desk check-in or check-out, which SelfView opens to anyone on
// the strength of the tap itself, or for an enroller any card read at a
// desk reader.
func (e *Engine) deskTap(ev Event, enrols bool) bool {
	if ev.Reader == "" || ev.Card == "" || !e.DeskReader(ev.Reader) {
		return false
	}
	switch ev.Result {
	case CheckedIn, CheckedOut, AlreadyCheckedIn:
		if ev.Person != "" {
			return true
		}
	}
	return enrols
}

// eventFilter says which events s may see in the log, as Events does:
// nil when none. The doors a boss owns are taken when the watch starts.
func (e *Engine) eventFilter(s subject) func(Event) bool {
	switch {
	case s.has(PermLogsViewAny):
		return func(Event) bool { return true }
	case s.has(PermLogsViewOwn):
		own := e.ownDoors(s)
		return func(ev Event) bool { return own[ev.Door] }
	}
	return nil
}

// SessionStamp identifies the state of a's account that a session
// depends on: it changes when the password changes, and a disabled or
// deleted account has none (ErrForbidden). A service compares it on every
// call of a session, so that disabling an account or changing its
// password ends the sessions opened before. Other actors have "".
func (e *Engine) SessionStamp(a Actor) (string, error) {
	if a.Kind != ActorAccount {
		return "", nil
	}
	e.mu.RLock()
	acc, ok := e.cfg.accounts[a.Name]
	e.mu.RUnlock()
	switch {
	case !ok:
		return "", phrasef(ErrForbidden, "no account %q", a.Name)
	case acc.Disabled:
		return "", phrasef(ErrForbidden, "account %s is disabled", a.Name)
	}
	sum := sha256.Sum256([]byte(acc.PasswordHash))
	return hex.EncodeToString(sum[:8]), nil
}
