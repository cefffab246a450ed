package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"frontdesk/core"
	"frontdesk/storage"
)

// hostile is text that would take over a terminal: it clears the line,
// goes back to its start, prints a forged decision in green, rings the
// bell, starts a new line and a new column, flips the direction of what
// follows, and ends in a byte that is not UTF-8. Old databases may hold
// such names: the text rule came later.
const hostile = "Mallory\x1b[2K\r\x1b[32mgranted\x1b[0m\a\nforged line\tcolumn\u202eexe.\xff"

// writeHostile puts hostile text into every kind of stored text of db,
// with the store directly, as another program or an old version could.
func writeHostile(t *testing.T, db string) {
	t.Helper()
	s, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	eve := "eve\x1b]0;owned\a"
	err = s.Update(func(tx core.Tx) error {
		var ann core.Person
		if err := tx.Get(core.KindPerson, "ann", &ann); err != nil {
			return err
		}
		ann.Name = hostile
		puts := []struct {
			kind core.Kind
			id   string
			v    any
		}{
			{core.KindPerson, "ann", ann},
			{core.KindPerson, eve, core.Person{ID: eve, Name: hostile, Department: "sales"}},
			{core.KindZone, "office", core.Zone{ID: "office", Name: hostile, Work: true}},
			{core.KindDoor, "lab", core.Door{ID: "lab", Name: hostile, From: "office", To: "lab", Relay: "relay1:2"}},
			{core.KindDepartment, "sales", core.Department{ID: "sales", Name: hostile, AccessLevel: "staff"}},
			{core.KindRole, "boss", core.Role{ID: "boss", Name: hostile, Permissions: []core.Permission{core.PermDoorsView}}},
			{core.KindDevice, "sim\x1b[31m", core.Device{ID: "sim\x1b[31m", Kind: "sim", Door: "main", Direction: core.In}},
			{core.KindGrant, "g9", core.Grant{ID: "g9", Person: "ann", Door: "lab", Kind: core.GrantPermanent, By: hostile}},
			{core.KindAttendance, "a9", core.AttendanceRecord{ID: "a9", Person: "ann", State: core.AttendanceAbsent,
				From: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC),
				Description: hostile, EnteredBy: hostile}},
			{core.KindJustification, "j9", core.Justification{ID: "j9", Person: "ann", State: core.JustifValid,
				From: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC),
				Reason: hostile, DepositedBy: hostile, Files: []core.JustifFile{{ID: "f9", Name: hostile, ServerName: "f9",
					DepositedBy: hostile, DepositedAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)}}}},
		}
		for _, p := range puts {
			if err := tx.Put(p.kind, p.id, p.v); err != nil {
				return err
			}
		}
		var acc core.Account
		if err := tx.Get(core.KindAccount, "desk", &acc); err != nil {
			return err
		}
		acc.Person = eve
		if err := tx.Put(core.KindAccount, "desk", acc); err != nil {
			return err
		}
		ev := core.Event{At: time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC), Reader: "main-in", Door: "main",
			Card: "em:0102B0A5FD", Person: eve, Result: core.Granted, Explanation: hostile, Zone: "office"}
		if err := tx.AppendEvent(&ev); err != nil {
			return err
		}
		if err := tx.PutPresence(core.Presence{Person: eve, Zone: "office", Since: ev.At, Seq: ev.Seq}); err != nil {
			return err
		}
		return tx.AppendAudit(&core.AuditEntry{At: ev.At, Actor: hostile, ActorKind: core.ActorAccount,
			Action: "person.update", Object: "people/" + eve, After: []byte(`{"name":"x"}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTablesEscapeStoredText fills a database with names and notes that
// hold escape codes, carriage returns, bells, line breaks, tabs and bytes
// that are not UTF-8, written with the store directly, then runs every
// command that prints text: its output holds no control character but
// the table's own line breaks, and the hostile text is there, escaped.
// Every command of dispatch is either run here or listed with the reason
// it prints no stored text, so a new command cannot be forgotten.
func TestTablesEscapeStoredText(t *testing.T) {
	db := newSite(t)
	t.Setenv("FRONTDESK_NEW_PASSWORD", "a long enough password")
	mustCLI(t, db, "account", "add", "--username", "desk", "--roles", "receptionist")
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:00")
	writeHostile(t, db)
	csv := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(csv, []byte("id;name;phone\nann;Ann Martin;+33 6 00 00 00 01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "muster.pdf")

	// run are the commands that print stored text, with their arguments;
	// shows says the hostile text is in their output (escaped).
	run := map[string]struct {
		args  []string
		shows bool
	}{
		"log":               {nil, true},
		"tap":               {[]string{"--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T10:00"}, false},
		"checkin":           {[]string{"--phone", "+33 6 12 34 56 78", "--at", "2026-11-24T11:00"}, true},
		"close-day":         {[]string{"--at", "2026-11-25T23:00"}, true},
		"grant list":        {nil, true},
		"account list":      {nil, true},
		"role list":         {nil, true},
		"audit":             {nil, true},
		"timesheet":         {[]string{"--from", "2026-11-23", "--to", "2026-11-24"}, true},
		"metrics":           {[]string{"--from", "2026-11-23", "--to", "2026-11-24"}, false},
		"justif list":       {nil, true},
		"attendance list":   {nil, true},
		"devices":           {nil, true},
		"import-people":     {[]string{csv, "--dry-run"}, true},
		"verify":            {nil, false},
		"report":            {[]string{"muster", "--out", pdf}, false},
		"timesheet --csv":   {[]string{"--from", "2026-11-23", "--to", "2026-11-24", "--csv"}, true},
		"role list --perms": {[]string{"--permissions"}, false},
		"holidays list":     {nil, false},
		"balance list":      {[]string{"--person", "ann"}, false},
		"presence":          {nil, false}, // close-day may have checked everyone out before
	}
	excel := run["timesheet --csv"]
	excel.args = []string{"--from", "2026-11-23", "--to", "2026-11-24", "--csv-excel"}
	run["timesheet --csv-excel"] = excel
	// printsNoStoredText are the commands that only print what they were
	// given, ids they made, or JSON (which escapes control characters).
	printsNoStoredText := map[string]string{
		"serve":              "runs until stopped; logs go to the journal",
		"import":             "prints counts",
		"export":             "prints JSON",
		"backup":             "prints the path given",
		"grant add":          "prints the new grant's id",
		"grant revoke":       "prints ids (escaped)",
		"account add":        "prints the username given",
		"account set-roles":  "prints the account (the list above)",
		"account enable":     "prints the account (the list above)",
		"account disable":    "prints the account (the list above)",
		"account passwd":     "prints the username given",
		"role add":           "prints the role (the list above)",
		"role set":           "prints the role (the list above)",
		"role delete":        "prints the id given",
		"attendance add":     "prints the new record's id",
		"attendance delete":  "prints the record (escaped)",
		"justif add":         "prints the new justification's id",
		"justif set-state":   "prints an id and a state",
		"justif attach":      "prints the file's id and safe server name",
		"justif get-file":    "writes the file; prints its name (escaped)",
		"justif delete-file": "prints the file's name (escaped)",
		"checkpoint":         "prints hex, digits and the checkpoint file's path",
		"service install":    "prints fixed paths and steps; changes the machine (service_test.go)",
		"service uninstall":  "prints fixed paths and steps; changes the machine (service_test.go)",
		"service status":     "prints systemctl's words, paths and the site's name (escaped)",
		"version":            "prints the build's version",
		"holidays add":       "prints dates and the holiday library's names (escaped)",
		"balance adjust":     "prints the new correction's id",
		"balance delete":     "prints the correction (escaped)",
		"hub add-site":       "prints the site id given (checked) and the path given",
		"hub remove-site":    "prints the site id given (checked)",
		"hub sites":          "prints checked site ids and public keys, and dates",
		"hub init":           "prints fixed names and the URL given",
		"sites":              "prints what the hub holds of each site through the table, which escapes every cell (federation_test.go)",
	}
	for _, cmd := range commandLines(t) {
		name := strings.Join(cmd, " ")
		_, ran := run[name]
		if _, why := printsNoStoredText[name]; !ran && !why {
			t.Errorf("command %q is neither run by this test nor listed as printing no stored text", name)
		}
	}
	for name, c := range run {
		t.Run(name, func(t *testing.T) {
			cmd := strings.Fields(name)
			if len(cmd) > 1 && strings.HasPrefix(cmd[len(cmd)-1], "--") {
				cmd = cmd[:len(cmd)-1]
			}
			code, out, errs := cli(t, db, append(cmd, c.args...)...)
			if code != 0 && name != "verify" {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, text := range []string{out, errs} {
				if !utf8.ValidString(text) {
					t.Errorf("output is not UTF-8: %q", text)
				}
				for _, r := range text {
					// A spreadsheet's CSV ends its lines with CRLF.
					crlf := r == '\r' && strings.HasSuffix(name, "--csv-excel")
					if (unicode.IsControl(r) && r != '\n' && r != '\t' && !crlf) || r == '\u202e' {
						t.Fatalf("output holds %U:\n%q", r, text)
					}
				}
			}
			if c.shows && !strings.Contains(out, `\x1b`) {
				t.Errorf("the stored text is not shown escaped:\n%s", out)
			}
		})
	}
}
