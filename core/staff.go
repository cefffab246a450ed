package core

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// ErrLogin is the error of a refused login. Every refusal has the same
// words, errLoginRefused: a wrong username, a wrong password, an account
// locked or disabled, so that a login tells nothing about which accounts
// exist or what state they are in.
var ErrLogin = errors.New("login refused")

// errLoginRefused is the one refusal of a login. The service log and, for
// wrong passwords, the audit trail record the real reason.
var errLoginRefused = fmt.Errorf("%w: wrong username or password, or the account is locked or disabled", ErrLogin)

// Login checks username's password and returns the actor to act as. A
// wrong password counts towards MaxFailedLogins; when they are reached the
// account is locked for LockoutTime, and while it is locked even the right
// password is refused. A good login clears the count. Every login, for a
// username that exists or not, locked, disabled or not, derives exactly
// one argon2 key, and every refusal is errLoginRefused. Attempts that
// change the account are in the audit trail; no password or hash is
// written anywhere.
func (e *Engine) Login(username, password string) (Actor, error) {
	now := e.now().UTC()
	e.mu.RLock()
	acc, ok := e.cfg.accounts[username]
	e.mu.RUnlock()
	hash := acc.PasswordHash
	if !ok {
		hash = dummyHash
	}
	// The one key derivation, before anything is decided: what follows
	// costs the same for every refusal.
	good := PasswordMatches(hash, password) && ok
	refuse := func(reason string, args ...any) (Actor, error) {
		e.log.Info("login refused", append([]any{"reason", reason}, args...)...)
		return Actor{}, errLoginRefused
	}
	switch {
	case !ok:
		// Not the name: it may be a password typed in the wrong box.
		return refuse("no such account")
	case now.Before(acc.LockedUntil):
		return refuse("locked", "account", username, "until", acc.LockedUntil)
	case good && acc.Disabled:
		return refuse("disabled", "account", username)
	}
	a := Actor{Kind: ActorAccount, Name: username}
	if good && acc.FailedLogins == 0 && acc.LockedUntil.IsZero() {
		return a, nil
	}
	// Record the attempt: the count, or the lockout, or the count cleared.
	action, locked := "login.ok", false
	err := e.change(a, "", false, func(tx *auditTx) error {
		cur, err := get[Account](tx, KindAccount, username)
		if err != nil {
			return err
		}
		switch {
		case good:
			cur.FailedLogins, cur.LockedUntil = 0, time.Time{}
		case cur.FailedLogins+1 >= MaxFailedLogins:
			cur.FailedLogins, cur.LockedUntil = 0, now.Add(LockoutTime)
			action, locked = "login.locked", true
		default:
			cur.FailedLogins++
			action = "login.failed"
		}
		tx.action = action
		return tx.Put(KindAccount, username, cur)
	})
	if err != nil {
		return Actor{}, fmt.Errorf("login %s: %w", username, err)
	}
	if err := e.reload(); err != nil {
		return Actor{}, err
	}
	switch {
	case locked:
		e.log.Warn("account locked after wrong passwords", "account", username, "minutes", int(LockoutTime.Minutes()))
		return refuse("wrong password, now locked", "account", username)
	case !good:
		return refuse("wrong password", "account", username)
	}
	return a, nil
}

// AccountInfo is an account as the screens and the command line show it:
// no password hash.
type AccountInfo struct {
	Username    string    `json:"username"`
	Person      string    `json:"person,omitempty"`
	Roles       []string  `json:"roles"`
	Enabled     bool      `json:"enabled"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

func accountInfo(a Account) AccountInfo {
	return AccountInfo{Username: a.Username, Person: a.Person, Roles: slices.Clone(a.Roles),
		Enabled: !a.Disabled, LockedUntil: a.LockedUntil}
}

// Accounts lists the staff accounts by username. Needs accounts.edit.
func (e *Engine) Accounts(a Actor) ([]AccountInfo, error) {
	if _, err := e.require(a, PermAccountsEdit, "list accounts"); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]AccountInfo, 0, len(e.cfg.accounts))
	for _, acc := range e.cfg.accounts {
		out = append(out, accountInfo(acc))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}

// HasAccounts reports whether any staff account exists: a first start
// without one asks for the first admin.
func (e *Engine) HasAccounts() bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.cfg.accounts) > 0
}

// checkAccountRefs checks that an account's roles and person exist, and
// gives every one that does not at once (Problems).
func (e *Engine) checkAccountRefs(tx Tx, acc Account) error {
	var ps Problems
	if len(acc.Roles) == 0 {
		ps = append(ps, problemOf("roles", "required", "account "+acc.Username+": at least one role"))
	}
	for _, r := range acc.Roles {
		if _, err := get[Role](tx, KindRole, r); err != nil {
			ps = append(ps, missing("roles", KindRole, r))
		}
	}
	if acc.Person != "" {
		if _, err := get[Person](tx, KindPerson, acc.Person); err != nil {
			ps = append(ps, missing("person", KindPerson, acc.Person))
		}
	}
	return ps.Err()
}

// AddAccount creates an account with password. Needs accounts.edit, and
// every permission the account's roles give (see noEscalation).
// Errors: ErrInvalid for a bad username or password, ErrConflict for a
// username taken, ErrNotFound for an unknown role or person,
// ErrForbidden.
func (e *Engine) AddAccount(a Actor, acc AccountInfo, password string) (AccountInfo, error) {
	s, err := e.require(a, PermAccountsEdit, "create accounts")
	if err != nil {
		return AccountInfo{}, err
	}
	var ps Problems
	if err := checkSlug("username", acc.Username); err != nil {
		ps = append(ps, asField(err))
	}
	if err := CheckPasswordRules(password); err != nil {
		ps = append(ps, fieldFrom("password", err))
	}
	// The roles and person named too, so that the form hears of every
	// problem at once; the change checks them again inside its
	// transaction.
	if err := e.store.View(func(tx Tx) error {
		return e.checkAccountRefs(tx, Account{Username: acc.Username, Person: acc.Person, Roles: acc.Roles})
	}); err != nil {
		found := ProblemsOf(err)
		if len(found) == 0 {
			return AccountInfo{}, err
		}
		for _, p := range found {
			ps = append(ps, p)
		}
	}
	if err := ps.Err(); err != nil {
		return AccountInfo{}, err
	}
	if err := e.mayPutAccount(s, Account{Username: acc.Username, Person: acc.Person, Roles: dedupe(acc.Roles)}); err != nil {
		return AccountInfo{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return AccountInfo{}, err
	}
	stored := Account{Username: acc.Username, Person: acc.Person, Roles: dedupe(acc.Roles), PasswordHash: hash}
	err = e.change(a, "account.add", false, func(tx *auditTx) error {
		if _, ok, err := tx.Raw(KindAccount, acc.Username); err != nil {
			return err
		} else if ok {
			return phrasef(ErrConflict, "account %s exists", acc.Username)
		}
		if err := e.checkAccountRefs(tx, stored); err != nil {
			return err
		}
		return noEscalation(tx, s, func() error { return tx.Put(KindAccount, stored.Username, stored) })
	})
	if err != nil {
		return AccountInfo{}, err
	}
	e.log.Info("account added", "account", acc.Username, "roles", strings.Join(stored.Roles, ","), "by", a.String())
	return accountInfo(stored), e.reload()
}

// updateAccount applies fn to account username in an audited change made
// by s, which may not leave the site without an account able to edit
// accounts and roles, nor touch an account with rights s lacks, nor give
// it any (noEscalation).
func (e *Engine) updateAccount(s subject, action, username string, fn func(tx Tx, acc *Account) error) (AccountInfo, error) {
	a := s.actor
	var out Account
	err := e.change(a, action, false, func(tx *auditTx) error {
		acc, err := get[Account](tx, KindAccount, username)
		if err != nil {
			return notFound("account", username)
		}
		if err := fn(tx, &acc); err != nil {
			return err
		}
		out = acc
		return keepAnAdmin(tx, func() error {
			return noEscalation(tx, s, func() error { return tx.Put(KindAccount, username, acc) })
		})
	})
	if err != nil {
		return AccountInfo{}, err
	}
	e.log.Info("account changed", "account", username, "change", action, "by", a.String())
	return accountInfo(out), e.reload()
}

// SetAccountRoles replaces an account's roles. Needs accounts.edit, and
// every permission the account holds before and after (noEscalation):
// nobody gives an account, their own included, a right they lack, nor
// demotes one with rights they lack. The last enabled account holding
// roles.edit and accounts.edit cannot lose them: nobody could give them
// back from the screens.
func (e *Engine) SetAccountRoles(a Actor, username string, roles []string) (AccountInfo, error) {
	s, err := e.require(a, PermAccountsEdit, "change accounts")
	if err != nil {
		return AccountInfo{}, err
	}
	return e.updateAccount(s, "account.set-roles", username, func(tx Tx, acc *Account) error {
		acc.Roles = dedupe(roles)
		return e.checkAccountRefs(tx, *acc)
	})
}

// SetAccountEnabled enables or disables an account. Needs accounts.edit,
// and every permission the account holds (noEscalation).
func (e *Engine) SetAccountEnabled(a Actor, username string, enabled bool) (AccountInfo, error) {
	s, err := e.require(a, PermAccountsEdit, "change accounts")
	if err != nil {
		return AccountInfo{}, err
	}
	action := "account.enable"
	if !enabled {
		action = "account.disable"
	}
	return e.updateAccount(s, action, username, func(tx Tx, acc *Account) error {
		acc.Disabled = !enabled
		if enabled {
			acc.FailedLogins, acc.LockedUntil = 0, time.Time{}
		}
		return nil
	})
}

// SetPassword sets an account's password. An account may change its own;
// others need accounts.edit, and every permission the account holds
// (noEscalation): whoever sets an admin's password can log in as them. A
// new password clears a lockout.
func (e *Engine) SetPassword(a Actor, username, password string) error {
	s, err := e.subject(a)
	if err != nil {
		return err
	}
	if a.Kind != ActorAccount || a.Name != username {
		if err := s.need(PermAccountsEdit, "change other accounts' passwords"); err != nil {
			return err
		}
	}
	e.mu.RLock()
	acc, ok := e.cfg.accounts[username]
	e.mu.RUnlock()
	if ok {
		acc.PasswordHash = "(a new one)"
		if err := e.mayPutAccount(s, acc); err != nil {
			return err
		}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	_, err = e.updateAccount(s, "account.passwd", username, func(_ Tx, acc *Account) error {
		acc.PasswordHash, acc.FailedLogins, acc.LockedUntil = hash, 0, time.Time{}
		return nil
	})
	return err
}

// admins counts the enabled accounts able to edit accounts and roles.
func admins(tx Tx) (int, error) {
	accs, err := list[Account](tx, KindAccount)
	if err != nil {
		return 0, err
	}
	roles, err := byID(tx, KindRole, func(r Role) string { return r.ID })
	if err != nil {
		return 0, err
	}
	n := 0
	for _, acc := range accs {
		if acc.Disabled {
			continue
		}
		has := map[Permission]bool{}
		for _, r := range acc.Roles {
			for _, p := range roles[r].Permissions {
				has[p] = true
			}
		}
		if has[PermAccountsEdit] && has[PermRolesEdit] {
			n++
		}
	}
	return n, nil
}

// keepAnAdmin runs change and refuses it if it takes away the last
// enabled account able to edit accounts and roles: nobody could give the
// rights back from the screens.
func keepAnAdmin(tx Tx, change func() error) error {
	before, err := admins(tx)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after, err := admins(tx)
	if err != nil {
		return err
	}
	if before > 0 && after == 0 {
		return phrasef(ErrConflict, "no enabled account could then edit accounts and roles; keep one")
	}
	return nil
}

// Roles lists the roles by id. Needs roles.edit or accounts.edit (to give
// them).
func (e *Engine) Roles(a Actor) ([]Role, error) {
	s, err := e.subject(a)
	if err != nil {
		return nil, err
	}
	if !s.has(PermRolesEdit) && !s.has(PermAccountsEdit) {
		return nil, s.forbid(PermRolesEdit, "list roles")
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Role, 0, len(e.cfg.roles))
	for _, r := range e.cfg.roles {
		r.Permissions = slices.Clone(r.Permissions)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// PutRole creates role r or replaces the role with its id. Needs
// roles.edit, and every permission the role holds before and after
// (noEscalation): nobody adds to a role, their own included, a
// permission they lack. Changing a role may not leave the site without an
// account able to edit accounts and roles.
func (e *Engine) PutRole(a Actor, r Role) (Role, error) {
	s, err := e.require(a, PermRolesEdit, "change roles")
	if err != nil {
		return Role{}, err
	}
	r.Permissions = dedupe(r.Permissions)
	if err := checkRole(r); err != nil {
		return Role{}, err
	}
	err = e.change(a, "role.put", false, func(tx *auditTx) error {
		return keepAnAdmin(tx, func() error {
			return noEscalation(tx, s, func() error { return tx.Put(KindRole, r.ID, r) })
		})
	})
	if err != nil {
		return Role{}, err
	}
	e.log.Info("role changed", "role", r.ID, "by", a.String())
	return r, e.reload()
}

// DeleteRole removes a role no account has. Needs roles.edit, and every
// permission the role holds (noEscalation). Errors: ErrNotFound,
// ErrConflict while an account has it, ErrForbidden.
func (e *Engine) DeleteRole(a Actor, id string) error {
	s, err := e.require(a, PermRolesEdit, "delete roles")
	if err != nil {
		return err
	}
	err = e.change(a, "role.delete", false, func(tx *auditTx) error {
		if _, err := get[Role](tx, KindRole, id); err != nil {
			return notFound("role", id)
		}
		accs, err := list[Account](tx, KindAccount)
		if err != nil {
			return err
		}
		var users []string
		for _, acc := range accs {
			if slices.Contains(acc.Roles, id) {
				users = append(users, acc.Username)
			}
		}
		if len(users) > 0 {
			return phrasef(ErrConflict, "role %s is in use by %s", id, strings.Join(users, ", "))
		}
		return noEscalation(tx, s, func() error { return tx.Delete(KindRole, id) })
	})
	if err != nil {
		return err
	}
	return e.reload()
}

// Audit calls fn for the audit entries q selects. Needs audit.view.
func (e *Engine) Audit(a Actor, q AuditQuery, fn func(AuditEntry) error) error {
	if _, err := e.require(a, PermAuditView, "see the audit trail"); err != nil {
		return err
	}
	return e.store.View(func(tx Tx) error { return tx.Audit(q, fn) })
}

// dedupe removes repeated values, keeping the first of each.
func dedupe[T comparable](vs []T) []T {
	out := make([]T, 0, len(vs))
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
