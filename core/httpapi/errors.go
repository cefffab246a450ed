package httpapi

import (
	"errors"
	"net/http"

	"frontdesk/core"
)

// Error kinds on the wire: the "kind" of an error response. Each maps to
// one HTTP status and, on the client, back to the core sentinel it came
// from, so errors.Is and the command line's exit statuses are the same
// through the service as in process.
const (
	KindInvalid    = "invalid"      // 400: the input breaks a rule; the message says which
	KindLogin      = "login"        // 401: a login refused
	KindNoSession  = "unauthorized" // 401: no login, or the session ended
	KindForbidden  = "forbidden"    // 403
	KindNotFound   = "not_found"    // 404
	KindConflict   = "conflict"     // 409
	KindTooLarge   = "too_large"    // 413: a body over the limit
	KindTooMany    = "too_many"     // 429: too many failed logins from this address
	KindDamaged    = "damaged"      // 500: the database file is damaged
	KindInternal   = "internal"     // 500: anything else
	KindUnreadable = "unreadable"   // 500 at the end of a stream: some events could not be read
)

// Error is an error answered by the service: its message is the
// engine's, word for word, so a command prints the same through the
// service as in process.
type Error struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Field names the request field at fault, for KindInvalid answers to a
	// malformed request ("body.person", "query.from").
	Field string `json:"field,omitempty"`
	// Problem is set with Field when the engine's error was a
	// core.FieldError: the client gives one back, so that a form shows
	// the problem beside its field.
	Problem string `json:"problem,omitempty"`
	// Problems are every problem of the input the engine reported
	// (core.ProblemsOf), with their codes: the client gives them back as
	// core.Problems, so that a form shows each beside its field, in the
	// window's language.
	Problems []Problem `json:"problems,omitempty"`
	// Forbidden is set on a forbidden answer when the engine's error was
	// a core.ForbiddenError: the client gives one back, so that a command
	// words the refusal in its own language.
	Forbidden *Forbidden `json:"forbidden,omitempty"`
	// Args are the values of the message, for a client to word it in its
	// language: a too_many answer's "address" and "wait".
	Args map[string]string `json:"args,omitempty"`
	// Site is set on a conflict answer when the engine refused a change
	// that is another site's (core.CentralError, core.SiteOwnError): the
	// client gives the error back.
	Site *SiteRefusal `json:"site_refusal,omitempty"`
	// Missing is set on a not_found answer when the engine's error was a
	// core.NotFoundError: what is missing and its id.
	Missing *core.NotFoundError `json:"missing,omitempty"`
	// Phrase is set when the engine's error was a core.PhraseError: its
	// sentence's format and values, whose sentinel is the kind's.
	Phrase *Phrase `json:"phrase,omitempty"`
}

// Phrase is a core.PhraseError on the wire, without its sentinel.
type Phrase struct {
	Format string   `json:"format"`
	Args   []string `json:"args,omitempty"`
	Words  []int    `json:"words,omitempty"`
}

// core is p as the engine made it, with the sentinel of kind.
func (p *Phrase) core(kind string) error {
	var sentinel error
	switch kind {
	case KindNotFound:
		sentinel = core.ErrNotFound
	case KindConflict:
		sentinel = core.ErrConflict
	case KindInvalid:
		sentinel = core.ErrInvalid
	case KindForbidden:
		sentinel = core.ErrForbidden
	default:
		return nil
	}
	return &core.PhraseError{Err: sentinel, Format: p.Format, Args: p.Args, Words: p.Words}
}

// SiteRefusal is a core.CentralError (Central set) or a
// core.SiteOwnError (Site set) on the wire.
type SiteRefusal struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Central string `json:"central,omitempty"`
	Site    string `json:"site,omitempty"`
	// Here is this site's id in a SiteOwnError.
	Here   string `json:"here,omitempty"`
	Branch bool   `json:"branch,omitempty"` // a CentralError
}

// core is r as the engine made it.
func (r *SiteRefusal) core() error {
	if r.Branch {
		return &core.CentralError{Kind: core.Kind(r.Kind), ID: r.ID, Central: r.Central}
	}
	return &core.SiteOwnError{Kind: core.Kind(r.Kind), ID: r.ID, Site: r.Site, Here: r.Here}
}

// Forbidden is a core.ForbiddenError on the wire.
type Forbidden struct {
	Actor      string `json:"actor"`
	Permission string `json:"permission"`
	What       string `json:"what"`
	Door       string `json:"door,omitempty"`
}

// core is f as the engine made it.
func (f *Forbidden) core() core.ForbiddenError {
	return core.ForbiddenError{Actor: f.Actor, Permission: core.Permission(f.Permission), What: f.What, Door: f.Door}
}

// Problem is one problem of an input on the wire: a core.FieldError, or
// a core.SiteFileError whose path is the field.
type Problem struct {
	// Kind is that of the problem alone: invalid, not_found, conflict or
	// forbidden.
	Kind    string            `json:"kind"`
	Field   string            `json:"field"`
	Problem string            `json:"problem"`
	Code    string            `json:"code,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
}

// local is e as the client returns it: a *core.FieldError when the
// engine's error was one (same message) and nothing more, else e, which
// unwraps to its core.Problems and to its core.ForbiddenError when it
// has them.
func (e *Error) local() error {
	if e.Problem == "" || e.Field+": "+e.Problem != e.Message || len(e.Problems) > 1 {
		return e
	}
	fe := &core.FieldError{Field: e.Field, Problem: e.Problem, Err: e}
	if len(e.Problems) == 1 {
		fe.Code, fe.Args = e.Problems[0].Code, e.Problems[0].Args
	}
	return fe
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the problems of the input as core.Problems, each
// wrapping the sentinel of its own kind, and the core.ForbiddenError of a
// refusal (within a longer message), and its core.PhraseError; nil when
// there are none.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Forbidden != nil {
		errs = append(errs, e.Forbidden.core())
	}
	if e.Site != nil {
		errs = append(errs, e.Site.core())
	}
	if e.Missing != nil {
		errs = append(errs, e.Missing)
	}
	if e.Phrase != nil {
		if pe := e.Phrase.core(e.Kind); pe != nil {
			errs = append(errs, pe)
		}
	}
	if len(e.Problems) == 0 {
		return errs
	}
	ps := make(core.Problems, len(e.Problems))
	for i, p := range e.Problems {
		ps[i] = &core.FieldError{Field: p.Field, Problem: p.Problem, Code: p.Code, Args: p.Args,
			Err: &Error{Kind: p.Kind, Message: p.Problem}}
	}
	return append(errs, ps)
}

// Is matches the core sentinel the kind stands for.
func (e *Error) Is(target error) bool {
	switch target {
	case core.ErrInvalid:
		return e.Kind == KindInvalid || e.Kind == KindTooLarge
	case core.ErrLogin:
		return e.Kind == KindLogin || e.Kind == KindTooMany
	case core.ErrForbidden:
		return e.Kind == KindForbidden || e.Kind == KindNoSession
	case core.ErrNotFound:
		return e.Kind == KindNotFound
	case core.ErrConflict:
		return e.Kind == KindConflict
	case core.ErrDamaged:
		return e.Kind == KindDamaged || e.Kind == KindUnreadable
	}
	return false
}

// status is the HTTP status of an error kind.
func status(kind string) int {
	switch kind {
	case KindInvalid:
		return http.StatusBadRequest
	case KindLogin, KindNoSession:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case KindTooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// wireError is err as the service answers it.
func wireError(err error) *Error {
	var we *Error
	if errors.As(err, &we) {
		return we
	}
	kind := KindInternal
	var unreadable *core.UnreadableEvents
	switch {
	case errors.As(err, &unreadable):
		kind = KindUnreadable
	case errors.Is(err, core.ErrDamaged):
		kind = KindDamaged
	case errors.Is(err, core.ErrLogin):
		kind = KindLogin
	case errors.Is(err, core.ErrForbidden):
		kind = KindForbidden
	case errors.Is(err, core.ErrNotFound):
		kind = KindNotFound
	case errors.Is(err, core.ErrConflict):
		kind = KindConflict
	case errors.Is(err, core.ErrInvalid):
		kind = KindInvalid
	}
	we = &Error{Kind: kind, Message: err.Error()}
	var fe *core.FieldError
	if errors.As(err, &fe) && fe.Error() == err.Error() {
		we.Field, we.Problem = fe.Field, fe.Problem
	}
	var central *core.CentralError
	var own *core.SiteOwnError
	var missing *core.NotFoundError
	if errors.As(err, &missing) {
		we.Missing = &core.NotFoundError{What: missing.What, ID: missing.ID}
	}
	var phrase *core.PhraseError
	if errors.As(err, &phrase) {
		we.Phrase = &Phrase{Format: phrase.Format, Args: phrase.Args, Words: phrase.Words}
	}
	switch {
	case errors.As(err, &central):
		we.Site = &SiteRefusal{Kind: string(central.Kind), ID: central.ID, Central: central.Central, Branch: true}
	case errors.As(err, &own):
		we.Site = &SiteRefusal{Kind: string(own.Kind), ID: own.ID, Site: own.Site, Here: own.Here}
	}
	var forbidden core.ForbiddenError
	if errors.As(err, &forbidden) {
		we.Forbidden = &Forbidden{Actor: forbidden.Actor, Permission: string(forbidden.Permission), What: forbidden.What, Door: forbidden.Door}
	}
	for _, p := range core.ProblemsOf(err) {
		we.Problems = append(we.Problems, Problem{Kind: kindOf(p), Field: p.Field, Problem: p.Problem, Code: p.Code, Args: p.Args})
	}
	return we
}

// kindOf is the kind of one problem of an input.
func kindOf(p *core.FieldError) string {
	switch {
	case errors.Is(p, core.ErrForbidden):
		return KindForbidden
	case errors.Is(p, core.ErrNotFound):
		return KindNotFound
	case errors.Is(p, core.ErrConflict):
		return KindConflict
	}
	return KindInvalid
}

// invalidf is a malformed request: 400 naming the field.
func invalid(field, msg string) *Error {
	return &Error{Kind: KindInvalid, Field: field, Message: "invalid request: " + field + ": " + msg}
}
