package core

import (
	"fmt"
	"time"
)

// Kind names a collection of the site's objects in the store.
type Kind string

// The collections. Ids are the site's own slugs, except cards (their
// canonical code) and holidays (their date, "2026-12-25").
const (
	KindZone        Kind = "zones"
	KindDoor        Kind = "doors"
	KindDevice      Kind = "devices"
	KindSchedule    Kind = "schedules"
	KindHoliday     Kind = "holidays"
	KindShift       Kind = "shifts"
	KindAccessLevel Kind = "access_levels"
	KindDepartment  Kind = "departments"
	KindPerson      Kind = "people"
	KindCard        Kind = "cards"
	KindGrant       Kind = "grants"
	KindRole        Kind = "roles"
	KindAccount     Kind = "accounts"
	// Attendance records entered by hand ("a1", ...), justifications
	// ("j1", ...), the content of their files ("f1", ...) and the
	// corrections of time banks ("b1", ...).
	KindAttendance    Kind = "attendance"
	KindJustification Kind = "justifications"
	KindFile          Kind = "files"
	KindBalance       Kind = "balance_adjustments"
)

// Kinds lists every collection, in the order a site file is applied; the
// attendance records, justifications, files and time bank corrections are
// not in site files.
var Kinds = []Kind{KindZone, KindSchedule, KindHoliday, KindShift, KindDoor, KindDevice,
	KindAccessLevel, KindDepartment, KindPerson, KindCard, KindGrant, KindRole, KindAccount,
	KindAttendance, KindJustification, KindFile, KindBalance}

// Store is the persistence the engine needs. Implementations keep
// everything in one file and make each Update or Batch atomic and durable.
type Store interface {
	// View runs fn in a read-only transaction.
	View(fn func(Tx) error) error
	// Update runs fn in a read-write transaction, committed durably when fn
	// returns nil and rolled back when it returns an error.
	Update(fn func(Tx) error) error
	// Batch is Update with group commit: concurrent callers share one
	// commit. fn may run more than once, so it must have no effect outside
	// the transaction.
	Batch(fn func(Tx) error) error
	// Close releases the store.
	Close() error
}

// Tx is a transaction on the store. Values are copied in and out; nothing
// returned refers to the store's memory. Writes fail on a read-only Tx.
type Tx interface {
	// Site returns the site settings, Defaults applied; a store never
	// imported into has the zero Site with Defaults.
	Site() (Site, error)
	// PutSite stores the site settings.
	PutSite(Site) error

	// Get decodes the object kind/id into v (a pointer to the kind's
	// type: Zone, Door, ...); ErrNotFound if there is none.
	Get(kind Kind, id string, v any) error
	// Put stores v (the kind's type, not a pointer) under id, keeping the
	// secondary indexes of cards, grants and phones in step.
	Put(kind Kind, id string, v any) error
	// Raw returns the stored JSON of kind/id, copied out of the store; ok
	// is false when there is none. The audit trail compares it with what
	// a change writes.
	Raw(kind Kind, id string) (raw []byte, ok bool, err error)
	// Delete removes kind/id and its index entries; ErrNotFound if absent.
	Delete(kind Kind, id string) error
	// List calls fn for every object of kind in id order; decode decodes
	// the current object into a pointer. An error from fn stops the walk
	// and is returned.
	List(kind Kind, fn func(id string, decode func(v any) error) error) error
	// Count returns how many objects of kind there are.
	Count(kind Kind) (int, error)

	// CardsMatching returns the cards whose code matches the read
	// (Code.Matches), in code order.
	CardsMatching(read Code) ([]Card, error)
	// CardsOf returns the cards held by person, in code order.
	CardsOf(person string) ([]Card, error)
	// GrantsFor returns person's grants on door; door "" returns all of
	// the person's grants.
	GrantsFor(person, door string) ([]Grant, error)
	// GrantsOn returns every grant on door.
	GrantsOn(door string) ([]Grant, error)
	// PeopleByPhone returns the ids, in order, of the people whose phone
	// has the key last9 (PhoneKey): the candidates for a check-in by
	// mobile number, which the caller compares in full.
	PeopleByPhone(last9 string) ([]string, error)
	// NextID returns a new id for kind ("g1", "g2", ... for grants),
	// unique in the store.
	NextID(kind Kind) (string, error)

	// AppendEvent appends e to the log: it sets e.Seq, e.PrevHash and
	// e.Hash (see EventHash) and files it in the time, person and door
	// indexes.
	AppendEvent(e *Event) error
	// Events calls fn for the events that q selects, in time order (then
	// sequence order). An error from fn stops the walk and is returned.
	// An event that cannot be decoded is skipped and the walk goes on;
	// the error returned then is an *UnreadableEvents naming it (joined
	// with fn's error if fn stopped the walk), which matches ErrDamaged.
	Events(q EventQuery, fn func(Event) error) error
	// Moves calls fn for person's events between from and to (From ≤ At <
	// To) that moved them, in time order, decoding only what presence
	// needs: the timesheet of a month reads a quarter of a million. An
	// event that cannot be decoded is skipped like in Events.
	Moves(person string, from, to time.Time, fn func(Move) error) error
	// SiteMoves is Moves for person's events at other sites of the
	// company, held at the central site (docs/federation.md): those of
	// site, or of every other site when site is "".
	SiteMoves(site, person string, from, to time.Time, fn func(Move) error) error
	// EventSites returns this site's id in its company ("" when it has
	// joined none: its own events read with that Site) and the ids of the
	// other sites whose events are held here, in id order.
	EventSites() (own string, others []string, err error)
	// SiteEvents is Events for another site's events held here (q.Site
	// aside), each with its Site set; unreadable events as in Events.
	SiteEvents(site string, q EventQuery, fn func(Event) error) error
	// LastEvent returns the most recently appended event; ErrNotFound when
	// the log is empty.
	LastEvent() (Event, error)

	// AppendAudit appends e to the audit trail: it sets e.Seq, e.PrevHash
	// and e.Hash (see AuditHash).
	AppendAudit(e *AuditEntry) error
	// Audit calls fn for the entries q selects, in sequence order. An
	// error from fn stops the walk and is returned.
	Audit(q AuditQuery, fn func(AuditEntry) error) error

	// Mark returns the progress mark name, 0 when never set: how far a
	// link to the other sites of the company got (docs/federation.md),
	// moved in the same transaction as what it counts.
	Mark(name string) (uint64, error)
	// PutMark sets the progress mark name.
	PutMark(name string, v uint64) error

	// Presence returns where person was last seen; ErrNotFound if never.
	Presence(person string) (Presence, error)
	// PutPresence stores where a person is.
	PutPresence(Presence) error
	// Presences calls fn for every known presence, in person order.
	Presences(fn func(Presence) error) error

	// SitePresence returns the latest presence another site of the
	// company sent here (ApplySitePresence); ErrNotFound if none.
	SitePresence(site string) (SitePresence, error)
	// PutSitePresence stores p as the latest presence of p.Site.
	PutSitePresence(p SitePresence) error
	// SitePresences calls fn for every site's presence kept here, in
	// site order.
	SitePresences(fn func(SitePresence) error) error

	// LastDecision returns when card was last decided at reader (the
	// debounce reference); ok is false if never.
	LastDecision(card, reader string) (at time.Time, ok bool, err error)
	// PutLastDecision records it.
	PutLastDecision(card, reader string, at time.Time) error
}

// Move is the part of an event that presence is made of: when, the zone
// it put the person in, and the result (auto_checkout marks a stretch).
type Move struct {
	At     time.Time `json:"at"`
	Zone   string    `json:"zone"`
	Result Result    `json:"result"`
}

// EventQuery selects events. Zero fields select everything.
type EventQuery struct {
	From, To time.Time // From ≤ At < To
	Door     string
	Person   string
	// Limit, when positive, keeps the walk to the first Limit events.
	Limit int
	// Reverse walks newest first.
	Reverse bool
	// Site is whose events, at the central site of a company
	// (docs/federation.md): "" this site's, AllSites every site's merged
	// in time order, or a site's id. Engine.Events honours it; a Tx's
	// Events reads this site's log whatever it says.
	Site string
}

// get decodes kind/id from tx into a new T.
func get[T any](tx Tx, kind Kind, id string) (T, error) {
	var v T
	if err := tx.Get(kind, id, &v); err != nil {
		return v, err
	}
	return v, nil
}

// list decodes every object of kind.
func list[T any](tx Tx, kind Kind) ([]T, error) {
	var out []T
	err := tx.List(kind, func(_ string, decode func(any) error) error {
		var v T
		if err := decode(&v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// notFound wraps ErrNotFound for one object.
func notFound(what, id string) error {
	return &NotFoundError{What: what, ID: id}
}

// NotFoundError is an object that is not there: what it is, in words
// ("person", "attendance record"), and the id asked for. It matches
// ErrNotFound.
type NotFoundError struct {
	What string `json:"what"`
	ID   string `json:"id"`
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s: no %s %q", ErrNotFound, e.What, e.ID) }

// Unwrap returns ErrNotFound.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }
