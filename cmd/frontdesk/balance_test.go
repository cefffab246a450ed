package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bankDB is shiftSite (a 09:00-17:00 shift on Mondays and Tuesdays) in a
// new database, with Ann in from 08:00 to 18:00 on Monday 23 November
// 2026: 120 minutes over.
func bankDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "bank.db")
	if err := os.WriteFile(filepath.Join(dir, "site.json"), []byte(shiftSite), 0o600); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, db, "import", filepath.Join(dir, "site.json"))
	mustCLI(t, db, "tap", "--reader", "in", "--card", "em:0102B0A5FD", "--at", "2026-11-23T08:00")
	mustCLI(t, db, "tap", "--reader", "out", "--card", "em:0102B0A5FD", "--at", "2026-11-23T18:00")
	return db
}

// TestBalanceCommands: adjust, list (table and JSON) and delete, and the
// bank line of the timesheet table.
func TestBalanceCommands(t *testing.T) {
	db := bankDB(t)
	period := []string{"--from", "2026-11-23", "--to", "2026-11-23"}
	// No correction, no balance_from: no bank line.
	if out := mustCLI(t, db, append([]string{"timesheet"}, period...)...); strings.Contains(out, "bank") {
		t.Errorf("timesheet without a bank: %q", out)
	}
	if out := mustCLI(t, db, "balance", "adjust", "--person", "ann", "--date", "2026-11-23", "--minutes", "-90",
		"--reason", "paid out"); strings.TrimSpace(out) != "b1" {
		t.Errorf("adjust: got %q, want b1", out)
	}
	out := mustCLI(t, db, "balance", "adjust", "--person", "ann", "--date", "2026-11-20", "--minutes", "30",
		"--reason", "carried over", "--json")
	var adj adjustmentJSON
	if err := json.Unmarshal([]byte(out), &adj); err != nil || adj.ID != "b2" || adj.Minutes != 30 || adj.By == "" {
		t.Errorf("adjust --json: got %q (%v)", out, err)
	}

	// Ann started on 2025-01-01: every Monday and Tuesday since is
	// absent but the 23rd; the bank's figures are the timesheet's.
	out = mustCLI(t, db, append([]string{"balance", "list", "--person", "ann", "--json"}, period...)...)
	var list balanceListJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if list.Bank == nil || list.Bank.From.String() != "2025-01-01" || list.Bank.Adjustments != -90 ||
		list.Bank.Closing != list.Bank.Opening+120-90 || len(list.Corrections) != 1 || list.Corrections[0].ID != "b1" {
		t.Errorf("list --json: got %s", out)
	}
	out = mustCLI(t, db, "balance", "list", "--person", "ann", "--from", "2026-11-01", "--to", "2026-11-30")
	for _, want := range []string{"b1", "b2", "-1:30", "0:30", "paid out", "carried over", "opening", "corrections", "closing"} {
		if !strings.Contains(out, want) {
			t.Errorf("list: %q not in\n%s", want, out)
		}
	}
	out = mustCLI(t, db, append([]string{"timesheet"}, period...)...)
	want := "closing " + signedHM(list.Bank.Closing) + " (opening " + signedHM(list.Bank.Opening) + ", corrections -1:30)"
	if !strings.Contains(out, "bank") || !strings.Contains(out, want) {
		t.Errorf("timesheet: %q not in\n%s", want, out)
	}

	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "fr_FR.UTF-8")
	out = mustCLI(t, db, "balance", "list", "--person", "ann", "--from", "2026-11-01", "--to", "2026-11-30")
	for _, want := range []string{"MOTIF", "Compteur d'heures de ann depuis le 2025-01-01", "solde initial", "corrections", "solde final"} {
		if !strings.Contains(out, want) {
			t.Errorf("list in French: %q not in\n%s", want, out)
		}
	}
	t.Setenv("LANG", "C")

	if out := mustCLI(t, db, "balance", "delete", "b1"); !strings.Contains(out, "deleted b1 (-1:30 on 2026-11-23 for ann)") {
		t.Errorf("delete: got %q", out)
	}
	out = mustCLI(t, db, "balance", "list", "--person", "ann", "--json")
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Corrections) != 1 || list.Corrections[0].ID != "b2" {
		t.Errorf("list after delete: got %s", out)
	}
}

// TestBalanceCommandErrors: usage mistakes exit 2, refused input 1, an
// account without attendance.edit 4; nothing is stored.
func TestBalanceCommandErrors(t *testing.T) {
	db := bankDB(t)
	const pw = "correct horse battery"
	t.Setenv("FRONTDESK_NEW_PASSWORD", pw)
	// A receptionist sees attendance, and corrects no time bank.
	mustCLI(t, db, "account", "add", "--username", "val", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", pw)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"balance"}, 2, "want adjust, list or delete"},
		{"unknown subcommand", []string{"balance", "pay"}, 2, "unknown subcommand"},
		{"missing reason", []string{"balance", "adjust", "--person", "ann", "--date", "2026-11-23", "--minutes", "-90"}, 2, "are required"},
		{"minutes not a number", []string{"balance", "adjust", "--person", "ann", "--date", "2026-11-23", "--minutes", "2h", "--reason", "x"}, 2, "whole number"},
		{"bad date", []string{"balance", "adjust", "--person", "ann", "--date", "2026-02-30", "--minutes", "5", "--reason", "x"}, 2, "--date"},
		{"zero minutes", []string{"balance", "adjust", "--person", "ann", "--date", "2026-11-23", "--minutes", "0", "--reason", "x"}, 1, "must not be zero"},
		{"absurd minutes", []string{"balance", "adjust", "--person", "ann", "--date", "2026-11-23", "--minutes", "60001", "--reason", "x"}, 1, "at most 1000 hours"},
		{"unknown person", []string{"balance", "adjust", "--person", "zoe", "--date", "2026-11-23", "--minutes", "5", "--reason", "x"}, 1, `no person "zoe"`},
		{"no attendance.edit", []string{"balance", "adjust", "--person", "ann", "--date", "2026-11-23", "--minutes", "5", "--reason", "x",
			"--user", "val"}, 4, "needs attendance.edit"},
		{"list without a person", []string{"balance", "list"}, 2, "--person is required"},
		{"list with half a period", []string{"balance", "list", "--person", "ann", "--from", "2026-11-01"}, 2, "go together"},
		{"delete unknown", []string{"balance", "delete", "b9"}, 1, "no time bank correction"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := cli(t, db, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, %q; want %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
	out := mustCLI(t, db, "balance", "list", "--person", "ann", "--json")
	if !strings.Contains(out, `"corrections": []`) || !strings.Contains(out, `"bank": null`) {
		t.Errorf("stored after the refusals: %s", out)
	}
}
