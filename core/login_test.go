package core_test

import (
	"errors"
	"testing"
	"time"

	"frontdesk/core"
)

// TestLoginRevealsNothing: every way a login can go derives exactly one
// argon2 key (counted, not timed), and every refusal has the same words,
// so neither the time nor the answer tells whether an account exists,
// is locked or is disabled.
func TestLoginRevealsNothing(t *testing.T) {
	e, clock := staffEngine(t)
	for _, name := range []string{"amy", "lou", "dee"} {
		if _, err := e.AddAccount(cli, core.AccountInfo{Username: name, Roles: []string{core.RoleManager}}, goodPassword); err != nil {
			t.Fatal(err)
		}
	}
	// lou is locked, dee disabled.
	for range core.MaxFailedLogins {
		e.Login("lou", "wrong password!")
	}
	if _, err := e.SetAccountEnabled(cli, "dee", false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"unknown username", "nobody", goodPassword, false},
		{"empty username", "", goodPassword, false},
		{"wrong password", "amy", "wrong password!", false},
		{"right password after a wrong one", "amy", goodPassword, true},
		{"right password", "amy", goodPassword, true},
		{"locked, right password", "lou", goodPassword, false},
		{"locked, wrong password", "lou", "wrong password!", false},
		{"disabled, right password", "dee", goodPassword, false},
		{"disabled, wrong password", "dee", "wrong password!", false},
		{"unknown username, empty password", "nobody", "", false},
	}
	refusals := map[string][]string{}
	for _, tt := range tests {
		before := core.KeyDerivations()
		a, err := e.Login(tt.user, tt.password)
		if n := core.KeyDerivations() - before; n != 1 {
			t.Errorf("%s: %d key derivations, want 1", tt.name, n)
		}
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s: %v, want logged in", tt.name, err)
		case tt.ok && a.Name != tt.user:
			t.Errorf("%s: actor %+v", tt.name, a)
		case !tt.ok && !errors.Is(err, core.ErrLogin):
			t.Errorf("%s: %v, want login refused", tt.name, err)
		case !tt.ok:
			refusals[err.Error()] = append(refusals[err.Error()], tt.name)
		}
	}
	// The attempt that locks an account is refused like the others.
	for range core.MaxFailedLogins {
		before := core.KeyDerivations()
		_, err := e.Login("amy", "wrong password!")
		if n := core.KeyDerivations() - before; n != 1 {
			t.Errorf("wrong password towards a lockout: %d key derivations, want 1", n)
		}
		if err != nil {
			refusals[err.Error()] = append(refusals[err.Error()], "wrong password, locking")
		}
	}
	if len(refusals) != 1 {
		t.Errorf("refusals differ: %q", refusals)
	}
	// The lockout still holds, and ends.
	if _, err := e.Login("amy", goodPassword); !errors.Is(err, core.ErrLogin) {
		t.Errorf("right password of a locked account: %v, want refused", err)
	}
	clock.add(core.LockoutTime + time.Second)
	if _, err := e.Login("amy", goodPassword); err != nil {
		t.Errorf("right password after the lockout: %v", err)
	}
}

// TestPasswordMatchesCostsOneKey: a hash that cannot be read costs one
// key derivation like a good one, and matches nothing.
func TestPasswordMatchesCostsOneKey(t *testing.T) {
	good, err := core.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, hash := range []string{good, "", "plain", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5"} {
		before := core.KeyDerivations()
		ok := core.PasswordMatches(hash, goodPassword)
		if n := core.KeyDerivations() - before; n != 1 {
			t.Errorf("hash %q: %d key derivations, want 1", hash, n)
		}
		if ok != (hash == good) {
			t.Errorf("hash %q: matches %v", hash, ok)
		}
	}
}
