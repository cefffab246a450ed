package core

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Nobody can raise their own rights, nor anyone else's above their own
// (as Kubernetes RBAC's escalation check). A change made by a staff
// account to the roles and accounts is refused, with ErrForbidden, when:
//
//   - it creates, changes or deletes a role holding a permission the
//     actor does not hold, before or after the change;
//   - it creates, changes (roles, person, password, enabled) or removes
//     an account that could, before or after the change, do something the
//     actor cannot: nobody takes over, locks out or demotes an account
//     with more rights than their own;
//   - any other account can do something after the change that it could
//     not before and that the actor cannot (a role it holds gained it).
//
// What an account can do is its permissions, while it is enabled. The
// permissions on one's own doors (grants.edit.own, logs.view.own) are
// rights over the doors of the account's person: handing them out for
// another person's doors needs their .any form, else a boss could make
// an account for the owner of the Lab and grant access to the Lab as
// them.
//
// The command line, the system and devices hold every permission, so
// they can do all of this.

// scopedBy maps each permission that is limited to one's person's doors
// to the permission without that limit.
var scopedBy = map[Permission]Permission{
	PermGrantsEditOwn: PermGrantsEditAny,
	PermLogsViewOwn:   PermLogsViewAny,
}

// right is a permission an account holds, with the person whose doors it
// covers for the permissions in scopedBy.
type right struct {
	perm   Permission
	person string
}

// covers reports whether s holds r.
func (s subject) covers(r right) bool {
	if !s.has(r.perm) {
		return false
	}
	wider, scoped := scopedBy[r.perm]
	return !scoped || s.has(wider) || r.person == s.person
}

// staffRights are the stored accounts and roles, taken before and after a
// change.
type staffRights struct {
	accounts map[string]Account
	roles    map[string]Role
}

func readStaffRights(tx Tx) (staffRights, error) {
	accs, err := byID(tx, KindAccount, func(a Account) string { return a.Username })
	if err != nil {
		return staffRights{}, err
	}
	roles, err := byID(tx, KindRole, func(r Role) string { return r.ID })
	if err != nil {
		return staffRights{}, err
	}
	return staffRights{accounts: accs, roles: roles}, nil
}

// rightsOf returns what acc can do: none while it is disabled.
func (sr staffRights) rightsOf(acc Account) map[right]bool {
	out := map[right]bool{}
	if acc.Disabled {
		return out
	}
	for _, id := range acc.Roles {
		for _, p := range sr.roles[id].Permissions {
			r := right{perm: p}
			if _, scoped := scopedBy[p]; scoped {
				r.person = acc.Person
			}
			out[r] = true
		}
	}
	return out
}

// noEscalation runs change and refuses it if, compared with before, it
// lets someone do what s cannot (see the rules above).
func noEscalation(tx Tx, s subject, change func() error) error {
	if s.all {
		return change()
	}
	before, err := readStaffRights(tx)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after, err := readStaffRights(tx)
	if err != nil {
		return err
	}
	return s.checkRights(before, after)
}

// mayPutAccount checks, on the engine's copy of the accounts and roles,
// that s may store acc (see noEscalation) before a password is hashed
// for it: a refusal then costs no hash. The change checks again in its
// transaction, which decides.
func (e *Engine) mayPutAccount(s subject, acc Account) error {
	if s.all {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	before := staffRights{accounts: e.cfg.accounts, roles: e.cfg.roles}
	after := staffRights{accounts: maps.Clone(before.accounts), roles: before.roles}
	after.accounts[acc.Username] = acc
	return s.checkRights(before, after)
}

// checkRights compares the accounts and roles before and after a change
// made by s.
func (s subject) checkRights(before, after staffRights) error {
	for _, id := range sortedKeys(before.roles, after.roles) {
		old, had := before.roles[id]
		r, has := after.roles[id]
		if had == has && reflect.DeepEqual(old, r) {
			continue
		}
		for _, p := range slices.Concat(old.Permissions, r.Permissions) {
			if !s.has(p) {
				return fmt.Errorf("%w: %s may not create, change or delete role %s, which would hold or holds %s, a permission %s does not hold",
					ErrForbidden, s.actor, id, p, s.actor)
			}
		}
	}
	for _, name := range sortedKeys(before.accounts, after.accounts) {
		old, had := before.accounts[name]
		acc, has := after.accounts[name]
		was, is := before.rightsOf(old), after.rightsOf(acc)
		if had == has && reflect.DeepEqual(old, acc) {
			// Untouched: only what it gains through its roles counts.
			for _, r := range sortedRights(is) {
				if !was[r] && !s.covers(r) {
					return s.wouldGive(name, r)
				}
			}
			continue
		}
		for _, r := range sortedRights(was) {
			if !s.covers(r) {
				return fmt.Errorf("%w: %s may not change account %s, which holds %s%s and %s does not",
					ErrForbidden, s.actor, name, r.perm, r.scope(), s.actor)
			}
		}
		for _, r := range sortedRights(is) {
			if !s.covers(r) {
				return s.wouldGive(name, r)
			}
		}
	}
	return nil
}

// wouldGive is the refusal to give account r.
func (s subject) wouldGive(account string, r right) error {
	return fmt.Errorf("%w: %s may not give account %s %s%s, which %s does not hold",
		ErrForbidden, s.actor, account, r.perm, r.scope(), s.actor)
}

// scope says whose doors r covers, for the messages.
func (r right) scope() string {
	if r.person == "" {
		return ""
	}
	return " on the doors of " + r.person
}

func sortedKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func sortedRights(rs map[right]bool) []right {
	out := slices.Collect(maps.Keys(rs))
	slices.SortFunc(out, func(a, b right) int {
		if c := strings.Compare(string(a.perm), string(b.perm)); c != 0 {
			return c
		}
		return strings.Compare(a.person, b.person)
	})
	return out
}
