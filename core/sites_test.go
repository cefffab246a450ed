package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// centralWithBranches is the central site hq with one tap of its own at
// 10:00 and the events Lyon (three, at 08:00, 10:00 and 12:00) and Nice
// (one, at 09:00) sent up.
func centralWithBranches(t *testing.T) *core.Engine {
	t.Helper()
	db := storagetest.MustOpen(t)
	central, err := core.NewEngine(db, func() time.Time { return at("2026-11-25T12:00:00") }, nil)
	if err != nil {
		t.Fatal(err)
	}
	central.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	if err := db.SetFederationSite("hq"); err != nil {
		t.Fatal(err)
	}
	if err := central.Import(cmd, siteFile(t, `{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "devices": [{"id": "hq-in", "kind": "sim", "door": "hq-main", "direction": "in"}],
  "people": [{"id": "ann", "name": "Ann", "master": true, "started": "2026-01-01", "cards": ["em:0102B0A5FD"]}]}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := central.Tap(core.Tap{Reader: "hq-in", Code: "em:0102B0A5FD", At: at("2026-11-24T10:00:00")}); err != nil {
		t.Fatal(err)
	}
	lyon := []core.Event{
		{Seq: 1, At: at("2026-11-24T08:00:00"), Door: "lyon-main", Person: "ann", Zone: "lyon", Result: core.Granted},
		{Seq: 2, At: at("2026-11-24T10:00:00"), Door: "lyon-main", Person: "ann", Zone: "outside", Result: core.Granted},
		{Seq: 3, At: at("2026-11-24T12:00:00"), Door: "lyon-main", Result: core.DeniedUnknownCard},
	}
	if err := db.PutSiteEvents("lyon", lyon); err != nil {
		t.Fatal(err)
	}
	nice := []core.Event{{Seq: 1, At: at("2026-11-24T09:00:00"), Door: "nice-main", Person: "ann", Result: core.Granted}}
	if err := db.PutSiteEvents("nice", nice); err != nil {
		t.Fatal(err)
	}
	return central
}

// siteSeqs lists the events q selects as site:seq.
func siteSeqs(e *core.Engine, a core.Actor, q core.EventQuery) (string, error) {
	var got []string
	err := e.Events(a, q, func(ev core.Event) error {
		got = append(got, fmt.Sprintf("%s:%d", ev.Site, ev.Seq))
		return nil
	})
	return strings.Join(got, " "), err
}

// TestEventsBySite: at the central site the log reads another site's
// events, or every site's merged in time order, with their site and seq;
// a bad or unknown site is refused naming those known.
func TestEventsBySite(t *testing.T) {
	central := centralWithBranches(t)
	manager := roleActor(t, central, "mia", core.RoleManager)
	tests := []struct {
		name string
		q    core.EventQuery
		want string
		err  error
	}{
		{"this site", core.EventQuery{}, "hq:1", nil},
		{"this site by id", core.EventQuery{Site: "hq"}, "hq:1", nil},
		{"a branch", core.EventQuery{Site: "lyon"}, "lyon:1 lyon:2 lyon:3", nil},
		{"a branch, newest first", core.EventQuery{Site: "lyon", Reverse: true, Limit: 2}, "lyon:3 lyon:2", nil},
		{"a branch, a person", core.EventQuery{Site: "lyon", Person: "ann"}, "lyon:1 lyon:2", nil},
		{"all", core.EventQuery{Site: core.AllSites}, "lyon:1 nice:1 hq:1 lyon:2 lyon:3", nil},
		{"all, latest 2", core.EventQuery{Site: core.AllSites, Reverse: true, Limit: 2}, "lyon:3 lyon:2", nil},
		{"all, a time range", core.EventQuery{Site: core.AllSites, From: at("2026-11-24T09:00:00"), To: at("2026-11-24T11:00:00")},
			"nice:1 hq:1 lyon:2", nil},
		{"all, a door", core.EventQuery{Site: core.AllSites, Door: "hq-main"}, "hq:1", nil},
		{"unknown", core.EventQuery{Site: "paris"}, "", core.ErrNotFound},
		{"malformed", core.EventQuery{Site: "ly.on"}, "", core.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := siteSeqs(central, manager, tt.q)
			if !errors.Is(err, tt.err) || err == nil && tt.err != nil {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// A walk the caller stops reads no further, whichever site it is at.
	stop := errors.New("enough")
	for _, n := range []int{1, 2, 3, 4} {
		var got []string
		err := central.Events(manager, core.EventQuery{Site: core.AllSites}, func(ev core.Event) error {
			if len(got) == n {
				return stop
			}
			got = append(got, fmt.Sprintf("%s:%d", ev.Site, ev.Seq))
			return nil
		})
		if want := strings.Join(strings.Fields("lyon:1 nice:1 hq:1 lyon:2 lyon:3")[:n], " "); !errors.Is(err, stop) || strings.Join(got, " ") != want {
			t.Errorf("stopped after %d: got %v %v, want %s and the caller's error", n, got, err, want)
		}
	}
	_, err := siteSeqs(central, manager, core.EventQuery{Site: "paris"})
	if want := `no site "paris": the sites known here are hq, lyon, nice`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want it to say %s", err, want)
	}
}

// TestSites: the central site lists itself first, then the sites whose
// events it holds; a site alone lists itself; a boss, who sees only the
// log of their doors, may neither list the sites nor read another's log,
// and a receptionist reads the log of every site but prints no report.
func TestSites(t *testing.T) {
	central := centralWithBranches(t)
	manager := roleActor(t, central, "mia", core.RoleManager)
	sites, err := central.Sites(manager)
	if got := fmt.Sprint(sites); err != nil || got != "[{hq true} {lyon false} {nice false}]" {
		t.Errorf("central: got %s %v", got, err)
	}
	alone := newEngine(t, branchSite, at("2026-11-25T12:00:00"))
	if sites, err := alone.Sites(cmd); err != nil || len(sites) != 1 || !sites[0].Own || sites[0].ID != "" {
		t.Errorf("alone: got %v %v, want this site alone", sites, err)
	}

	boss := staffAccount(t, central, "bob", "ann", core.PermLogsViewOwn, core.PermDoorsView)
	if _, err := central.Sites(boss); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("boss lists the sites: %v, want forbidden", err)
	}
	for _, site := range []string{"lyon", core.AllSites} {
		if _, err := siteSeqs(central, boss, core.EventQuery{Site: site}); !errors.Is(err, core.ErrForbidden) {
			t.Errorf("boss reads site %s: %v, want forbidden", site, err)
		}
	}
	if _, err := siteSeqs(central, boss, core.EventQuery{Site: "hq"}); err != nil {
		t.Errorf("boss reads this site's log by its id: %v", err)
	}

	desk := roleActor(t, central, "rita", core.RoleReceptionist)
	if got, err := siteSeqs(central, desk, core.EventQuery{Site: "nice"}); err != nil || got != "nice:1" {
		t.Errorf("receptionist reads Nice: %q %v", got, err)
	}
	day, _ := core.ParseDate("2026-11-24")
	if _, err := central.Report(desk, core.ReportQuery{Kind: core.ReportTimesheet, From: day, To: day, Site: "lyon"}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("receptionist prints Lyon's timesheet: %v, want forbidden", err)
	}
}
