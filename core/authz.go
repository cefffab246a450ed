package core

import (
	"fmt"
	"slices"
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
	return fmt.Errorf("%w: %s may not %s (needs %s)", ErrForbidden, s.actor, what, p)
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
		return subject{}, fmt.Errorf("%w: unknown actor kind %q", ErrForbidden, a.Kind)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	acc, ok := e.cfg.accounts[a.Name]
	if !ok {
		return subject{}, fmt.Errorf("%w: no account %q", ErrForbidden, a.Name)
	}
	if acc.Disabled {
		return subject{}, fmt.Errorf("%w: account %s is disabled", ErrForbidden, a.Name)
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
	if s.has(PermGrantsEditAny) {
		return nil
	}
	if !s.has(PermGrantsEditOwn) {
		return s.forbid(PermGrantsEditOwn, "change access to doors")
	}
	e.mu.RLock()
	door, ok := e.cfg.doors[doorID]
	e.mu.RUnlock()
	if !ok || !s.owns(door) {
		return fmt.Errorf("%w: %s does not own door %s (grants.edit.own covers only one's own doors)", ErrForbidden, s.actor, doorID)
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

// importPermissions lists what applying f needs: the edit permission of
// each section the file has. Grants are checked door by door.
func importPermissions(f *SiteFile) []Permission {
	var need []Permission
	add := func(present bool, p Permission) {
		if present && !slices.Contains(need, p) {
			need = append(need, p)
		}
	}
	add(f.Site != nil, PermSettingsEdit)
	add(len(f.Zones) > 0 || len(f.Doors) > 0 || len(f.Devices) > 0, PermDoorsEdit)
	add(len(f.Schedules) > 0 || len(f.Holidays) > 0 || len(f.Shifts) > 0 || len(f.AccessLevels) > 0, PermAccessEdit)
	add(len(f.People) > 0 || len(f.Departments) > 0, PermPeopleEdit)
	for _, p := range f.People {
		add(len(p.Cards) > 0, PermCardsEnroll)
	}
	add(len(f.Roles) > 0, PermRolesEdit)
	add(len(f.Accounts) > 0, PermAccountsEdit)
	return need
}
