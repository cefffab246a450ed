package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// grantRow is one row of the grants list as shown.
type grantRow struct {
	texts  []string
	state  *widget.Label
	revoke *widget.Button
}

// grantRows returns the rows the grants list has laid out in w, top first.
func grantRows(w fyne.Window) []grantRow {
	var rows []grantRow
	for _, o := range test.LaidOutObjects(w.Content()) {
		c, ok := o.(*fyne.Container)
		if !ok || !c.Visible() {
			continue
		}
		if _, ok := c.Layout.(columnsLayout); !ok {
			continue
		}
		b, ok := c.Objects[len(c.Objects)-1].(*widget.Button)
		if !ok {
			continue // the header
		}
		r := grantRow{revoke: b}
		for _, l := range c.Objects[:len(c.Objects)-1] {
			r.texts = append(r.texts, l.(*widget.Label).Text)
		}
		r.state = c.Objects[6].(*widget.Label)
		rows = append(rows, r)
	}
	return rows
}

func newGrants(t *testing.T, s *session) (*grantsScreen, fyne.Window) {
	t.Helper()
	x := newGrantsScreen(s)
	w := showIn(t, s, x.build())
	return x, w
}

func TestGrantsBossGrantsUses(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	boss := staffSession(t, e, "bob", "bob", core.PermDoorsView, core.PermGrantsEditOwn, core.PermLogsViewOwn)
	x, w := newGrants(t, boss)
	if !slices.Equal(x.door.Options, []string{"Main entrance (main)"}) {
		t.Fatalf("doors offered %v, want only bob's main", x.door.Options)
	}
	if x.door.id() != "main" {
		t.Fatalf("door chosen %q, want main", x.door.id())
	}
	if rows := grantRows(w); len(rows) != 0 || x.empty.Text == "" {
		t.Fatalf("rows %v and no empty message, want none", rows)
	}

	test.Type(x.person, "carl")
	x.kind.SetSelected(grantUses())
	test.Type(x.uses, "0")
	test.Tap(x.grant)
	if p := x.spots.shownText("uses"); p != "Uses: a whole number, 1 or more" {
		t.Errorf("0 uses: problem %q, want one under Uses", p)
	}
	x.uses.SetText("2")
	test.Tap(x.grant)
	gs, err := e.Grants(testCLI, core.GrantQuery{Door: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Person != "carl" || gs[0].Kind != core.GrantOnce || gs[0].Uses != 2 || gs[0].By != "bob" {
		t.Fatalf("grants %+v, want a once grant of 2 uses for carl by bob", gs)
	}
	rows := grantRows(w)
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	if got := rows[0].texts; got[0] != "Carl Visitor (carl)" || got[1] != "number of uses" || got[4] != "2 / 2" || got[5] != "bob" || got[6] != "Active" {
		t.Errorf("row %q, want Carl Visitor (carl), number of uses, 2 / 2 left, by bob, active", got)
	}

	// A tap spends a use; the screen, as a listener, shows one left.
	ev := tap(t, e, "main-in", "em:0C00000003")
	if ev.Result != core.Granted || ev.Grant == "" {
		t.Fatalf("carl's tap: %s (%s), want granted by his grant", ev.Result, ev.Explanation)
	}
	x.addEvents([]core.Event{ev})
	if got := grantRows(w)[0]; got.texts[4] != "1 / 2" || got.texts[6] != "Expires soon" {
		t.Errorf("after a use: row %q, want 1 / 2 and expires soon", got.texts)
	}
}

func TestGrantsExpiresSoonAndRevoke(t *testing.T) {
	test.NewTempApp(t)
	e, c := newAdminEngine(t)
	admin := staffSession(t, e, "admin2", "", core.PermGrantsEditAny, core.PermPeopleView)
	if _, err := e.AddGrant(testCLI, core.Grant{Person: "carl", Door: "lab", Kind: core.GrantTemporary,
		Until: c.now.Add(3 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddGrant(testCLI, core.Grant{Person: "ann", Door: "lab", Kind: core.GrantTemporary,
		Until: c.now.Add(30 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	x, w := newGrants(t, admin)
	if len(x.door.Options) != 2 || x.door.id() != "lab" {
		t.Fatalf("doors %v, chosen %q, want both, lab first", x.door.Options, x.door.id())
	}
	rows := grantRows(w)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	if r := rows[0]; r.texts[0] != "Carl Visitor (carl)" || r.texts[6] != "Expires soon" || r.state.Importance != widget.WarningImportance {
		t.Errorf("carl's row %q (importance %v), want expires soon highlighted", r.texts, r.state.Importance)
	}
	if r := rows[1]; r.texts[6] != "Active" || r.texts[3] != "2026-12-24 09:00" {
		t.Errorf("ann's row %q, want active until 2026-12-24 09:00", r.texts)
	}

	test.Tap(rows[0].revoke)
	if text := dialogText(w); !strings.Contains(text, "Carl Visitor (carl)") {
		t.Errorf("confirmation %q does not name carl", text)
	}
	tapDialog(t, w, "Cancel")
	if gs, _ := e.Grants(testCLI, core.GrantQuery{Door: "lab"}); len(gs) != 2 {
		t.Fatalf("cancelled revoke left %d grants", len(gs))
	}
	test.Tap(rows[0].revoke)
	tapDialog(t, w, "Revoke")
	gs, _ := e.Grants(testCLI, core.GrantQuery{Door: "lab"})
	if len(gs) != 1 || gs[0].Person != "ann" {
		t.Errorf("grants %+v after revoking carl's", gs)
	}
	if rows := grantRows(w); len(rows) != 1 {
		t.Errorf("%d rows after revoking, want 1", len(rows))
	}

	// Until a date: a date alone is through the end of that day.
	x.person.SetText("carl")
	x.kind.SetSelected(grantUntil())
	x.until.SetText("2026-11-30")
	test.Tap(x.grant)
	gs, _ = e.Grants(testCLI, core.GrantQuery{Person: "carl"})
	if len(gs) != 1 || !gs[0].Until.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, paris)) {
		t.Errorf("carl's grants %+v, want until the end of 2026-11-30", gs)
	}
}

func TestGrantStates(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		g    core.Grant
		want string
	}{
		{"permanent", core.Grant{Kind: core.GrantPermanent}, "Active"},
		{"in 3 days", core.Grant{Kind: core.GrantTemporary, Until: now.Add(72 * time.Hour)}, "Expires soon"},
		{"in 8 days", core.Grant{Kind: core.GrantTemporary, Until: now.Add(8 * 24 * time.Hour)}, "Active"},
		{"ended", core.Grant{Kind: core.GrantTemporary, Until: now}, "Expired"},
		{"later", core.Grant{Kind: core.GrantTemporary, From: now.Add(time.Hour), Until: now.Add(30 * 24 * time.Hour)}, "Not yet valid"},
		{"one use left", core.Grant{Kind: core.GrantOnce, Uses: 3, Used: 2}, "Expires soon"},
		{"two uses left", core.Grant{Kind: core.GrantOnce, Uses: 3, Used: 1}, "Active"},
		{"used up", core.Grant{Kind: core.GrantOnce, Uses: 3, Used: 3}, "Used up"},
	}
	for _, tt := range tests {
		if got, _ := grantState(tt.g, now); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGrantsWithoutOwnDoors(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "dana", "ann", core.PermGrantsEditOwn)
	x, _ := newGrants(t, s)
	if len(x.door.Options) != 0 || !x.grant.Disabled() || x.empty.Text == "" {
		t.Errorf("a boss of no door: doors %v, grant enabled %v, message %q", x.door.Options, !x.grant.Disabled(), x.empty.Text)
	}
}
