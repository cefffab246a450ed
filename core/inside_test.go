package core_test

import (
	"slices"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// insideSite has a work zone, a server room and a lobby that are not, the
// reception (a work zone, the desk's) and the outside.
const insideSite = `{
  "site": {"name": "Inside HQ", "timezone": "Europe/Paris", "desk_zone": "reception"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby"},
            {"id": "office", "name": "Office", "work": true}, {"id": "server", "name": "Server room"},
            {"id": "reception", "name": "Reception", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby"},
            {"id": "office", "name": "Office", "from": "lobby", "to": "office"},
            {"id": "server", "name": "Server room", "from": "office", "to": "server"}],
  "devices": [{"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"},
              {"id": "office-in", "kind": "sim", "door": "office", "direction": "in"},
              {"id": "server-in", "kind": "sim", "door": "server", "direction": "in"},
              {"id": "server-out", "kind": "sim", "door": "server", "direction": "out"},
              {"id": "desk", "kind": "sim", "desk": true}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main", "office", "server"]}]}],
  "departments": [{"id": "it", "name": "IT", "access_level": "all"}, {"id": "ops", "name": "Ops", "access_level": "all"}],
  "people": [{"id": "olga", "name": "Olga Office", "department": "it", "cards": ["em:0A00000001"]},
             {"id": "sam", "name": "Sam Server", "department": "it", "cards": ["em:0A00000002"]},
             {"id": "lou", "name": "Lou Lobby", "department": "ops", "cards": ["em:0A00000003"]},
             {"id": "otto", "name": "Otto Outside", "department": "ops", "cards": ["em:0A00000004"]},
             {"id": "dee", "name": "Dee Desk", "department": "ops", "cards": ["em:0A00000005"]},
             {"id": "gus", "name": "Gus Gone", "department": "ops"},
             {"id": "nev", "name": "Nev Never", "department": "ops"},
             {"id": "stan", "name": "Stan Stale", "department": "it", "cards": ["em:0A00000006"]},
             {"id": "ina", "name": "Ina Inactive", "department": "it", "cards": ["em:0A00000007"]}]
}`

// TestInsideIsEveryZoneButOutside puts people in every kind of zone and
// checks that the attendance sheet (the reception's list and its count),
// and the muster list agree on who is inside: every zone
// but the outside one - work or not, the desk's, one the site no longer
// has - and that worked time still counts the work zones only.
func TestInsideIsEveryZoneButOutside(t *testing.T) {
	now := time.Date(2026, 11, 24, 11, 0, 0, 0, paris)
	db := storagetest.MustOpen(t)
	e, err := core.NewEngine(db, func() time.Time { return now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, siteFile(t, insideSite)); err != nil {
		t.Fatal(err)
	}
	taps := []struct{ reader, card, at string }{
		{"main-in", "em:0A00000006", "2026-11-23T09:00"}, // Stan: in since yesterday, never checked out
		{"office-in", "em:0A00000006", "2026-11-23T09:01"},
		{"main-in", "em:0A00000001", "2026-11-24T08:00"}, // Olga: office
		{"office-in", "em:0A00000001", "2026-11-24T08:01"},
		{"main-in", "em:0A00000002", "2026-11-24T08:10"}, // Sam: office, then the server room
		{"office-in", "em:0A00000002", "2026-11-24T08:11"},
		{"server-in", "em:0A00000002", "2026-11-24T09:00"},
		{"main-in", "em:0A00000003", "2026-11-24T08:20"}, // Lou: the lobby
		{"main-in", "em:0A00000004", "2026-11-24T08:30"}, // Otto: in, then out
		{"main-out", "em:0A00000004", "2026-11-24T08:40"},
		{"desk", "em:0A00000005", "2026-11-24T08:50"},    // Dee: checked in at the desk
		{"main-in", "em:0A00000007", "2026-11-24T08:55"}, // Ina: in, then made inactive
	}
	for _, tp := range taps {
		if ev, err := e.Tap(core.Tap{Reader: tp.reader, Code: tp.card, At: at(tp.at)}); err != nil || ev.Zone == "" {
			t.Fatalf("tap %v: %v %+v", tp, err, ev)
		}
	}
	// Gus was last seen in a zone the site has removed since.
	if err := db.Update(func(tx core.Tx) error {
		return tx.PutPresence(core.Presence{Person: "gus", Zone: "old-annex", Since: at("2026-11-24T07:00")})
	}); err != nil {
		t.Fatal(err)
	}
	ina, err := e.Person(cli, "ina")
	if err != nil {
		t.Fatal(err)
	}
	ina.Inactive = true
	if _, err := e.PutPerson(cli, ina); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		person, zone string
		inside       bool
	}{
		{"olga", "office", true},   // a work zone
		{"sam", "server", true},    // not a work zone
		{"lou", "lobby", true},     // not a work zone, by the entrance
		{"dee", "reception", true}, // the desk zone
		{"gus", "old-annex", true}, // a zone the site no longer has
		{"stan", "office", true},   // never checked out: inside, stale
		{"ina", "lobby", true},     // inactive, still in the building
		{"otto", "outside", false}, // the outside zone
		{"nev", "", false},         // never seen
	}
	sheet, err := e.AttendanceSheet(cli, time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Report(cli, core.ReportQuery{Kind: core.ReportMuster})
	if err != nil {
		t.Fatal(err)
	}
	onSheet := map[string]core.SheetEntry{}
	for _, en := range sheet.In {
		onSheet[en.Person] = en
	}
	onMuster := map[string]string{}
	for _, z := range rep.Muster.Zones {
		for _, en := range z.People {
			onMuster[en.Person] = z.Zone
		}
	}
	for _, tt := range tests {
		t.Run(tt.person, func(t *testing.T) {
			_, sheetHas := onSheet[tt.person]
			zone, musterHas := onMuster[tt.person]
			if sheetHas != tt.inside || musterHas != tt.inside {
				t.Fatalf("on the sheet %v, on the muster list %v; want both %v", sheetHas, musterHas, tt.inside)
			}
			if tt.inside && zone != tt.zone {
				t.Errorf("muster zone %q, want %q", zone, tt.zone)
			}
		})
	}
	if len(sheet.In) != rep.Muster.Total {
		t.Errorf("the sheet counts %d in, the muster list %d", len(sheet.In), rep.Muster.Total)
	}
	if got := onSheet["sam"]; got.Zone != "Server room" || !got.Since.Equal(at("2026-11-24T08:10")) || got.Stale {
		t.Errorf("Sam on the sheet: %+v, want the server room, in since 08:10 (the building, not the room)", got)
	}
	if !onSheet["stan"].Stale {
		t.Error("Stan is not marked stale on the sheet: his work day closed without a check-out")
	}
	for _, en := range sheet.Expected {
		if _, in := onSheet[en.Person]; in {
			t.Errorf("%s is both in and expected", en.Person)
		}
	}

	// A department's sheet keeps the same rule.
	ops, err := e.AttendanceSheet(cli, time.Time{}, "ops")
	if err != nil {
		t.Fatal(err)
	}
	var opsIn []string
	for _, en := range ops.In {
		opsIn = append(opsIn, en.Person)
	}
	if want := []string{"dee", "gus", "lou"}; !slices.Equal(opsIn, want) {
		t.Errorf("ops in: got %v, want %v", opsIn, want)
	}

	// The sheet at an earlier instant: at 08:35 Otto was still in, Dee and
	// Ina not yet.
	past, err := e.AttendanceSheet(cli, at("2026-11-24T08:35"), "")
	if err != nil {
		t.Fatal(err)
	}
	var pastIn []string
	for _, en := range past.In {
		pastIn = append(pastIn, en.Person)
	}
	slices.Sort(pastIn)
	if want := []string{"gus", "lou", "olga", "otto", "sam", "stan"}; !slices.Equal(pastIn, want) {
		t.Errorf("in at 08:35: got %v, want %v", pastIn, want)
	}

	// Worked time counts the work zones only: Sam's 49 minutes in the
	// office, not his two hours in the server room.
	ts, err := e.Timesheet(cli, core.TimesheetQuery{From: core.DateOf(now, paris), To: core.DateOf(now, paris), Person: "sam"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ts.People[0].Days[0].Presence; got != 49 {
		t.Errorf("Sam's presence minutes: got %d, want 49 (08:11 to 09:00 in the office)", got)
	}
}
