package core

import (
	"errors"
	"fmt"
	"strings"
)

// DamagedAdvice ends the message of every error matching ErrDamaged: what
// a person should do about it.
const DamagedAdvice = "restore a backup (see README)"

// UnreadableEvent is an event of the log that could not be decoded.
type UnreadableEvent struct {
	Seq    uint64
	Reason string
}

// UnreadableEvents is the error of a walk of the event log (Tx.Events,
// Tx.Moves) that skipped events it could not decode: every other event was
// delivered, in order. It matches ErrDamaged. A caller that shows events
// shows the others and names these; a caller that adds events up
// (timesheets, attendance sheets) refuses, since a missing check-out would
// count wrong hours.
type UnreadableEvents struct {
	// Events are the first few skipped, in the order of the walk.
	Events []UnreadableEvent
	// Count is how many were skipped in all.
	Count int
}

// maxUnreadableNamed bounds UnreadableEvents.Events: a log with thousands
// of damaged events would otherwise carry them all in one message.
const maxUnreadableNamed = 5

// Add records one more skipped event.
func (u *UnreadableEvents) Add(seq uint64, reason string) {
	u.Count++
	if len(u.Events) < maxUnreadableNamed {
		u.Events = append(u.Events, UnreadableEvent{Seq: seq, Reason: reason})
	}
}

// Err returns u as an error, or nil when nothing was skipped.
func (u *UnreadableEvents) Err() error {
	if u == nil || u.Count == 0 {
		return nil
	}
	return u
}

func (u *UnreadableEvents) Error() string {
	var b strings.Builder
	b.WriteString("database damaged: ")
	for i, e := range u.Events {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "event %d cannot be read (%s)", e.Seq, e.Reason)
	}
	if more := u.Count - len(u.Events); more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	b.WriteString("; " + DamagedAdvice)
	return b.String()
}

// Is makes UnreadableEvents match ErrDamaged.
func (u *UnreadableEvents) Is(target error) bool { return target == ErrDamaged }

// unreadablePart returns the *UnreadableEvents that err carries, or nil:
// what is left of a walk's error once the caller's own stop is ignored.
func unreadablePart(err error) error {
	var u *UnreadableEvents
	if errors.As(err, &u) {
		return u
	}
	return nil
}
