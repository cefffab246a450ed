package storage

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"frontdesk/core"
)

// ErrDamaged is matched (errors.Is) by the errors of a file that is
// damaged or is not a Frontdesk database: pages bbolt cannot read, records
// that cannot be decoded, a file cut short, an empty file, another
// program's file. It is core.ErrDamaged, so that core can test for it too.
var ErrDamaged = core.ErrDamaged

// damagedError says what is wrong with a database file.
type damagedError struct {
	// path is the file, when the message should name it.
	path string
	what string
	// notDB: the file is not a Frontdesk database at all (empty, not a
	// bbolt file, another program's), rather than one that was damaged.
	notDB bool
}

func (e *damagedError) Error() string {
	if e.notDB {
		return fmt.Sprintf("%s is not a Frontdesk database: %s", e.path, e.what)
	}
	if e.path != "" {
		return fmt.Sprintf("database damaged: %s: %s; %s", e.path, e.what, core.DamagedAdvice)
	}
	return fmt.Sprintf("database damaged: %s; %s", e.what, core.DamagedAdvice)
}

func (e *damagedError) Is(target error) bool { return target == ErrDamaged }

// damaged returns the error of a damaged file.
func damaged(path, format string, args ...any) error {
	return &damagedError{path: path, what: fmt.Sprintf(format, args...)}
}

// notDatabase returns the error of a file that is not a Frontdesk database.
func notDatabase(path, format string, args ...any) error {
	return &damagedError{path: path, what: fmt.Sprintf(format, args...), notDB: true}
}

// decodeError is a stored record that cannot be decoded: the file was
// damaged, or changed by something other than Frontdesk.
func decodeError(what string, err error) error {
	return damaged("", "%s cannot be decoded: %s", what, shortReason(err))
}

// shortReason is err's message cut to a length that fits on one line.
func shortReason(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// damage is the value storage code panics with when it finds the file in
// a state no Frontdesk leaves it in (a bucket missing): contain turns it
// into its error.
type damage struct{ err error }

// contain runs fn so that no panic leaves it. bbolt trusts the pages it
// reads: a damaged one makes it panic, or read outside its memory map,
// which faults (a file cut short under the map raises SIGBUS). Faults
// become panics here (debug.SetPanicOnFault, for this goroutine), and a
// panic becomes an error: ErrDamaged when it comes from bbolt, from a
// fault or from a damage value, else an internal error whose stack goes
// to the log. fn must run on the calling goroutine.
func (db *DB) contain(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		err = db.panicError(r)
	}()
	return fn()
}

// panicError turns the value a panic carried into an error. It must be
// called by the deferred function that recovered it: it reads the stack
// of the panic.
func (db *DB) panicError(r any) error {
	if d, ok := r.(damage); ok {
		return d.err
	}
	where := panicOrigin()
	_, fault := r.(interface{ Addr() uintptr })
	if fault || strings.HasPrefix(where, "go.etcd.io/bbolt") {
		db.log.Error("damaged page", "path", db.path, "panic", fmt.Sprint(r), "in", where)
		return damaged(db.path, "a page cannot be read (%s)", strings.TrimPrefix(fmt.Sprint(r), "assertion failed: "))
	}
	db.log.Error("internal error", "path", db.path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	return fmt.Errorf("internal error in the database code: %v", r)
}

// panicOrigin returns the function that panicked, as package-qualified
// name, from within a deferred function running for that panic: the first
// frame below runtime.gopanic that is not the runtime's own.
func panicOrigin() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	below := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			below = true
		case below && !strings.HasPrefix(f.Function, "runtime."):
			return f.Function
		}
		if !more {
			return ""
		}
	}
}

// isDamaged reports whether err says the file is damaged.
func isDamaged(err error) bool { return errors.Is(err, ErrDamaged) }
