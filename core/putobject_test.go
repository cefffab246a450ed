package core_test

import (
	"errors"
	"testing"
	"time"

	"frontdesk/core"
)

// TestWindowChangesNameTheirObject: every change the window's forms make
// through the engine is in the audit trail with its action and the kind
// and id of what it changed, never as an import of nothing in particular.
func TestWindowChangesNameTheirObject(t *testing.T) {
	e, _ := adminEngine(t)
	put := func(f string) func() error { return func() error { return e.PutObject(cli, siteFile(t, f)) } }
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var grant string
	tests := []struct {
		name           string
		change         func() error
		action, object string
	}{
		{"new schedule", put(`{"schedules": [{"id": "late", "name": "Late", "week": {"mon": ["18:00-22:00"]}}]}`),
			"schedule.put", "schedules/late"},
		{"schedule edit", put(`{"schedules": [{"id": "hours", "name": "Office hours", "week": {"mon": ["08:00-19:00"]}}]}`),
			"schedule.put", "schedules/hours"},
		{"shift", put(`{"shifts": [{"id": "day", "name": "Day shift", "week": {"mon": ["09:00-17:00"]}}]}`),
			"shift.put", "shifts/day"},
		{"holiday", put(`{"holidays": [{"date": "2026-05-01", "name": "Labour day"}]}`),
			"holiday.put", "holidays/2026-05-01"},
		{"access level", put(`{"access_levels": [{"id": "spare", "name": "Spare room", "rules": [{"doors": ["lab"]}]}]}`),
			"access-level.put", "access_levels/spare"},
		{"zone", put(`{"zones": [{"id": "annex", "name": "Annex"}]}`), "zone.put", "zones/annex"},
		{"door", put(`{"doors": [{"id": "store", "name": "Storeroom", "from": "office", "to": "attic"}]}`),
			"door.put", "doors/store"},
		{"device", put(`{"devices": [{"id": "relay3", "kind": "sim"}]}`), "device.put", "devices/relay3"},
		{"site settings", put(`{"site": {"name": "Saved HQ"}}`), "site.put", "site"},
		{"new account", func() error {
			_, err := e.AddAccount(cli, core.AccountInfo{Username: "rita", Roles: []string{"receptionist"}}, "rita password 1")
			return err
		}, "account.add", "accounts/rita"},
		{"account edit", put(`{"accounts": [{"username": "rita", "person": "ann", "roles": ["receptionist"]}]}`),
			"account.put", "accounts/rita"},
		{"role", func() error {
			_, err := e.PutRole(cli, core.Role{ID: "kiosk", Name: "Kiosk", Permissions: []core.Permission{core.PermPeopleView}})
			return err
		}, "role.put", "roles/kiosk"},
		{"department", func() error {
			_, err := e.PutDepartment(cli, core.Department{ID: "ops", Name: "Ops"})
			return err
		}, "department.add", "departments/ops"},
		{"person", func() error {
			_, err := e.PutPerson(cli, core.Person{ID: "ann", Name: "Ann Martin", Department: "staff"})
			return err
		}, "person.update", "people/ann"},
		{"card blocked", func() error {
			_, err := e.SetCardState(cli, "em:0100000001", core.CardLost)
			return err
		}, "card.state", "cards/em:0100000001"},
		{"grant", func() error {
			g, err := e.AddGrant(cli, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantPermanent})
			grant = g.ID
			return err
		}, "grant.add", ""},
		{"grant revoked", func() error { _, err := e.RevokeGrant(cli, grant); return err }, "grant.revoke", ""},
		{"lockdown", func() error { _, err := e.SetDoorMode(cli, "main", core.DoorLockdown); return err },
			"door.mode", "doors/main"},
		{"schedule deleted", func() error { return e.DeleteObject(cli, core.KindSchedule, "late") },
			"schedule.delete", "schedules/late"},
		{"attendance record", func() error {
			_, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "ann", From: at, Until: at.Add(time.Hour),
				State: core.AttendancePresent})
			return err
		}, "attendance.add", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countAudit(t, e)
			if err := tt.change(); err != nil {
				t.Fatal(err)
			}
			var added []core.AuditEntry
			n := 0
			if err := e.Audit(cli, core.AuditQuery{}, func(a core.AuditEntry) error {
				if n++; n > before {
					added = append(added, a)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(added) == 0 {
				t.Fatal("no audit entry")
			}
			found := false
			for _, a := range added {
				if a.Object == "" {
					t.Errorf("entry %s names no object", a.Action)
				}
				if a.Action == tt.action && (tt.object == "" || a.Object == tt.object) {
					found = true
				}
				if a.Action == "site.import" {
					t.Errorf("audited as an import: %+v", a)
				}
			}
			if !found {
				t.Errorf("got %+v, want %s on %q", added, tt.action, tt.object)
			}
		})
	}
}

// TestPutObjectTakesOneObject: a file of no object or of several is
// refused and changes nothing; the whole-file import stays an import.
func TestPutObjectTakesOneObject(t *testing.T) {
	e, _ := adminEngine(t)
	for name, f := range map[string]*core.SiteFile{
		"nil":        nil,
		"empty":      {},
		"two zones":  siteFile(t, `{"zones": [{"id": "z1", "name": "Z1"}, {"id": "z2", "name": "Z2"}]}`),
		"zone, site": siteFile(t, `{"site": {"name": "X"}, "zones": [{"id": "z1", "name": "Z1"}]}`),
	} {
		before := countAudit(t, e)
		if err := e.PutObject(cli, f); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("%s: got %v, want invalid", name, err)
		}
		if n := countAudit(t, e); n != before {
			t.Errorf("%s: %d audit entries added, want none", name, n-before)
		}
	}
	if err := e.Import(cli, siteFile(t, `{"zones": [{"id": "z1", "name": "Z1"}]}`)); err != nil {
		t.Fatal(err)
	}
	if !audited(t, e, "site.import", "") {
		t.Error("the import of a file is not audited as site.import")
	}
}
