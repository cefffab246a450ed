package core

import (
	"fmt"
	"reflect"
	"strings"
)

// subject is what the permission checks know of an actor.
type subject struct {
	actor Actor
	// all is true for the command line, the system and devices: whoever
	// can write the database file can do anything anyway (DESIGN §4).
	all   bool
	perms map[Permission]bool
	// person is the account's person: a boss's doors are hers.
	person string
}

// has reports whether the subject holds p.
func (s subject) has(p Permission) bool { return s.all || s.perms[p] }

// owns reports whether the subject's person owns door.
func (s subject) owns(door Door) bool {
	return s.person != "" && door.OwnedBy(s.person)
}

// forbid is the error for a permission the subject lacks.
func (s subject) forbid(p Permission, what string) error {
	return ForbiddenError{Actor: s.actor.String(), Permission: p, What: what}
}

// need returns nil if the subject holds p, else a forbidden error saying
// what was refused.
func (s subject) need(p Permission, what string) error {
	if s.has(p) {
		return nil
	}
	return s.forbid(p, what)
}

// subject resolves a's permissions from the engine's copy of the accounts
// and roles. An account that is unknown or disabled may do nothing.
func (e *Engine) subject(a Actor) (subject, error) {
	switch a.Kind {
	case ActorCommandLine, ActorSystem, ActorDevice:
		return subject{actor: a, all: true}, nil
	case ActorAccount:
	default:
		return subject{}, phrasef(ErrForbidden, "unknown actor kind %q", a.Kind)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	acc, ok := e.cfg.accounts[a.Name]
	if !ok {
		return subject{}, phrasef(ErrForbidden, "no account %q", a.Name)
	}
	if acc.Disabled {
		return subject{}, phrasef(ErrForbidden, "account %s is disabled", a.Name)
	}
	s := subject{actor: a, perms: map[Permission]bool{}, person: acc.Person}
	for _, id := range acc.Roles {
		for _, p := range e.cfg.roles[id].Permissions {
			s.perms[p] = true
		}
	}
	return s, nil
}

// require resolves a and checks that it holds p.
func (e *Engine) require(a Actor, p Permission, what string) (subject, error) {
	s, err := e.subject(a)
	if err != nil {
		return s, err
	}
	return s, s.need(p, what)
}

// Authorize returns nil when a holds p, else an error wrapping
// ErrForbidden. The command line calls it for what it does on the store
// directly, such as backup and verify.
func (e *Engine) Authorize(a Actor, p Permission) error {
	_, err := e.require(a, p, "do this")
	return err
}

// PermissionsOf returns the permissions a holds, in register order: the
// screens show only what they allow.
func (e *Engine) PermissionsOf(a Actor) ([]Permission, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	var out []Permission
	for _, p := range allPermissions() {
		if s.has(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// canGrantOn reports whether s may give or revoke access to door: on every
// door with grants.edit.any, on the doors its person owns with
// grants.edit.own.
func (e *Engine) canGrantOn(s subject, doorID string) error {
	e.mu.RLock()
	door, ok := e.cfg.doors[doorID]
	e.mu.RUnlock()
	if !ok {
		door = Door{ID: doorID}
	}
	return s.mayGrantOn(door)
}

// mayGrantOn is canGrantOn for a door already read.
func (s subject) mayGrantOn(door Door) error {
	if s.has(PermGrantsEditAny) {
		return nil
	}
	if !s.has(PermGrantsEditOwn) {
		return s.forbid(PermGrantsEditOwn, "change access to doors")
	}
	if !s.owns(door) {
		return ForbiddenError{Actor: s.actor.String(), Permission: PermGrantsEditOwn, What: "change access to doors", Door: door.ID}
	}
	return nil
}

// ownDoors returns the ids of the doors s's person owns.
func (e *Engine) ownDoors(s subject) map[string]bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := map[string]bool{}
	for id, d := range e.cfg.doors {
		if s.owns(d) {
			out[id] = true
		}
	}
	return out
}

// editPermission is what creating, changing or deleting an object of a
// kind needs, whatever the path (the screens, the site file, the people
// CSV). People and departments need more for some of their fields
// (FieldPermission); a grant needs grants.edit.any, or grants.edit.own on
// a door one's person owns; a role or an account may in addition hand out
// no right the actor lacks (noEscalation).
var editPermission = map[Kind]Permission{
	KindZone: PermDoorsEdit, KindDoor: PermDoorsEdit, KindDevice: PermDoorsEdit,
	KindSchedule: PermAccessEdit, KindHoliday: PermAccessEdit, KindShift: PermAccessEdit,
	KindAccessLevel: PermAccessEdit,
	KindDepartment:  PermPeopleEdit, KindPerson: PermPeopleEdit,
	KindCard:    PermCardsEnroll,
	KindGrant:   PermGrantsEditOwn,
	KindRole:    PermRolesEdit,
	KindAccount: PermAccountsEdit,
}

// fieldPermissions says which fields of people and departments need a
// permission of their own to change, by kind and by the field's JSON key
// (the key of site files, the column of people CSV files). Every other
// field needs the kind's editPermission, people.edit. This table is the
// one place that decides it: the person editor (PutPerson, AddPerson),
// the department editor (PutDepartment), the site file (Import) and the
// people CSV (ImportPeople) all check changes through it.
//
// A master opens every door, even in lockdown, and a person's or a
// department's access levels decide which doors they open: those are
// access decisions, which need access.edit, whoever else may edit the
// person. A department move stays people.edit: the departments and their
// levels are set up by whoever holds access.edit.
var fieldPermissions = map[Kind]map[string]Permission{
	KindPerson: {
		"master":        PermAccessEdit,
		"access_levels": PermAccessEdit,
		// Not a field of Person: the site file's and the CSV's list of
		// the person's cards.
		"cards": PermCardsEnroll,
	},
	KindDepartment: {
		"access_level": PermAccessEdit,
	},
}

// FieldPermission returns the permission that changing field of an
// object of kind (KindPerson or KindDepartment) needs: see
// fieldPermissions. The screens use it to offer only the fields the
// actor may change; the engine checks it on every path.
func FieldPermission(kind Kind, field string) Permission {
	if p, ok := fieldPermissions[kind][field]; ok {
		return p
	}
	return editPermission[kind]
}

// EditPermission returns the permission that creating, changing or
// deleting an object of kind needs (more for some fields: FieldPermission;
// grants.edit.own for a grant, grants.edit.any beyond one's doors); ""
// for a kind the screens and the site file do not edit.
func EditPermission(kind Kind) Permission { return editPermission[kind] }

// changedFields names, by their JSON keys and in declaration order, the
// fields whose values differ between a and b, two values of one struct
// type. An empty list is the same as no list. A new object is compared
// with the zero value: each field it sets is a change.
func changedFields[T any](a, b T) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		x, y := va.Field(i), vb.Field(i)
		if x.Kind() == reflect.Slice && x.Len() == 0 && y.Len() == 0 {
			continue
		}
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			out = append(out, name)
		}
	}
	return out
}

// fieldForbidden is a refusal to change one field: Field names it, the
// Problem says who may not and what it needs.
func (s subject) fieldForbidden(field string, p Permission) *FieldError {
	return &FieldError{Field: field, Err: ErrForbidden,
		Problem: fmt.Sprintf("%s: %s may not change it (needs %s)", ErrForbidden, s.actor, p)}
}

// mayChange returns nil when s may store after over before (exists false:
// after is new), else a *FieldError wrapping ErrForbidden for the first
// field it may not change. Fields that keep their value need nothing, so
// importing back an unchanged export needs no more than reading it did.
func mayChange[T any](s subject, kind Kind, before T, exists bool, after T) error {
	if s.all {
		return nil
	}
	if !exists {
		var zero T
		before = zero
	}
	changed := changedFields(before, after)
	if len(changed) == 0 {
		return nil
	}
	if base := editPermission[kind]; !s.has(base) {
		return s.fieldForbidden(changed[0], base)
	}
	for _, f := range changed {
		if p := FieldPermission(kind, f); !s.has(p) {
			return s.fieldForbidden(f, p)
		}
	}
	return nil
}
