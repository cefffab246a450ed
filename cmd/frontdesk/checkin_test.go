package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckinByPhone(t *testing.T) {
	db := newSite(t) // ann's phone is +33 6 12 34 56 78, the site in Europe/Paris

	var got tapResult
	out := mustCLI(t, db, "checkin", "--phone", "0612345678", "--at", "2026-11-24T08:59", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := tapResult{Result: "checked_in", Person: "ann", At: "2026-11-24T08:59:00+01:00",
		Explanation: "Ann Martin checked in by phone", Seq: 1}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	var keys map[string]any
	json.Unmarshal([]byte(out), &keys)
	if keys["zone"] != "office" {
		t.Errorf("checkin --json: zone %v, want office: %s", keys["zone"], out)
	}

	out = mustCLI(t, db, "checkin", "--phone", "06 12 34 56 78", "--at", "2026-11-24T12:00")
	if !strings.Contains(out, "2026-11-24 12:00:00") || !strings.Contains(out, "already_checked_in") ||
		!strings.Contains(out, "ann") || !strings.Contains(out, "Ann Martin already checked in at 2026-11-24 08:59") {
		t.Errorf("second check-in: got %q, want already_checked_in with the time of the first", out)
	}

	// Refusals are decisions: exit 0, and in the log.
	out = mustCLI(t, db, "checkin", "--phone", "+33 6 99 99 99 99", "--at", "2026-11-24T12:01")
	if !strings.Contains(out, "denied_unknown_phone") || !strings.Contains(out, "no person has phone +33699999999") {
		t.Errorf("unknown number: got %q", out)
	}
	file := filepath.Join(t.TempDir(), "zoe.json")
	os.WriteFile(file, []byte(`{"people": [{"id": "zoe", "name": "Zoé Ferrand", "department": "sales",
		"phone": "07 00 00 00 01", "phone_checkin": false}]}`), 0o600)
	mustCLI(t, db, "import", file)
	out = mustCLI(t, db, "checkin", "--phone", "0700000001", "--at", "2026-11-24T12:02")
	if !strings.Contains(out, "denied_phone_checkin") || !strings.Contains(out, "phone check-in is off for Zoé Ferrand") {
		t.Errorf("phone check-in off: got %q", out)
	}
	if log := mustCLI(t, db, "log"); strings.Count(log, "\n") != 4 {
		t.Errorf("log: got %q, want the 4 check-ins", log)
	}

	// Bad input is a usage error: exit 2, nothing logged.
	for _, args := range [][]string{
		{"checkin"},
		{"checkin", "--phone", "ann"},
		{"checkin", "--phone", "12 34"},
		{"checkin", "--phone", "0612345678", "--at", "noon"},
	} {
		if code, _, errs := cli(t, db, args...); code != 2 || !strings.Contains(errs, "frontdesk: ") {
			t.Errorf("%v: exit %d %q, want 2 and the error", args, code, errs)
		}
	}
	if log := mustCLI(t, db, "log"); strings.Count(log, "\n") != 4 {
		t.Errorf("log after bad input: got %q, want still 4 lines", log)
	}
}

func TestCheckinByPhoneAsStaff(t *testing.T) {
	db := newSite(t)
	file := filepath.Join(t.TempDir(), "bob.json")
	os.WriteFile(file, []byte(`{"people": [{"id": "bob", "name": "Bob Stone", "department": "sales", "master": true,
		"phone": "06 98 76 54 32", "cards": ["uid:04A22B1A"]}]}`), 0o600)
	mustCLI(t, db, "import", file)
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "bob", "--person", "bob", "--roles", "boss")
	mustCLI(t, db, "account", "add", "--username", "rita", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", bobPassword)

	// A boss may not check people in; a receptionist may.
	code, _, errs := cli(t, db, "checkin", "--phone", "0612345678", "--user", "bob")
	if code != 4 || !strings.Contains(errs, "forbidden: bob may not check people in by phone (needs attendance.checkin)") {
		t.Errorf("boss: exit %d %q, want 4 and forbidden", code, errs)
	}
	out := mustCLI(t, db, "checkin", "--phone", "0612345678", "--user", "rita", "--at", "2026-11-24T09:00")
	if !strings.Contains(out, "checked_in") {
		t.Errorf("receptionist: got %q, want ann checked in", out)
	}
	// Bob holds a staff account with permissions: his number is known,
	// so phone check-in is off for him by default.
	out = mustCLI(t, db, "checkin", "--phone", "0698765432", "--user", "rita", "--at", "2026-11-24T09:01")
	if !strings.Contains(out, "denied_phone_checkin") || !strings.Contains(out, "phone check-in is off for Bob Stone by default: staff account bob has permissions") {
		t.Errorf("bob: got %q, want denied_phone_checkin by default", out)
	}
}
