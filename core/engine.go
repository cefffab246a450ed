package core

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// ActorKind is what sort of party acts on the engine.
type ActorKind string

// Actor kinds.
const (
	ActorSystem      ActorKind = "system"       // the engine itself: automatic check-out
	ActorCommandLine ActorKind = "command_line" // the CLI, as an OS user
	ActorAccount     ActorKind = "account"      // a staff account logged in
	ActorDevice      ActorKind = "device"       // a reader
)

// Actor is who asks the engine for a read or a change. Every entry point
// of the Engine that reads or changes the site takes one, so that
// permissions and the audit trail have a single place to look.
type Actor struct {
	Kind ActorKind
	// Name is the account's username, the OS user, or the device id.
	Name string
}

// CommandLine is the actor of a CLI command run by osUser.
func CommandLine(osUser string) Actor { return Actor{Kind: ActorCommandLine, Name: osUser} }

// String names the actor for people: "command line (root)", "bob".
func (a Actor) String() string {
	switch a.Kind {
	case ActorCommandLine:
		return "command line (" + a.Name + ")"
	case ActorSystem:
		return "system"
	case ActorDevice:
		return "device " + a.Name
	}
	return a.Name
}

// Engine is the single entry point for every decision and every change,
// shared by the GUI, the command line and the device supervisor.
type Engine struct {
	store Store
	now   Clock
	log   *slog.Logger

	mu  sync.RWMutex // guards cfg, loc and fed
	cfg *config
	fed Federation
	// fedOfSite: fed is the site settings', not SetFederation's.
	fedOfSite bool
	loc       *time.Location

	subMu   sync.Mutex
	subs    map[int]func(Event)
	nextSub int
	// openers are the OnOpenDoor hooks, under subMu.
	openers map[int]func(door string)

	healthMu   sync.Mutex
	health     map[string]DeviceHealth
	healthSubs map[int]func(DeviceHealth)
	healthNext int

	// enrolling counts the screens waiting for a card on the desk reader
	// (CaptureDesk): while it is positive a desk tap is read, not a
	// check-in.
	enrolling atomic.Int32

	// starts caches the first day of the people stored before Started
	// existed (resolveStarts), under startsMu.
	startsMu sync.Mutex
	starts   map[string]Date
}

// NewEngine returns an engine on store. now is the clock (time.Now in the
// app, a fixed or stepped clock in tests); log may be nil.
func NewEngine(store Store, now Clock, log *slog.Logger) (*Engine, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{store: store, now: now, log: log, subs: map[int]func(Event){}}
	if err := e.reload(); err != nil {
		return nil, err
	}
	return e, nil
}

// reload reads the site's config after a change: every change to it goes
// through the engine, which owns the store.
func (e *Engine) reload() error {
	var cfg *config
	if err := e.store.View(func(tx Tx) error {
		var err error
		cfg, err = loadConfig(tx)
		return err
	}); err != nil {
		return fmt.Errorf("read site: %w", err)
	}
	loc, err := cfg.site.Location()
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.cfg, e.loc = cfg, loc
	if cfg.site.Federation != nil || e.fedOfSite {
		e.fed, e.fedOfSite = federationOf(cfg.site.Federation), cfg.site.Federation != nil
	}
	e.mu.Unlock()
	return nil
}

// viewPermission is what counting or listing objects of kind needs.
func viewPermission(kind Kind) Permission {
	switch kind {
	case KindPerson, KindCard, KindDepartment:
		return PermPeopleView
	case KindGrant:
		return PermGrantsEditAny
	case KindAccount:
		return PermAccountsEdit
	case KindRole:
		return PermRolesEdit
	}
	return PermDoorsView
}

// Now returns the engine's clock reading.
func (e *Engine) Now() time.Time { return e.now() }

// Site returns the site settings.
func (e *Engine) Site() Site {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.cfg.site
}

// Location returns the site's time zone.
func (e *Engine) Location() *time.Location {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.loc
}

func (e *Engine) decider(tx Tx) *decider {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return &decider{tx: tx, cfg: e.cfg, site: e.cfg.site, loc: e.loc, enrolling: e.enrolling.Load() > 0}
}

// Tap decides a tap and records it: the event is durable, with the once
// grant's use it spends and the person's new zone, before Tap returns, so
// a door is never opened for a tap the log could lose. Taps from several
// readers share commits. Errors: ErrNotFound for an unknown reader,
// ErrInvalid for a malformed code; a refused tap is not an error.
func (e *Engine) Tap(tap Tap) (Event, error) {
	if tap.At.IsZero() {
		tap.At = e.now()
	}
	tap.At = tap.At.UTC()
	var ev Event
	var closed []Event
	err := e.store.Batch(func(tx Tx) error {
		closed = closed[:0]
		d := e.decider(tx)
		o, err := d.decide(tap)
		if err != nil {
			return err
		}
		// Someone still in from a work day that has closed was not checked
		// out (nothing ran at the close): do it first, at the close, so the
		// decision (anti-passback, the desk toggle) and the day's record
		// see them out.
		if o.ev.Person != "" && o.ev.Result != IgnoredDuplicate && o.ev.Result != CardRead {
			c, err := e.closeStale(tx, o.ev.Person, tap.At)
			if err != nil {
				return err
			}
			if c.Seq != 0 {
				closed = append(closed, c)
				if o, err = d.decide(tap); err != nil {
					return err
				}
			}
		}
		if err := apply(tx, &o); err != nil {
			return err
		}
		ev = o.ev
		return nil
	})
	if err != nil {
		return Event{}, fmt.Errorf("tap %s at %s: %w", tap.Code, tap.Reader, err)
	}
	for _, c := range closed {
		e.publish(c)
	}
	e.publish(ev)
	return ev, nil
}

// closeStale writes the automatic check-out of person if they are in a
// work zone since before the close of a work day that has passed by at.
// It returns the event written, or the zero Event.
func (e *Engine) closeStale(tx Tx, person string, at time.Time) (Event, error) {
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	p, err := tx.Presence(person)
	if errors.Is(err, ErrNotFound) || (err == nil && !cfg.zones[p.Zone].Work) {
		return Event{}, nil
	}
	if err != nil {
		return Event{}, err
	}
	who, err := get[Person](tx, KindPerson, person)
	if err != nil {
		return Event{}, err
	}
	close, err := cfg.calendarFor(who, loc).stretchClose(tx, cfg.workZones(), person, p.Since)
	if err != nil {
		return Event{}, err
	}
	if close.After(at) {
		return Event{}, nil
	}
	o := autoCheckout(who, close, cfg.site.OutsideZone, loc)
	if err := apply(tx, &o); err != nil {
		return Event{}, err
	}
	return o.ev, nil
}

// autoCheckout is the outcome that checks person out at the close of
// their work day.
func autoCheckout(p Person, close time.Time, outside string, loc *time.Location) outcome {
	o := outcome{ev: Event{At: close.UTC(), Person: p.ID, Result: AutoCheckout}, moveTo: outside}
	o.ev.explain(NewReason(ReasonAutoCheckout, "person", p.Name, "at", FormatLocal(close, loc)))
	return o
}

// apply writes an outcome: the event, then what it changes, in one
// transaction.
func apply(tx Tx, o *outcome) error {
	move := o.moveTo != "" && o.ev.Person != ""
	if move {
		// A tap replayed from the past must not move someone back.
		p, err := tx.Presence(o.ev.Person)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		move = err != nil || !o.ev.At.Before(p.Since)
	}
	if move {
		o.ev.Zone = o.moveTo
	}
	if err := tx.AppendEvent(&o.ev); err != nil {
		return err
	}
	if o.consume != nil {
		if err := tx.Put(KindGrant, o.consume.ID, *o.consume); err != nil {
			return err
		}
	}
	if o.debounce {
		if err := tx.PutLastDecision(o.ev.Card, o.ev.Reader, o.ev.At); err != nil {
			return err
		}
	}
	if move {
		return tx.PutPresence(Presence{Person: o.ev.Person, Zone: o.moveTo, Since: o.ev.At, Seq: o.ev.Seq})
	}
	return nil
}

// Decide tells what a tap would give without recording it or spending
// anything: the self-view's "which doors may I open" and the decision
// benchmarks use it.
func (e *Engine) Decide(tap Tap) (Event, error) {
	if tap.At.IsZero() {
		tap.At = e.now()
	}
	tap.At = tap.At.UTC()
	var ev Event
	err := e.store.View(func(tx Tx) error {
		o, err := e.decider(tx).decide(tap)
		ev = o.ev
		return err
	})
	return ev, err
}

// Subscribe calls fn with every event recorded from now on, after it is
// durable, until cancel is called. fn runs on the recording goroutine and
// must not block.
func (e *Engine) Subscribe(fn func(Event)) (cancel func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	id := e.nextSub
	e.nextSub++
	e.subs[id] = fn
	return func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		delete(e.subs, id)
	}
}

func (e *Engine) publish(ev Event) {
	e.subMu.Lock()
	fns := make([]func(Event), 0, len(e.subs))
	for _, fn := range e.subs {
		fns = append(fns, fn)
	}
	e.subMu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

// Import applies a site file all-or-nothing (see ImportSite).
// Each object the file creates or changes needs what changing it needs on
// every other path: the edit permission of its kind, FieldPermission for
// each changed field of a person or a department, grants.edit.any or to
// own the door for a grant; roles and accounts may hand out no right the
// actor lacks (noEscalation). What the file leaves as it is needs
// nothing, so an exported file imports back by anyone who may make the
// changes it brings. A refusal wraps ErrForbidden and names the file's
// path at fault. Every object the import changes is in the audit trail
// with its value before and after; the objects it creates are listed in
// one entry.
func (e *Engine) Import(a Actor, f *SiteFile) error {
	s, err := e.subject(a)
	if err != nil {
		return err
	}
	err = e.change(a, "site.import", true, func(tx *auditTx) error {
		return keepAnAdmin(tx, func() error {
			return noEscalation(tx, s, func() error { return importSite(tx, f, s) })
		})
	})
	if err != nil {
		return err
	}
	e.log.Info("site imported", "by", a.String())
	return e.reload()
}

// Export returns the whole site as a site file, password hashes
// included. Needs backup.run: it is a copy of the site.
func (e *Engine) Export(a Actor) (*SiteFile, error) {
	if _, err := e.require(a, PermBackupRun, "export the site"); err != nil {
		return nil, err
	}
	var f *SiteFile
	err := e.store.View(func(tx Tx) error {
		var err error
		f, err = ExportSite(tx)
		return err
	})
	return f, err
}

// Devices returns the site's own readers and relays, in id order, from
// the engine's copy of the site: no store read. Other sites' devices are
// not among them (nothing here runs them). An actor without doors.view
// gets none.
func (e *Engine) Devices(a Actor) []Device {
	if _, err := e.require(a, PermDoorsView, "see devices"); err != nil {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Device, 0, len(e.cfg.devices))
	for _, d := range e.cfg.devices {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Count returns how many objects of kind the site holds. It needs the
// permission that shows that kind.
func (e *Engine) Count(a Actor, kind Kind) (int, error) {
	if _, err := e.require(a, viewPermission(kind), "count "+string(kind)); err != nil {
		return 0, err
	}
	var n int
	err := e.store.View(func(tx Tx) error {
		var err error
		n, err = tx.Count(kind)
		return err
	})
	return n, err
}

// Events calls fn for the events q selects. With logs.view.any that is
// every event; with logs.view.own, the events of the doors the actor's
// person owns (a query for another door is refused). Events that cannot
// be read are skipped: fn sees the others, and the error, an
// *UnreadableEvents matching ErrDamaged, names the skipped ones (see
// Tx.Events).
//
// q.Site other than this site's (another site's id, or AllSites) needs
// logs.view.any: a site's events are all its doors'. A site whose events
// are not here is ErrNotFound (see ResolveSite).
func (e *Engine) Events(a Actor, q EventQuery, fn func(Event) error) error {
	s, err := e.subject(a)
	if err != nil {
		return err
	}
	if q.Site != "" {
		if err := s.need(PermLogsViewAny, "see other sites' events"); err != nil {
			if own, _, oerr := e.eventSites(); oerr != nil || q.Site != own {
				return err
			}
		}
		own, sites, err := e.ResolveSite(q.Site)
		if err != nil {
			return err
		}
		if len(sites) > 1 || sites[0] != own {
			return e.siteEvents(own, sites, q, fn)
		}
		q.Site = ""
	}
	if !s.has(PermLogsViewAny) {
		if !s.has(PermLogsViewOwn) {
			return s.forbid(PermLogsViewAny, "see the event log")
		}
		own := e.ownDoors(s)
		if q.Door != "" && !own[q.Door] {
			return ForbiddenError{Actor: a.String(), Permission: PermLogsViewOwn, Door: q.Door}
		}
		limit := q.Limit
		q.Limit = 0 // the filter below decides what counts
		n := 0
		inner := fn
		fn = func(ev Event) error {
			if !own[ev.Door] {
				return nil
			}
			if limit > 0 && n >= limit {
				return errEnough
			}
			n++
			return inner(ev)
		}
		err := e.store.View(func(tx Tx) error { return tx.Events(q, fn) })
		if errors.Is(err, errEnough) {
			return unreadablePart(err)
		}
		return err
	}
	return e.store.View(func(tx Tx) error { return tx.Events(q, fn) })
}

// Person returns the person id. Needs people.view.
func (e *Engine) Person(a Actor, id string) (Person, error) {
	if _, err := e.require(a, PermPeopleView, "see people"); err != nil {
		return Person{}, err
	}
	var p Person
	err := e.store.View(func(tx Tx) error {
		var err error
		p, err = get[Person](tx, KindPerson, id)
		return err
	})
	return p, err
}

// GrantQuery selects grants; zero fields select all.
type GrantQuery struct {
	Person, Door string
}

// AddGrant gives g.Person access to g.Door. The engine sets ID, Used,
// Created and, when empty, By (the actor). Errors: ErrNotFound for an
// unknown person or door, ErrInvalid for bounds that do not fit the kind.
//
// The actor needs grants.edit.any, or grants.edit.own and to own the door.
func (e *Engine) AddGrant(a Actor, g Grant) (Grant, error) {
	s, err := e.subject(a)
	if err != nil {
		return Grant{}, err
	}
	if err := e.canGrantOn(s, g.Door); err != nil {
		return Grant{}, err
	}
	g.Used = 0
	g.Created = e.now().UTC()
	if g.By == "" {
		g.By = a.String()
	}
	err = e.change(a, "grant.add", false, func(tx *auditTx) error {
		var ps Problems
		for _, ref := range []struct {
			field string
			kind  Kind
			id    string
		}{{"person", KindPerson, g.Person}, {"door", KindDoor, g.Door}} {
			if _, ok, err := tx.Raw(ref.kind, ref.id); err != nil {
				return err
			} else if !ok {
				ps = append(ps, missing(ref.field, ref.kind, ref.id))
			}
		}
		if err := checkGrant(g); err != nil {
			for _, p := range ProblemsOf(err) {
				ps = append(ps, p)
			}
		}
		if err := ps.Err(); err != nil {
			return err
		}
		id, err := tx.NextID(KindGrant)
		if err != nil {
			return err
		}
		g.ID = id
		return tx.Put(KindGrant, g.ID, g)
	})
	if err != nil {
		return Grant{}, err
	}
	e.log.Info("grant added", "grant", g.ID, "person", g.Person, "door", g.Door, "kind", g.Kind, "by", a.String())
	return g, nil
}

// checkGrant checks that a grant's bounds fit its kind, and returns
// every problem (Problems).
func checkGrant(g Grant) error {
	var ps Problems
	switch g.Kind {
	case GrantPermanent:
		if !g.From.IsZero() || !g.Until.IsZero() {
			ps = append(ps, problemOf("until", "", "a permanent grant has no from or until"))
		}
	case GrantTemporary:
		if g.Until.IsZero() {
			ps = append(ps, problemOf("until", "required", "a temporary grant needs until"))
		}
	case GrantOnce:
		if g.Uses < 1 {
			ps = append(ps, problemOf("uses", "once_uses", "a once grant needs uses of at least 1"))
		}
	case "":
		ps = append(ps, problemOf("kind", "required", "kind required: want permanent, temporary or once"))
	default:
		ps = append(ps, problemOf("kind", "bad_choice", fmt.Sprintf("kind %q: want permanent, temporary or once", g.Kind),
			"value", string(g.Kind)))
	}
	if g.Used < 0 || (g.Kind == GrantOnce && g.Uses >= 1 && g.Used > g.Uses) {
		ps = append(ps, problemOf("used", "", fmt.Sprintf("used %d out of range", g.Used)))
	}
	if !g.From.IsZero() && !g.Until.IsZero() && !g.From.Before(g.Until) {
		ps = append(ps, problemOf("until", "not_after", "from must be before until",
			"value", g.Until.Format(time.DateTime), "other", g.From.Format(time.DateTime)))
	}
	if err := CheckName(g.By); err != nil {
		ps = append(ps, fieldFrom("by", err))
	}
	return ps.Err()
}

// Grants lists the grants q selects, by id: all of them with
// grants.edit.any, those on the actor's own doors with grants.edit.own.
func (e *Engine) Grants(a Actor, q GrantQuery) ([]Grant, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	var own map[string]bool
	if !s.has(PermGrantsEditAny) {
		if !s.has(PermGrantsEditOwn) {
			return nil, s.forbid(PermGrantsEditAny, "see grants")
		}
		own = e.ownDoors(s)
		if q.Door != "" && !own[q.Door] {
			return nil, ForbiddenError{Actor: a.String(), Permission: PermGrantsEditOwn, Door: q.Door}
		}
	}
	var out []Grant
	err = e.store.View(func(tx Tx) error {
		var err error
		switch {
		case q.Person != "":
			out, err = tx.GrantsFor(q.Person, q.Door)
		case q.Door != "":
			out, err = tx.GrantsOn(q.Door)
		default:
			out, err = list[Grant](tx, KindGrant)
		}
		return err
	})
	if own != nil {
		out = slices.DeleteFunc(out, func(g Grant) bool { return !own[g.Door] })
	}
	sort.Slice(out, func(i, j int) bool { return grantIDLess(out[i].ID, out[j].ID) })
	return out, err
}

// grantIDLess orders "g2" before "g10".
func grantIDLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// RevokeGrant removes grant id and returns what it was.
//
// The actor needs grants.edit.any, or grants.edit.own and to own the door.
func (e *Engine) RevokeGrant(a Actor, id string) (Grant, error) {
	s, err := e.subject(a)
	if err != nil {
		return Grant{}, err
	}
	var g Grant
	err = e.change(a, "grant.revoke", false, func(tx *auditTx) error {
		var err error
		if g, err = get[Grant](tx, KindGrant, id); err != nil {
			return notFound("grant", id)
		}
		if err := e.canGrantOn(s, g.Door); err != nil {
			return err
		}
		return tx.Delete(KindGrant, id)
	})
	if err != nil {
		return Grant{}, err
	}
	e.log.Info("grant revoked", "grant", id, "by", a.String())
	return g, nil
}
