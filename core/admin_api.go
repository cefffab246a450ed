package core

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// This file holds what the administration screens need beyond the site
// file: reading the site's rules one kind at a time, opening a door from
// the screen, lockdown, deleting objects with their references checked,
// and the doors an actor may grant access to. Creating and changing
// objects goes through Import, which validates and audits a site file
// that holds only them.

// Zones returns the site's zones in id order. Needs doors.view or
// settings.edit (the settings choose the desk and outside zones).
func (e *Engine) Zones(a Actor) ([]Zone, error) {
	if err := e.requireAny(a, "see zones", PermDoorsView, PermSettingsEdit); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return sortedByID(e.cfg.zones, func(z Zone) Zone { return z }), nil
}

// Schedules returns the site's schedules in id order. Needs access.edit.
func (e *Engine) Schedules(a Actor) ([]Schedule, error) {
	if err := e.requireAny(a, "see schedules", PermAccessEdit); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return sortedByID(e.cfg.schedules, func(s Schedule) Schedule {
		s.Week = s.Week.clone()
		return s
	}), nil
}

// Shifts returns the site's shifts in id order. Needs access.edit, or
// people.view (the people screens show whose shift is which).
func (e *Engine) Shifts(a Actor) ([]Shift, error) {
	if err := e.requireAny(a, "see shifts", PermAccessEdit, PermPeopleView); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return sortedByID(e.cfg.shifts, func(s Shift) Shift {
		s.Week = s.Week.clone()
		return s
	}), nil
}

// AccessLevels returns the site's access levels in id order. Needs
// access.edit, or people.view (the people screens show a person's levels).
func (e *Engine) AccessLevels(a Actor) ([]AccessLevel, error) {
	if err := e.requireAny(a, "see access levels", PermAccessEdit, PermPeopleView); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return sortedByID(e.cfg.levels, func(l AccessLevel) AccessLevel {
		rules := make([]Rule, len(l.Rules))
		for i, r := range l.Rules {
			rules[i] = Rule{Doors: slices.Clone(r.Doors), Schedule: r.Schedule}
		}
		l.Rules = rules
		return l
	}), nil
}

// Holidays returns the site's holidays by date. Needs access.edit.
func (e *Engine) Holidays(a Actor) ([]Holiday, error) {
	if err := e.requireAny(a, "see holidays", PermAccessEdit); err != nil {
		return nil, err
	}
	var out []Holiday
	err := e.store.View(func(tx Tx) error {
		var err error
		out, err = list[Holiday](tx, KindHoliday)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, err
}

// GrantableDoors returns the doors on which a may give and revoke grants,
// in id order: every door with grants.edit.any, the doors a's person owns
// with grants.edit.own, none otherwise. It needs no doors.view: a boss
// chooses among her doors by name.
func (e *Engine) GrantableDoors(a Actor) []Door {
	s, err := e.subject(a)
	if err != nil || (!s.has(PermGrantsEditAny) && !s.has(PermGrantsEditOwn)) {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []Door
	for _, d := range e.cfg.doors {
		if s.has(PermGrantsEditAny) || s.owns(d) {
			d.Owners = slices.Clone(d.Owners)
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// OpenDoor opens door id from the screen: it records a granted event
// without reader or person, "door Main opened from the screen by bob",
// then asks the hooks of OnOpenDoor to pulse the door's relay, so that, as
// for a tap, the door never opens before the event is durable. The event
// is published to Subscribe's subscribers like a tap's, and the audit
// trail has a "door.open" entry.
//
// A door in lockdown stays shut to whoever may only open doors: opening
// it needs doors.lockdown too, the power to lift the lockdown, and the
// event says so ("door Lab opened from the screen by bob during
// lockdown"; the audit entry has "lockdown": true). The window asks for
// confirmation first.
//
// Needs doors.open. Errors: ErrNotFound for an unknown door, ErrInvalid for
// a door without relay (there is nothing to open), ErrForbidden.
func (e *Engine) OpenDoor(a Actor, id string) (Event, error) {
	s, err := e.require(a, PermDoorsOpen, "open doors from the screen")
	if err != nil {
		return Event{}, err
	}
	var ev Event
	var door Door
	err = e.change(a, "door.open", false, func(tx *auditTx) error {
		// The stored door, in the transaction that logs the opening: a
		// lockdown set a moment ago counts.
		var ok bool
		var err error
		if door, ok, err = lookup[Door](tx, KindDoor, id); err != nil {
			return err
		} else if !ok {
			return notFound("door", id)
		}
		if door.Relay == "" {
			return phrasef(ErrInvalid, "door %s has no relay to open", door.Name)
		}
		lockdown := door.Mode == DoorLockdown
		ev = Event{At: e.now().UTC(), Door: id, Result: Granted}
		code := ReasonDoorOpened
		if lockdown {
			if err := s.need(PermDoorsLockdown, "open a door in lockdown"); err != nil {
				return err
			}
			code = ReasonDoorOpenedLockdown
		}
		ev.explain(NewReason(code, "door", door.Name, "by", a))
		if err := tx.AppendEvent(&ev); err != nil {
			return err
		}
		what := map[string]any{"event": ev.Seq, "relay": door.Relay}
		if lockdown {
			what["lockdown"] = true
		}
		after, err := json.Marshal(what)
		if err != nil {
			return err
		}
		return tx.entry(string(KindDoor)+"/"+id, nil, after)
	})
	if err != nil {
		return Event{}, fmt.Errorf("open door %s: %w", id, err)
	}
	if door.Mode == DoorLockdown {
		e.log.Warn("door in lockdown opened from the screen", "door", id, "by", a.String())
	} else {
		e.log.Info("door opened from the screen", "door", id, "by", a.String())
	}
	e.publish(ev)
	e.subMu.Lock()
	openers := make([]func(string), 0, len(e.openers))
	for _, fn := range e.openers {
		openers = append(openers, fn)
	}
	e.subMu.Unlock()
	for _, fn := range openers {
		fn(id)
	}
	return ev, nil
}

// OnOpenDoor calls fn with the door's id each time OpenDoor has recorded
// an opening, until cancel is called. The device supervisor hooks its
// relay pulse here (what it does for a granted tap): without a hook,
// OpenDoor records the event and nothing opens. fn runs on the caller's
// goroutine, after the event is durable, and must not block.
func (e *Engine) OnOpenDoor(fn func(door string)) (cancel func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	id := e.nextSub
	e.nextSub++
	if e.openers == nil {
		e.openers = map[int]func(string){}
	}
	e.openers[id] = fn
	var once sync.Once
	return func() {
		once.Do(func() {
			e.subMu.Lock()
			defer e.subMu.Unlock()
			delete(e.openers, id)
		})
	}
}

// SetDoorMode puts door id in mode: lockdown (only master persons pass),
// normal (release), or unlocked (held open). The change is audited as
// "door.mode" and applies to the next tap. Needs doors.lockdown. Errors:
// ErrNotFound, ErrInvalid for an unknown mode.
func (e *Engine) SetDoorMode(a Actor, id string, mode DoorMode) (Door, error) {
	if _, err := e.require(a, PermDoorsLockdown, "lock doors down or release them"); err != nil {
		return Door{}, err
	}
	switch mode {
	case DoorNormal, DoorUnlocked, DoorLockdown:
	default:
		return Door{}, phrasef(ErrInvalid, "door mode %q: want normal, unlocked or lockdown", mode)
	}
	var door Door
	err := e.change(a, "door.mode", false, func(tx *auditTx) error {
		var err error
		if door, err = get[Door](tx, KindDoor, id); err != nil {
			return notFound("door", id)
		}
		door.Mode = mode
		return tx.Put(KindDoor, id, door)
	})
	if err != nil {
		return Door{}, fmt.Errorf("set mode of door %s: %w", id, err)
	}
	e.log.Info("door mode set", "door", id, "mode", mode, "by", a.String())
	return door, e.reload()
}

// deletePermission is what deleting an object of kind needs; kinds
// missing here are deleted through their own methods (people, cards,
// grants, roles, accounts) or never (events).
var deletePermission = map[Kind]Permission{
	KindZone: PermDoorsEdit, KindDoor: PermDoorsEdit, KindDevice: PermDoorsEdit,
	KindSchedule: PermAccessEdit, KindHoliday: PermAccessEdit, KindShift: PermAccessEdit,
	KindAccessLevel: PermAccessEdit,
}

// DeleteObject deletes a zone, door, device, schedule, holiday (id is its
// date, "2026-12-25"), shift or access level, audited as "KIND.delete".
// It refuses, with ErrConflict naming the users, an object something else
// still refers to: a zone a door or the site settings use, a door with
// readers, access rules or grants, a relay a door uses, a schedule an
// access level uses, a shift or access level a department or person has.
// The events that name it stay as they are: the log is history.
//
// Needs doors.edit for zones, doors and devices, access.edit for the
// others. Errors: ErrNotFound, ErrInvalid for another kind.
func (e *Engine) DeleteObject(a Actor, kind Kind, id string) error {
	p, ok := deletePermission[kind]
	if !ok {
		return phrasef(ErrInvalid, "%s are not deleted with DeleteObject", kind)
	}
	if _, err := e.require(a, p, "delete "+string(kind)); err != nil {
		return err
	}
	noun := kindNoun[kind]
	if kind == KindHoliday {
		noun = "holiday"
	}
	err := e.change(a, strings.ReplaceAll(noun, " ", "-")+".delete", false, func(tx *auditTx) error {
		if _, ok, err := tx.Raw(kind, id); err != nil {
			return err
		} else if !ok {
			return notFound(noun, id)
		}
		users, err := referrers(tx, kind, id)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return phrasef(ErrConflict, "%s %s is used by %s", word(noun), id, strings.Join(users, ", "))
		}
		return tx.Delete(kind, id)
	})
	if err != nil {
		return fmt.Errorf("delete %s %s: %w", noun, id, err)
	}
	e.log.Info("object deleted", "kind", kind, "id", id, "by", a.String())
	return e.reload()
}

// referrers names what refers to kind/id, "door main (from)", in the
// order the site file lists kinds.
func referrers(tx Tx, kind Kind, id string) ([]string, error) {
	var users []string
	add := func(format string, args ...any) { users = append(users, fmt.Sprintf(format, args...)) }
	switch kind {
	case KindZone:
		site, err := tx.Site()
		if err != nil {
			return nil, err
		}
		if site.DeskZone == id {
			add("the site's desk zone")
		}
		if site.OutsideZone == id {
			add("the site's outside zone")
		}
		doors, err := list[Door](tx, KindDoor)
		if err != nil {
			return nil, err
		}
		for _, d := range doors {
			if d.From == id || d.To == id {
				add("door %s", d.ID)
			}
		}
	case KindDoor:
		devices, err := list[Device](tx, KindDevice)
		if err != nil {
			return nil, err
		}
		for _, d := range devices {
			if d.Door == id {
				add("reader %s", d.ID)
			}
		}
		if err := levelsUsing(tx, func(r Rule) bool { return slices.Contains(r.Doors, id) }, add); err != nil {
			return nil, err
		}
		grants, err := tx.GrantsOn(id)
		if err != nil {
			return nil, err
		}
		if n := len(grants); n > 0 {
			add("%d grant(s)", n)
		}
	case KindDevice:
		doors, err := list[Door](tx, KindDoor)
		if err != nil {
			return nil, err
		}
		for _, d := range doors {
			if dev, _, _ := strings.Cut(d.Relay, ":"); d.Relay != "" && dev == id {
				add("door %s (relay %s)", d.ID, d.Relay)
			}
		}
	case KindSchedule:
		if err := levelsUsing(tx, func(r Rule) bool { return r.Schedule == id }, add); err != nil {
			return nil, err
		}
	case KindShift, KindAccessLevel:
		uses := func(d Department) bool { return d.Shift == id }
		usesP := func(p Person) bool { return p.Shift == id }
		if kind == KindAccessLevel {
			uses = func(d Department) bool { return d.AccessLevel == id }
			usesP = func(p Person) bool { return slices.Contains(p.AccessLevels, id) }
		}
		deps, err := list[Department](tx, KindDepartment)
		if err != nil {
			return nil, err
		}
		for _, d := range deps {
			if uses(d) {
				add("department %s", d.ID)
			}
		}
		// People are many: name a few and count the rest.
		n := 0
		err = tx.List(KindPerson, func(_ string, decode func(any) error) error {
			var p Person
			if err := decode(&p); err != nil {
				return err
			}
			if usesP(p) {
				if n < 3 {
					add("person %s", p.ID)
				}
				n++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if n > 3 {
			add("%d more people", n-3)
		}
	}
	return users, nil
}

// levelsUsing adds each access level one of whose rules match.
func levelsUsing(tx Tx, match func(Rule) bool, add func(string, ...any)) error {
	levels, err := list[AccessLevel](tx, KindAccessLevel)
	if err != nil {
		return err
	}
	for _, l := range levels {
		if slices.ContainsFunc(l.Rules, match) {
			add("access level %s", l.ID)
		}
	}
	return nil
}

// requireAny resolves a and checks that it holds one of ps.
func (e *Engine) requireAny(a Actor, what string, ps ...Permission) error {
	s, err := e.subject(a)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(ps, s.has) {
		return nil
	}
	return s.forbid(ps[0], what)
}

// sortedByID copies the values of m through cp, in key order.
func sortedByID[T any](m map[string]T, cp func(T) T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = cp(m[k])
	}
	return out
}

// clone copies the week's windows.
func (wk Week) clone() Week {
	var out Week
	for d := range wk {
		out[d] = slices.Clone(wk[d])
	}
	return out
}
