package core_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// adminSite has a relay, a schedule, a shift and a holiday, so that every
// kind DeleteObject handles has a user.
const adminSite = `{
  "site": {"name": "Admin HQ", "timezone": "Europe/Paris", "desk_zone": "office"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "lab", "name": "Lab", "work": true}, {"id": "attic", "name": "Attic"}],
  "schedules": [{"id": "hours", "name": "Office hours", "week": {"mon": ["07:00-20:00"]}},
                {"id": "spare", "name": "Spare", "week": {"sat": ["10:00-12:00"]}}],
  "holidays": [{"date": "2026-12-25", "name": "Christmas"}, {"date": "2026-01-01", "name": "New year"}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-12:30", "13:30-17:30"]}},
             {"id": "night", "name": "Night", "week": {"mon": ["22:00-06:00"]}}],
  "devices": [{"id": "relay1", "kind": "sim"}, {"id": "relay2", "kind": "sim"},
              {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office", "owners": ["bob"], "relay": "relay1:1"},
            {"id": "lab", "name": "Lab", "from": "office", "to": "lab"},
            {"id": "store", "name": "Store", "from": "office", "to": "attic"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main", "lab"], "schedule": "hours"}]},
                    {"id": "spare", "name": "Spare", "rules": [{"doors": ["lab"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"}],
  "people": [
    {"id": "ann", "name": "Ann", "department": "staff", "cards": ["em:0100000001"]},
    {"id": "bob", "name": "Bob", "department": "staff", "shift": "night", "cards": ["em:0100000002"]}]
}`

func adminEngine(t *testing.T) (*core.Engine, *steppedClock) {
	t.Helper()
	// Monday 2026-11-23 10:00 in Paris: inside Office hours.
	c := &steppedClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	e, err := core.NewEngine(storagetest.MustOpen(t), c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, siteFile(t, adminSite)); err != nil {
		t.Fatal(err)
	}
	return e, c
}

func TestOpenDoor(t *testing.T) {
	e, _ := adminEngine(t)
	var opened []string
	cancel := e.OnOpenDoor(func(door string) { opened = append(opened, door) })
	var published []core.Event
	defer e.Subscribe(func(ev core.Event) { published = append(published, ev) })()

	viewer := staffAccount(t, e, "viewer", "", core.PermDoorsView)
	if _, err := e.OpenDoor(viewer, "main"); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("without doors.open: got %v, want forbidden", err)
	}
	if len(opened) != 0 {
		t.Fatalf("a refused open pulsed %v", opened)
	}

	guard := staffAccount(t, e, "guard", "", core.PermDoorsOpen, core.PermLogsViewAny)
	ev, err := e.OpenDoor(guard, "main")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Seq == 0 || ev.Door != "main" || ev.Result != core.Granted || ev.Person != "" {
		t.Errorf("event %+v, want a granted event on main without person", ev)
	}
	if want := "door Main opened from the screen by guard"; ev.Explanation != want {
		t.Errorf("explanation %q, want %q", ev.Explanation, want)
	}
	if !slices.Equal(opened, []string{"main"}) {
		t.Errorf("hook got %v, want [main]", opened)
	}
	if len(published) != 1 || published[0].Seq != ev.Seq {
		t.Errorf("published %v, want the event", published)
	}
	var logged []core.Event
	if err := e.Events(guard, core.EventQuery{Door: "main"}, func(ev core.Event) error {
		logged = append(logged, ev)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(logged) != 1 || logged[0].Explanation != ev.Explanation {
		t.Errorf("log has %v, want the opening", logged)
	}
	if !audited(t, e, "door.open", "doors/main") {
		t.Error("no door.open audit entry")
	}

	if _, err := e.OpenDoor(guard, "lab"); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("door without relay: got %v, want invalid", err)
	}
	if _, err := e.OpenDoor(guard, "nope"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("unknown door: got %v, want not found", err)
	}
	cancel()
	cancel() // twice is harmless
	if _, err := e.OpenDoor(guard, "main"); err != nil {
		t.Fatal(err)
	}
	if len(opened) != 1 {
		t.Errorf("cancelled hook still called: %v", opened)
	}
}

// audited reports whether the trail has an entry of action on object.
func audited(t *testing.T, e *core.Engine, action, object string) bool {
	t.Helper()
	found := false
	if err := e.Audit(cli, core.AuditQuery{}, func(a core.AuditEntry) error {
		found = found || (a.Action == action && a.Object == object)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return found
}

func TestSetDoorMode(t *testing.T) {
	e, c := adminEngine(t)
	viewer := staffAccount(t, e, "viewer", "", core.PermDoorsView)
	if _, err := e.SetDoorMode(viewer, "main", core.DoorLockdown); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("without doors.lockdown: got %v, want forbidden", err)
	}
	guard := staffAccount(t, e, "guard", "", core.PermDoorsLockdown)
	d, err := e.SetDoorMode(guard, "main", core.DoorLockdown)
	if err != nil {
		t.Fatal(err)
	}
	if d.Mode != core.DoorLockdown || d.Relay != "relay1:1" || d.Name != "Main" {
		t.Errorf("door %+v, want main in lockdown, the rest kept", d)
	}
	ev, err := e.Tap(core.Tap{Reader: "main-in", Code: "em:0100000001"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Result != core.DeniedDoorLocked {
		t.Errorf("tap in lockdown: %s, want %s", ev.Result, core.DeniedDoorLocked)
	}
	if _, err := e.SetDoorMode(guard, "main", core.DoorNormal); err != nil {
		t.Fatal(err)
	}
	c.add(time.Minute)
	if ev, _ = e.Tap(core.Tap{Reader: "main-in", Code: "em:0100000001"}); ev.Result != core.Granted {
		t.Errorf("tap after release: %s (%s), want granted", ev.Result, ev.Explanation)
	}
	if !audited(t, e, "door.mode", "doors/main") {
		t.Error("no door.mode audit entry")
	}
	if _, err := e.SetDoorMode(guard, "main", "open"); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("mode open: got %v, want invalid", err)
	}
	if _, err := e.SetDoorMode(guard, "nope", core.DoorLockdown); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("unknown door: got %v, want not found", err)
	}
}

func TestDeleteObject(t *testing.T) {
	tests := []struct {
		kind  core.Kind
		id    string
		want  error
		users string // in the message of a conflict
	}{
		{core.KindZone, "office", core.ErrConflict, "the site's desk zone, door lab, door main, door store"},
		{core.KindZone, "outside", core.ErrConflict, "the site's outside zone, door main"},
		{core.KindDoor, "main", core.ErrConflict, "reader main-in, access level all, 1 grant(s)"},
		{core.KindDoor, "lab", core.ErrConflict, "access level all, access level spare"},
		{core.KindDevice, "relay1", core.ErrConflict, "door main (relay relay1:1)"},
		{core.KindSchedule, "hours", core.ErrConflict, "access level all"},
		{core.KindShift, "day", core.ErrConflict, "department staff"},
		{core.KindShift, "night", core.ErrConflict, "person bob"},
		{core.KindAccessLevel, "all", core.ErrConflict, "department staff"},
		{core.KindDoor, "store", nil, ""},
		{core.KindZone, "attic", nil, ""}, // free once store is gone
		{core.KindDevice, "relay2", nil, ""},
		{core.KindSchedule, "spare", nil, ""},
		{core.KindHoliday, "2026-12-25", nil, ""},
		{core.KindAccessLevel, "spare", nil, ""},
		{core.KindZone, "nope", core.ErrNotFound, ""},
		{core.KindPerson, "ann", core.ErrInvalid, ""},
	}
	e, _ := adminEngine(t)
	if _, err := e.AddGrant(cli, core.Grant{Person: "ann", Door: "main", Kind: core.GrantPermanent}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.id, func(t *testing.T) {
			err := e.DeleteObject(cli, tt.kind, tt.id)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want deleted", err)
				}
				if err := e.DeleteObject(cli, tt.kind, tt.id); !errors.Is(err, core.ErrNotFound) {
					t.Errorf("deleted twice: got %v, want not found", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if tt.users != "" && !strings.HasSuffix(err.Error(), "is used by "+tt.users) {
				t.Errorf("got %q, want it used by %s", err, tt.users)
			}
		})
	}
	zones, err := e.Zones(cli)
	if err != nil {
		t.Fatal(err)
	}
	if len(zones) != 3 {
		t.Errorf("zones %v after deleting attic, want 3", zones)
	}
	if _, ok := e.Door(cli, "store"); ok {
		t.Error("door store still in the engine's copy of the site")
	}
	if !audited(t, e, "access-level.delete", "access_levels/spare") {
		t.Error("no access-level.delete audit entry")
	}
}

func TestDeleteObjectNeedsItsPermission(t *testing.T) {
	e, _ := adminEngine(t)
	doors := staffAccount(t, e, "doors", "", core.PermDoorsEdit)
	access := staffAccount(t, e, "access", "", core.PermAccessEdit)
	if err := e.DeleteObject(access, core.KindZone, "attic"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("zone with access.edit: got %v, want forbidden", err)
	}
	if err := e.DeleteObject(doors, core.KindHoliday, "2026-12-25"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("holiday with doors.edit: got %v, want forbidden", err)
	}
	if err := e.DeleteObject(doors, core.KindDevice, "relay2"); err != nil {
		t.Errorf("device with doors.edit: %v", err)
	}
	if err := e.DeleteObject(access, core.KindHoliday, "2026-12-25"); err != nil {
		t.Errorf("holiday with access.edit: %v", err)
	}
}

func TestAdminReads(t *testing.T) {
	e, _ := adminEngine(t)
	nobody := staffAccount(t, e, "nobody", "", core.PermAuditView)
	viewer := staffAccount(t, e, "viewer", "", core.PermPeopleView)
	if _, err := e.Zones(nobody); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("zones without doors.view: got %v", err)
	}
	if _, err := e.Schedules(viewer); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("schedules with people.view: got %v", err)
	}
	if _, err := e.Holidays(viewer); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("holidays with people.view: got %v", err)
	}
	shifts, err := e.Shifts(viewer)
	if err != nil || len(shifts) != 2 || shifts[0].ID != "day" {
		t.Fatalf("shifts %v, %v, want day and night", shifts, err)
	}
	if w := shifts[0].Week[time.Monday]; len(w) != 2 || w[1].String() != "13:30-17:30" {
		t.Errorf("day shift's Monday %v", w)
	}
	shifts[0].Week[time.Monday][0] = core.Window{} // a copy: the engine's is untouched
	again, _ := e.Shifts(viewer)
	if again[0].Week[time.Monday][0].String() != "09:00-12:30" {
		t.Errorf("changing a returned shift changed the engine's: %v", again[0].Week[time.Monday])
	}
	levels, err := e.AccessLevels(viewer)
	if err != nil || len(levels) != 2 || levels[0].Rules[0].Schedule != "hours" {
		t.Fatalf("levels %v, %v", levels, err)
	}
	scheds, err := e.Schedules(cli)
	if err != nil || len(scheds) != 2 || scheds[1].ID != "spare" {
		t.Errorf("schedules %v, %v", scheds, err)
	}
	hols, err := e.Holidays(cli)
	if err != nil || len(hols) != 2 || hols[0].Name != "New year" || hols[1].Name != "Christmas" {
		t.Errorf("holidays %v, %v, want by date", hols, err)
	}
	zones, err := e.Zones(staffAccount(t, e, "settings", "", core.PermSettingsEdit))
	if err != nil || len(zones) != 4 || zones[0].ID != "attic" {
		t.Errorf("zones %v, %v", zones, err)
	}
}

func TestGrantableDoors(t *testing.T) {
	e, _ := adminEngine(t)
	ids := func(ds []core.Door) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	boss := staffAccount(t, e, "bob", "bob", core.PermGrantsEditOwn)
	if got := ids(e.GrantableDoors(boss)); !slices.Equal(got, []string{"main"}) {
		t.Errorf("boss: %v, want [main]", got)
	}
	admin := staffAccount(t, e, "admin2", "", core.PermGrantsEditAny)
	if got := ids(e.GrantableDoors(admin)); !slices.Equal(got, []string{"lab", "main", "store"}) {
		t.Errorf("grants.edit.any: %v, want every door", got)
	}
	viewer := staffAccount(t, e, "viewer", "bob", core.PermDoorsView)
	if got := e.GrantableDoors(viewer); got != nil {
		t.Errorf("without grant permissions: %v, want none", got)
	}
}

// TestOpenDoorInLockdown: who may open a door from the screen, by the
// door's mode and the actor's permissions. A door in lockdown opens only
// for who may also lift the lockdown, and the log says it was in
// lockdown and who opened it; a refusal logs, pulses and audits nothing.
func TestOpenDoorInLockdown(t *testing.T) {
	e, _ := adminEngine(t)
	var opened []string
	defer e.OnOpenDoor(func(door string) { opened = append(opened, door) })()
	actors := map[string]core.Actor{
		"viewer":     staffAccount(t, e, "viewer", "", core.PermDoorsView),
		"opener":     staffAccount(t, e, "opener", "", core.PermDoorsOpen),
		"locker":     staffAccount(t, e, "locker", "", core.PermDoorsLockdown),
		"supervisor": staffAccount(t, e, "supervisor", "", core.PermDoorsOpen, core.PermDoorsLockdown),
		"admin":      roleActor(t, e, "admin", core.RoleAdmin),
	}
	tests := []struct {
		mode  core.DoorMode
		actor string
		ok    bool
	}{
		{core.DoorNormal, "viewer", false},
		{core.DoorNormal, "opener", true},
		{core.DoorNormal, "locker", false},
		{core.DoorNormal, "supervisor", true},
		{core.DoorUnlocked, "opener", true},
		{core.DoorLockdown, "viewer", false},
		{core.DoorLockdown, "opener", false},
		{core.DoorLockdown, "locker", false},
		{core.DoorLockdown, "supervisor", true},
		{core.DoorLockdown, "admin", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode)+"/"+tt.actor, func(t *testing.T) {
			if _, err := e.SetDoorMode(cli, "main", tt.mode); err != nil {
				t.Fatal(err)
			}
			opened = nil
			events, audits := countEvents(t, e), countAudit(t, e)
			ev, err := e.OpenDoor(actors[tt.actor], "main")
			if !tt.ok {
				if !errors.Is(err, core.ErrForbidden) {
					t.Fatalf("got %v, want forbidden", err)
				}
				if len(opened) != 0 || countEvents(t, e) != events || countAudit(t, e) != audits {
					t.Errorf("a refused opening pulsed %v or was logged", opened)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want opened", err)
			}
			want := "door Main opened from the screen by " + tt.actor
			if tt.mode == core.DoorLockdown {
				want += " during lockdown"
			}
			if ev.Explanation != want || len(opened) != 1 {
				t.Errorf("explanation %q, pulses %v; want %q and one pulse", ev.Explanation, opened, want)
			}
			var entry core.AuditEntry
			e.Audit(cli, core.AuditQuery{}, func(a core.AuditEntry) error {
				if a.Action == "door.open" {
					entry = a
				}
				return nil
			})
			if got := strings.Contains(string(entry.After), `"lockdown":true`); got != (tt.mode == core.DoorLockdown) || entry.Actor != tt.actor {
				t.Errorf("audit entry %s by %s, want lockdown=%v by %s", entry.After, entry.Actor, tt.mode == core.DoorLockdown, tt.actor)
			}
		})
	}
}

// roleActor makes an account with role and returns it as an actor.
func roleActor(t *testing.T, e *core.Engine, name, role string) core.Actor {
	t.Helper()
	if _, err := e.AddAccount(cli, core.AccountInfo{Username: name, Roles: []string{role}}, goodPassword); err != nil {
		t.Fatal(err)
	}
	return core.Actor{Kind: core.ActorAccount, Name: name}
}

func countEvents(t *testing.T, e *core.Engine) int {
	t.Helper()
	n := 0
	if err := e.Events(cli, core.EventQuery{}, func(core.Event) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func countAudit(t *testing.T, e *core.Engine) int {
	t.Helper()
	n := 0
	if err := e.Audit(cli, core.AuditQuery{}, func(core.AuditEntry) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
