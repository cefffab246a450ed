package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// cliIn runs the program with stdin as its standard input.
func cliIn(t *testing.T, stdin, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append(append([]string{}, args...), "--db", db), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const bobPassword = "bob's long password"

// TestBossThroughTheCommandLine is the "done when": a boss grants
// on his own door and is refused on another, a wrong password is refused
// and the fifth locks the account, every change is in the audit trail, and
// verify catches a tampered entry.
func TestBossThroughTheCommandLine(t *testing.T) {
	db := newSite(t) // bob owns lab, nobody owns main
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "bob", "--person", "bob", "--roles", "boss")

	t.Setenv("FRONTDESK_PASSWORD", bobPassword)
	out := mustCLI(t, db, "grant", "add", "--user", "bob", "--person", "ann", "--door", "lab", "--kind", "once", "--uses", "2")
	grant := strings.TrimSpace(out)
	code, _, errs := cli(t, db, "grant", "add", "--user", "bob", "--person", "ann", "--door", "main", "--kind", "permanent")
	if code != 4 || !strings.Contains(errs, "forbidden: bob does not own door main") {
		t.Fatalf("boss grants on main: exit %d %q, want 4 and forbidden", code, errs)
	}
	if out := mustCLI(t, db, "grant", "list", "--user", "bob"); !strings.Contains(out, grant) {
		t.Errorf("boss's grant list %q lacks %s", out, grant)
	}
	// The boss may not read the audit trail nor export the site.
	for _, args := range [][]string{{"audit"}, {"export"}, {"account", "list"}, {"verify"}, {"tap", "--reader", "main-in", "--card", "em:0102B0A5FD"}} {
		code, _, errs := cli(t, db, append(args, "--user", "bob")...)
		if code != 4 || !strings.HasPrefix(errs, "frontdesk: forbidden: bob may not") {
			t.Errorf("%v as bob: exit %d %q, want 4 and forbidden", args, code, errs)
		}
	}

	// Wrong passwords: five refusals, the fifth locks the account; the
	// right password is refused while it lasts. Every refusal has the
	// same words: they do not tell that bob exists, nor that he is locked.
	t.Setenv("FRONTDESK_PASSWORD", "not bob's password")
	const want = "frontdesk: login refused: wrong username or password, or the account is locked or disabled\n"
	for i := 1; i <= 5; i++ {
		code, _, errs := cli(t, db, "grant", "list", "--user", "bob")
		if code != 4 || errs != want {
			t.Fatalf("wrong password %d: exit %d %q, want 4 and %q", i, code, errs, want)
		}
		if strings.Contains(errs, "not bob's password") {
			t.Fatalf("the password is in the error: %q", errs)
		}
	}
	t.Setenv("FRONTDESK_PASSWORD", bobPassword)
	code, _, errs = cli(t, db, "grant", "list", "--user", "bob")
	if code != 4 || errs != want {
		t.Fatalf("right password while locked: exit %d %q, want 4 and %q", code, errs, want)
	}
	mustCLI(t, db, "account", "enable", "bob") // an admin unlocks

	// Every change is in the audit trail, by whom.
	out = mustCLI(t, db, "audit", "--json")
	var entries []struct {
		Actor, Action, Object string
		Before, After         json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Action+" "+e.Object+" "+e.Actor)
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{
		"site.import  command line (",
		"account.add accounts/bob command line (",
		"grant.add grants/" + grant + " bob",
		"login.failed accounts/bob bob",
		"login.locked accounts/bob bob",
		"account.enable accounts/bob command line (",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("audit lacks %q:\n%s", want, joined)
		}
	}
	if strings.Contains(out, "argon2id") || strings.Contains(out, bobPassword) {
		t.Error("the audit trail shows a password or its hash")
	}
	text := mustCLI(t, db, "audit", "--limit", "1")
	if !strings.Contains(text, "account.enable") || strings.Count(text, "\n") != 1 {
		t.Errorf("audit --limit 1: %q", text)
	}
	if out := mustCLI(t, db, "verify"); !strings.Contains(out, "audit entries, hash chains intact") {
		t.Fatalf("verify: %q", out)
	}

	// Tamper with the grant's audit entry behind Frontdesk's back.
	bdb, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var seq string
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		return b.ForEach(func(k, v []byte) error {
			if bytes.Contains(v, []byte(`"grant.add"`)) {
				var e struct{ Seq json.Number }
				json.Unmarshal(v, &e)
				seq = e.Seq.String()
				return b.Put(bytes.Clone(k), bytes.Replace(v, []byte(`"uses":2`), []byte(`"uses":9`), 1))
			}
			return nil
		})
	})
	bdb.Close()
	if err != nil || seq == "" {
		t.Fatalf("tamper: %v (entry %q)", err, seq)
	}
	code, out, _ = cli(t, db, "verify")
	if code != 3 || !strings.Contains(out, "audit entry "+seq+": hash does not match its content") {
		t.Fatalf("verify after tampering: exit %d %q, want 3 naming audit entry %s", code, out, seq)
	}
}

func TestRolesThroughTheCommandLine(t *testing.T) {
	db := newSite(t)
	if out := mustCLI(t, db, "account", "list"); !strings.Contains(out, "create the first admin") {
		t.Errorf("account list on a new site: %q", out)
	}
	out := mustCLI(t, db, "role", "list")
	for _, r := range []string{"admin", "manager", "boss", "receptionist"} {
		if !strings.Contains(out, r) {
			t.Errorf("role list lacks %s:\n%s", r, out)
		}
	}
	if out := mustCLI(t, db, "role", "list", "--permissions"); !strings.Contains(out, "grants.edit.own") {
		t.Errorf("permissions: %s", out)
	}
	mustCLI(t, db, "role", "add", "guard", "--name", "Night guard", "--permissions", "doors.view,logs.view.any")
	if code, _, errs := cli(t, db, "role", "add", "guard", "--permissions", "doors.view"); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("role add twice: exit %d %q", code, errs)
	}
	if code, _, errs := cli(t, db, "role", "set", "guard", "--permissions", "door.view"); code != 1 || !strings.Contains(errs, `unknown permission "door.view"`) {
		t.Errorf("unknown permission: exit %d %q", code, errs)
	}
	out = mustCLI(t, db, "role", "set", "guard", "--permissions", "doors.view")
	if !strings.Contains(out, "Night guard") || strings.Contains(out, "logs.view.any") {
		t.Errorf("role set keeps the name and replaces the permissions: %q", out)
	}
	t.Setenv("FRONTDESK_NEW_PASSWORD", "guard password 1")
	mustCLI(t, db, "account", "add", "--username", "gus", "--roles", "guard")
	if code, _, errs := cli(t, db, "role", "delete", "guard"); code != 1 || !strings.Contains(errs, "in use by gus") {
		t.Errorf("delete a role in use: exit %d %q", code, errs)
	}
	t.Setenv("FRONTDESK_NEW_PASSWORD", "short")
	if code, _, errs := cli(t, db, "account", "add", "--username", "tiny", "--roles", "guard"); code != 1 || !strings.Contains(errs, "password too short") {
		t.Errorf("short password: exit %d %q", code, errs)
	}
	out = mustCLI(t, db, "account", "list")
	if !strings.Contains(out, "gus") || strings.Contains(out, "tiny") {
		t.Errorf("account list: %q", out)
	}
	// An account changes its own password, read from standard input when
	// no variable gives it.
	t.Setenv("FRONTDESK_PASSWORD", "guard password 1")
	os.Unsetenv("FRONTDESK_NEW_PASSWORD") // t.Setenv above restores it
	code, out, errs := cliIn(t, "another guard password\n", db, "account", "passwd", "gus", "--user", "gus")
	if code != 0 || !strings.Contains(out, "password of gus changed") {
		t.Fatalf("passwd from standard input: exit %d %q %q", code, out, errs)
	}
	t.Setenv("FRONTDESK_PASSWORD", "another guard password")
	if code, _, errs := cli(t, db, "grant", "list", "--user", "gus"); code != 4 || !strings.Contains(errs, "forbidden: gus may not") {
		t.Errorf("login with the new password: exit %d %q, want in, and refused the grants", code, errs)
	}
	// Another account's password needs accounts.edit.
	if code, _, errs := cliIn(t, "x long enough pw\n", db, "account", "passwd", "bob", "--user", "gus"); code != 4 {
		t.Errorf("passwd of another account: exit %d %q, want forbidden", code, errs)
	}
}
