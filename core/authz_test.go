package core_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// staffSite has two doors: bob owns main, nobody owns lab.
const staffSite = `{
  "site": {"name": "Staff HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "lab", "name": "Lab", "work": true}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office", "owners": ["bob"]},
            {"id": "lab", "name": "Lab", "from": "office", "to": "lab"}],
  "devices": [{"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "lab-in", "kind": "sim", "door": "lab", "direction": "in"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main", "lab"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann", "started": "2026-01-01", "department": "staff", "cards": ["em:0100000001"]},
    {"id": "bob", "name": "Bob", "started": "2026-01-01", "department": "staff", "cards": ["em:0100000002"]}]
}`

// steppedClock is a clock tests move by hand.
type steppedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *steppedClock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *steppedClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var cli = core.CommandLine("test")

const goodPassword = "correct horse battery"

func staffEngine(t *testing.T) (*core.Engine, *steppedClock) {
	t.Helper()
	c := &steppedClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	e, err := core.NewEngine(storagetest.MustOpen(t), c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(staffSite))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, f); err != nil {
		t.Fatal(err)
	}
	return e, c
}

// staffAccount makes an account with a role holding exactly perms and logs in.
func staffAccount(t *testing.T, e *core.Engine, name, person string, perms ...core.Permission) core.Actor {
	t.Helper()
	if _, err := e.PutRole(cli, core.Role{ID: "role-" + name, Name: name, Permissions: perms}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddAccount(cli, core.AccountInfo{Username: name, Person: person, Roles: []string{"role-" + name}}, goodPassword); err != nil {
		t.Fatal(err)
	}
	a, err := e.Login(name, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func siteFile(t *testing.T, s string) *core.SiteFile {
	t.Helper()
	f, err := core.ReadSiteFile(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPermissionMatrix: for every registered permission, an action it
// allows, and the same action refused to an account without it.
func TestPermissionMatrix(t *testing.T) {
	e, _ := staffEngine(t)
	found := func(ok bool) error {
		if !ok {
			return core.ErrForbidden
		}
		return nil
	}
	nonEmpty := func(n int) error {
		if n == 0 {
			return core.ErrForbidden
		}
		return nil
	}
	// Each call changes something new: an import that changes nothing
	// needs no permission.
	grantSeq := 0
	next := func() int { grantSeq++; return grantSeq }
	actions := map[core.Permission]func(a core.Actor) error{
		core.PermPeopleView: func(a core.Actor) error { _, err := e.Person(a, "ann"); return err },
		core.PermPeopleEdit: func(a core.Actor) error {
			return e.Import(a, siteFile(t, fmt.Sprintf(`{"departments": [{"id": "sales%d", "name": "Sales"}]}`, next())))
		},
		core.PermCardsEnroll: func(a core.Actor) error { _, err := e.UsableCards(a, 5); return err },
		core.PermDoorsView:   func(a core.Actor) error { _, ok := e.Door(a, "main"); return found(ok) },
		core.PermDoorsEdit: func(a core.Actor) error {
			return e.Import(a, siteFile(t, fmt.Sprintf(`{"zones": [{"id": "yard%d", "name": "Yard"}]}`, next())))
		},
		core.PermAccessEdit: func(a core.Actor) error {
			return e.Import(a, siteFile(t, fmt.Sprintf(`{"holidays": [{"date": "2026-12-%02d", "name": "Holiday"}]}`, next())))
		},
		core.PermGrantsEditOwn: func(a core.Actor) error {
			_, err := e.AddGrant(a, core.Grant{Person: "ann", Door: "main", Kind: core.GrantPermanent})
			return err
		},
		core.PermGrantsEditAny: func(a core.Actor) error {
			_, err := e.AddGrant(a, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent})
			return err
		},
		core.PermLogsViewOwn: func(a core.Actor) error {
			return e.Events(a, core.EventQuery{Door: "main"}, func(core.Event) error { return nil })
		},
		core.PermLogsViewAny: func(a core.Actor) error {
			return e.Events(a, core.EventQuery{Door: "lab"}, func(core.Event) error { return nil })
		},
		core.PermAccountsEdit: func(a core.Actor) error { _, err := e.Accounts(a); return err },
		core.PermRolesEdit: func(a core.Actor) error {
			// A role of no more than roles.edit: nobody makes a role with a
			// permission they lack.
			_, err := e.PutRole(a, core.Role{ID: fmt.Sprintf("custom%d", next()), Name: "Custom", Permissions: []core.Permission{core.PermRolesEdit}})
			return err
		},
		core.PermSettingsEdit: func(a core.Actor) error {
			return e.Import(a, siteFile(t, fmt.Sprintf(`{"site": {"name": "Renamed %d"}}`, next())))
		},
		core.PermBackupRun: func(a core.Actor) error { _, err := e.Export(a); return err },
		core.PermAuditView: func(a core.Actor) error {
			return e.Audit(a, core.AuditQuery{}, func(core.AuditEntry) error { return nil })
		},
	}
	// Device health is seen with doors.view too; an empty answer is the
	// refusal there.
	e.ReportHealth(core.DeviceHealth{Device: "main-in", Connected: true})
	health := func(a core.Actor) error { return nonEmpty(len(e.Health(a))) }
	// Permissions whose actions come with later screens and commands
	// (attendance, justifications, reports, opening doors) are checked
	// through Authorize, which those actions call.
	for _, info := range core.Permissions() {
		if _, ok := actions[info.Name]; !ok {
			p := info.Name
			actions[p] = func(a core.Actor) error { return e.Authorize(a, p) }
		}
	}
	none := staffAccount(t, e, "nobody", "bob")
	for _, info := range core.Permissions() {
		p := info.Name
		t.Run(string(p), func(t *testing.T) {
			user := staffAccount(t, e, "u-"+strings.ReplaceAll(string(p), ".", "-"), "bob", p)
			if err := actions[p](user); err != nil {
				t.Errorf("with %s: %v, want allowed", p, err)
			}
			if err := actions[p](none); !errors.Is(err, core.ErrForbidden) {
				t.Errorf("without %s: %v, want forbidden", p, err)
			}
			if p == core.PermDoorsView {
				if err := health(user); err != nil {
					t.Errorf("health with doors.view: %v", err)
				}
				if err := health(none); err == nil {
					t.Error("health without doors.view: allowed")
				}
			}
		})
	}
}

func TestBossGrantsAndLogsOnlyOwnDoors(t *testing.T) {
	e, _ := staffEngine(t)
	boss, err := func() (core.Actor, error) {
		if _, err := e.AddAccount(cli, core.AccountInfo{Username: "bob", Person: "bob", Roles: []string{core.RoleBoss}}, goodPassword); err != nil {
			return core.Actor{}, err
		}
		return e.Login("bob", goodPassword)
	}()
	if err != nil {
		t.Fatal(err)
	}
	mine, err := e.AddGrant(boss, core.Grant{Person: "ann", Door: "main", Kind: core.GrantOnce, Uses: 2})
	if err != nil {
		t.Fatalf("boss grants on his door: %v", err)
	}
	if mine.By != "bob" {
		t.Errorf("grant by %q, want bob", mine.By)
	}
	if _, err := e.AddGrant(boss, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent}); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("boss grants on lab: %v, want forbidden", err)
	}
	theirs, err := e.AddGrant(cli, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.RevokeGrant(boss, theirs.ID); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("boss revokes on lab: %v, want forbidden", err)
	}
	gs, err := e.Grants(boss, core.GrantQuery{})
	if err != nil || len(gs) != 1 || gs[0].ID != mine.ID {
		t.Errorf("boss lists %+v, %v, want only his grant %s", gs, err, mine.ID)
	}
	if _, err := e.Grants(boss, core.GrantQuery{Door: "lab"}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("boss lists lab's grants: %v, want forbidden", err)
	}
	if _, err := e.RevokeGrant(boss, mine.ID); err != nil {
		t.Errorf("boss revokes his grant: %v", err)
	}

	for _, tap := range []core.Tap{{Reader: "main-in", Code: "em:0100000001"}, {Reader: "lab-in", Code: "em:0100000001"}} {
		if _, err := e.Tap(tap); err != nil {
			t.Fatal(err)
		}
	}
	var doors []string
	if err := e.Events(boss, core.EventQuery{}, func(ev core.Event) error {
		doors = append(doors, ev.Door)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(doors) != 1 || doors[0] != "main" {
		t.Errorf("boss sees events at %v, want main only", doors)
	}
	if err := e.Events(boss, core.EventQuery{Door: "lab"}, func(core.Event) error { return nil }); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("boss asks for lab's log: %v, want forbidden", err)
	}
}

func TestLockoutAndItsExpiry(t *testing.T) {
	e, clock := staffEngine(t)
	if _, err := e.AddAccount(cli, core.AccountInfo{Username: "amy", Roles: []string{core.RoleManager}}, goodPassword); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= core.MaxFailedLogins; i++ {
		if _, err := e.Login("amy", "wrong password!"); !errors.Is(err, core.ErrLogin) {
			t.Fatalf("wrong password %d: %v, want refused", i, err)
		}
	}
	clock.add(4 * time.Minute)
	if _, err := e.Login("amy", goodPassword); !errors.Is(err, core.ErrLogin) {
		t.Fatalf("right password while locked: %v, want refused", err)
	}
	clock.add(time.Minute + time.Second)
	a, err := e.Login("amy", goodPassword)
	if err != nil {
		t.Fatalf("right password after the lockout: %v", err)
	}
	if a != (core.Actor{Kind: core.ActorAccount, Name: "amy"}) {
		t.Errorf("actor %+v", a)
	}
	// The count starts again: four wrong then right is fine.
	for range core.MaxFailedLogins - 1 {
		e.Login("amy", "wrong password!")
	}
	if _, err := e.Login("amy", goodPassword); err != nil {
		t.Fatalf("right password after 4 wrong: %v", err)
	}
	// An unknown user is refused with the same words as a wrong password.
	_, errUnknown := e.Login("nobody", goodPassword)
	_, errWrong := e.Login("amy", "wrong password!")
	if errUnknown == nil || errWrong == nil || errUnknown.Error() != errWrong.Error() {
		t.Errorf("unknown user %v, wrong password %v: want the same refusal", errUnknown, errWrong)
	}
	var actions []string
	e.Audit(cli, core.AuditQuery{}, func(en core.AuditEntry) error {
		if strings.HasPrefix(en.Action, "login.") {
			actions = append(actions, en.Action)
		}
		return nil
	})
	want := "login.failed login.failed login.failed login.failed login.locked login.ok login.failed login.failed login.failed login.failed login.ok login.failed"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit of logins:\n got %s\nwant %s", got, want)
	}
}

func TestDisabledAccount(t *testing.T) {
	e, _ := staffEngine(t)
	a := staffAccount(t, e, "rita", "", core.PermPeopleView)
	if _, err := e.SetAccountEnabled(cli, "rita", false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Person(a, "ann"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("disabled account reads: %v, want forbidden", err)
	}
	if _, err := e.Login("rita", goodPassword); !errors.Is(err, core.ErrLogin) {
		t.Errorf("disabled login: %v, want refused", err)
	}
}

func TestKeepAnAdmin(t *testing.T) {
	e, _ := staffEngine(t)
	if _, err := e.AddAccount(cli, core.AccountInfo{Username: "root", Roles: []string{core.RoleAdmin}}, goodPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetAccountEnabled(cli, "root", false); !errors.Is(err, core.ErrConflict) {
		t.Errorf("disable the only admin: %v, want conflict", err)
	}
	if _, err := e.SetAccountRoles(cli, "root", []string{core.RoleManager}); !errors.Is(err, core.ErrConflict) {
		t.Errorf("demote the only admin: %v, want conflict", err)
	}
	if err := e.DeleteRole(cli, core.RoleAdmin); !errors.Is(err, core.ErrConflict) {
		t.Errorf("delete a role in use: %v, want conflict", err)
	}
	if err := e.DeleteRole(cli, core.RoleReceptionist); err != nil {
		t.Errorf("delete an unused role: %v", err)
	}
}

func TestPasswordHashing(t *testing.T) {
	h1, err := core.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := core.HashPassword(goodPassword)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || h1 == h2 {
		t.Errorf("hashes %s and %s: want argon2id, salted", h1, h2)
	}
	if !core.PasswordMatches(h1, goodPassword) || core.PasswordMatches(h1, goodPassword+"x") || core.PasswordMatches(h1, "") {
		t.Error("PasswordMatches does not tell the right password from others")
	}
	if _, err := core.HashPassword("short"); !errors.Is(err, core.ErrInvalid) || strings.Contains(err.Error(), "short\"") {
		t.Errorf("short password: %v, want invalid without the password in the message", err)
	}
	if _, err := core.HashPassword("          "); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("spaces: %v, want invalid", err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", strings.Replace(h1, "t=2", "t=999", 1)} {
		if core.CheckPasswordHash(bad) == nil || core.PasswordMatches(bad, goodPassword) {
			t.Errorf("hash %q accepted", bad)
		}
	}
}

func TestAuditEveryChange(t *testing.T) {
	e, _ := staffEngine(t)
	if _, err := e.AddAccount(cli, core.AccountInfo{Username: "root", Person: "ann", Roles: []string{core.RoleAdmin}}, goodPassword); err != nil {
		t.Fatal(err)
	}
	root, err := e.Login("root", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.AddGrant(root, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { _, err := e.RevokeGrant(root, g.ID); return err },
		func() error { return e.SetPassword(root, "root", "another good password") },
		func() error {
			_, err := e.PutRole(root, core.Role{ID: "guard", Name: "Guard", Permissions: []core.Permission{core.PermDoorsView}})
			return err
		},
		func() error { _, err := e.SetAccountRoles(root, "root", []string{core.RoleAdmin, "guard"}); return err },
		func() error {
			return e.Import(root, siteFile(t, `{"site": {"name": "New name"}, "people": [{"id": "ann", "name": "Ann Martin", "department": "staff"}, {"id": "cy", "name": "Cy"}]}`))
		},
		func() error { return e.DeleteRole(root, core.RoleReceptionist) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var got []string
	var all strings.Builder
	e.Audit(cli, core.AuditQuery{}, func(en core.AuditEntry) error {
		got = append(got, en.Action+" "+en.Object+" by "+en.Actor)
		fmt.Fprintf(&all, "%s %s %s\n", en.Before, en.After, en.Actor)
		return nil
	})
	want := []string{
		"site.import site by command line (test)",
		"site.import  by command line (test)",
		"account.add accounts/root by command line (test)",
		"grant.add grants/g1 by root",
		"grant.revoke grants/g1 by root",
		"account.passwd accounts/root by root",
		"role.put roles/guard by root",
		"account.set-roles accounts/root by root",
		"site.import site by root",
		"site.import people/ann by root",
		"site.import  by root",
		"role.delete roles/receptionist by root",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, secret := range []string{goodPassword, "another good password", "argon2id"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("the audit trail holds %q", secret)
		}
	}
	if !strings.Contains(all.String(), `"password_changed":true`) {
		t.Errorf("the password change is not marked:\n%s", all.String())
	}
	if !strings.Contains(all.String(), `"created":{"people":["cy"]}`) {
		t.Errorf("the import's summary does not list the person created:\n%s", all.String())
	}
}
