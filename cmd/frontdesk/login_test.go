package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"frontdesk/core"
)

// dbState is what a command may change in the database, but for the
// record of failed logins: the site as exported (accounts without their
// failed logins), the events and the audit trail.
func dbState(t *testing.T, db string) string {
	t.Helper()
	m := &Main{DBPath: db}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cl := core.CommandLine("test")
	f, err := m.Engine.Export(cl)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := core.WriteSiteFile(&b, f); err != nil {
		t.Fatal(err)
	}
	if err := m.Engine.Events(cl, core.EventQuery{}, func(ev core.Event) error {
		fmt.Fprintf(&b, "event %d %s\n", ev.Seq, ev.Hash)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Engine.Audit(cl, core.AuditQuery{}, func(a core.AuditEntry) error {
		if !strings.HasPrefix(a.Action, "login.") {
			fmt.Fprintf(&b, "audit %s %s %s\n", a.Action, a.Object, a.After)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestEveryCommandLogsIn: every subcommand, run with --user and a wrong
// password, is refused with exit status 4 and "login refused" before it
// does anything, for an account that exists and for one that does not,
// with one key derivation each.
func TestEveryCommandLogsIn(t *testing.T) {
	db := newSite(t)
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "desk", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", "not the password")
	cmds := commandLines(t)
	for _, must := range [][]string{{"serve"}, {"devices"}, {"import"}, {"account", "set-roles"}, {"role", "set"}, {"grant", "add"}} {
		if !slices.ContainsFunc(cmds, func(c []string) bool { return slices.Equal(c, must) }) {
			t.Fatalf("the commands read from dispatch %q lack %q", cmds, must)
		}
	}
	before := dbState(t, db)
	for i, cmd := range cmds {
		// Each command once, as the account or as a name no account has.
		user := "desk"
		if i%2 == 1 {
			user = "ghost"
		}
		name := strings.Join(cmd, " ") + " as " + user
		keys := core.KeyDerivations()
		code, out, errs := cli(t, db, append(slices.Clone(cmd), "--user", user)...)
		if code != 4 || !strings.Contains(errs, "login refused") || out != "" {
			t.Errorf("%s with a wrong password: exit %d, out %q, err %q; want 4 and login refused", name, code, out, errs)
		}
		if n := core.KeyDerivations() - keys; n != 1 {
			t.Errorf("%s: %d key derivations, want 1", name, n)
		}
	}
	if after := dbState(t, db); after != before {
		t.Errorf("refused commands changed the database:\n%s\nwas\n%s", after, before)
	}
	t.Logf("%d commands refused: %q", len(cmds), cmds)
}
