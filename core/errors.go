package core

import "errors"

// Sentinel errors, checked with errors.Is. Functions wrap them with context
// that names the object or field at fault.
var (
	// ErrNotFound: the object named does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule; the message says which.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden: the actor lacks the permission for the action.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the change contradicts the stored state (a card already
	// held by someone else, an object still in use).
	ErrConflict = errors.New("conflict")
	// ErrDamaged: the database file is damaged or is not a Frontdesk
	// database (bbolt pages that cannot be read, a record that cannot be
	// decoded, a file cut short). The message says what, and that a
	// backup should be restored.
	ErrDamaged = errors.New("database damaged")
)
