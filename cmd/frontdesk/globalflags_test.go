package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCommandFirst(t *testing.T) {
	tests := []struct {
		args, want []string
	}{
		{[]string{"--db", "X", "log"}, []string{"log", "--db", "X"}},
		{[]string{"--db=X", "--json", "grant", "list", "--person", "ann"}, []string{"grant", "list", "--person", "ann", "--db=X", "--json"}},
		{[]string{"-db", "X", "import", "--", "-file.json"}, []string{"import", "-db", "X", "--", "-file.json"}},
		{[]string{"--user", "bob", "audit"}, []string{"audit", "--user", "bob"}},
		{[]string{"--version"}, []string{"version"}},
		{[]string{"--json", "--version"}, []string{"version", "--json"}},
		{[]string{"--db", "X", "--version", "--json"}, []string{"version", "--db", "X", "--json"}},
		{[]string{"--db=", "x"}, []string{"--db=", "x"}},
		{[]string{"--db", "X", "nosuch"}, []string{"--db", "X", "nosuch"}},
		// The window's: no command after the global flags.
		{[]string{"--db", "X"}, []string{"--db", "X"}},
		{[]string{"--db"}, []string{"--db"}},
		{[]string{"--demo"}, []string{"--demo"}},
		{[]string{"--db", "X", "--demo"}, []string{"--db", "X", "--demo"}},
		{[]string{"--demo", "--db", "X"}, []string{"--demo", "--db", "X"}},
		{[]string{"--db", "X", "-h"}, []string{"--db", "X", "-h"}},
		// Already in place.
		{[]string{"log", "--db", "X"}, []string{"log", "--db", "X"}},
		{nil, nil},
	}
	for _, tt := range tests {
		if got := commandFirst(slices.Clone(tt.args)); !slices.Equal(got, tt.want) {
			t.Errorf("commandFirst(%q): got %q, want %q", tt.args, got, tt.want)
		}
	}
}

// madeAt is when a checkpoint was made, and its signature.
var madeAt = regexp.MustCompile(`at=\S+ key=\S+ sig=[0-9a-f]+`)

// TestEveryCommandKnown: every command of dispatch is in the usage, where
// commandFirst finds the commands that global flags may come before.
func TestEveryCommandKnown(t *testing.T) {
	for _, cmd := range commandLines(t) {
		if !isCommand(cmd[0]) {
			t.Errorf("%q is not in the usage: frontdesk --db PATH %s would open the window", cmd[0], cmd[0])
		}
	}
	for _, name := range []string{"nosuch", "--demo", "commands:", "TIME", "every"} {
		if isCommand(name) {
			t.Errorf("isCommand(%q): true", name)
		}
	}
}

// TestGlobalFlagsEitherSide: `frontdesk --db P X` and `frontdesk X --db P`
// do the same, with --json and --user too, and fail the same.
func TestGlobalFlagsEitherSide(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:00")
	pdf := filepath.Join(t.TempDir(), "attendance.pdf")
	commands := [][]string{
		{"log"},
		{"export"},
		{"grant", "list"},
		{"account", "list"},
		{"audit", "--limit", "3"},
		{"timesheet", "--from", "2026-11-23", "--to", "2026-11-24"},
		{"verify"},
		{"report", "attendance", "--at", "2026-11-24T10:00", "--out", pdf},
		{"version"},
		{"grant", "revoke", "no-such-grant"},
	}
	for _, cmd := range commands {
		for _, global := range [][]string{{"--db", db}, {"--db", db, "--json"}, {"--db=" + db, "--json"}} {
			after := slices.Concat(cmd, global)
			before := slices.Concat(global, cmd)
			code, out, errs := runArgs(after...)
			code2, out2, errs2 := runArgs(before...)
			// A report's new checkpoint says when it was made.
			out, out2 = madeAt.ReplaceAllString(out, "at=…"), madeAt.ReplaceAllString(out2, "at=…")
			if code != code2 || out != out2 || errs != errs2 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q\n%q: exit %d, stdout %q, stderr %q",
					after, code, out, errs, before, code2, out2, errs2)
			}
			if wantFail := cmd[0] == "grant" && cmd[1] == "revoke"; (code != 0) != wantFail || out+errs == "" {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", before, code, out, errs)
			}
		}
	}
	// --user before the command logs in as well.
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "desk", "--roles", "admin")
	t.Setenv("FRONTDESK_PASSWORD", bobPassword)
	code, out, errs := runArgs("--user", "desk", "--db", db, "--json", "log", "--limit", "1")
	code2, out2, errs2 := runArgs("log", "--limit", "1", "--user", "desk", "--db", db, "--json")
	if code != 0 || code2 != 0 || out != out2 || errs != errs2 {
		t.Errorf("--user before: exit %d %q %q; after: exit %d %q %q", code, out, errs, code2, out2, errs2)
	}
	t.Setenv("FRONTDESK_PASSWORD", "not the password")
	if code, out, errs := runArgs("--user", "desk", "--db", db, "audit"); code != 4 || out != "" || !strings.Contains(errs, "login refused") {
		t.Errorf("--user before with a wrong password: exit %d, stdout %q, stderr %q; want 4 and login refused", code, out, errs)
	}
}

// TestHelpOnStdout: -h and --help, at the top, for a command, for a
// command made of subcommands and for the window, print the usage on
// standard output and exit 0.
func TestHelpOnStdout(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("FRONTDESK_DB", "")
	for _, args := range [][]string{
		{"-h"}, {"--help"}, {"help"}, {"--db", "x.db", "help"},
		{"log", "-h"}, {"--db", "x.db", "log", "-h"}, {"report", "--help"}, {"version", "-h"},
		{"grant", "-h"}, {"account", "--help"}, {"service", "-h"}, {"grant", "add", "-h"}, {"service", "install", "-h"},
		{"--demo", "-h"}, {"--db", "x.db", "-h"},
	} {
		code, out, errs := runArgs(args...)
		if code != 0 || !strings.HasPrefix(out, "usage: frontdesk") || errs != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 0 and the usage on stdout", args, code, out, errs)
		}
	}
	if _, out, _ := runArgs("grant", "-h"); out != "usage: frontdesk grant add|list|revoke\ngrants on doors; \"frontdesk grant SUBCOMMAND -h\" for its flags\n" {
		t.Errorf("grant -h: %q", out)
	}
}

// TestErrorsOnce: a failure is one line on standard error, "frontdesk:
// ...", and nothing on standard output, with the global flags before the
// command or after it.
func TestErrorsOnce(t *testing.T) {
	db := newSite(t)
	missing := filepath.Join(t.TempDir(), "missing.db")
	for _, args := range [][]string{
		{"--db", missing, "log"},
		{"log", "--db", missing},
		{"--db", db, "nosuch"},
		{"--db", db, "grant", "revoke", "nope"},
		{"--db", db, "import", filepath.Join(t.TempDir(), "no-such-site.json")},
		{"--db", db, "log", "--from", "yesterday"},
		{"--db", db, "report", "bogus", "--out", filepath.Join(t.TempDir(), "x.pdf")},
		{"--db", db, "service", "install", "--db", "/var/lib/site.db"},
		{"--db", db, "--json", "tap", "--reader", "nope", "--card", "em:0102B0A5FD"},
	} {
		code, out, errs := runArgs(args...)
		if code == 0 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "frontdesk: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want one line on stderr", args, code, out, errs)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a command made the missing database")
	}
}
