package core_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// presenceSites are a central site whose clock the test moves, and a
// branch where Ann came in at 09:00 by the branch's door. The central
// site's file is path.
func presenceSites(t *testing.T) (central, branch *core.Engine, clock *time.Time, db *storage.DB) {
	t.Helper()
	now := at("2026-11-24T09:30:00")
	clock = &now
	central, db = openAt(t, filepath.Join(t.TempDir(), "hq.db"), clock)
	if err := central.Import(cmd, siteFile(t, `{"site": {"name": "HQ", "timezone": "Europe/Paris"}}`)); err != nil {
		t.Fatal(err)
	}
	central.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	branch = newEngine(t, branchSite, now)
	branch.SetFederation(core.Federation{Site: "lyon", Central: "hq"})
	mirror(t, branch, "lyon", central)
	if err := central.Import(cmd, siteFile(t, centralSite)); err != nil {
		t.Fatal(err)
	}
	mirror(t, central, "hq", branch)
	syncDirectory(t, central, branch, 100)
	if ev, err := branch.Tap(core.Tap{Reader: "lyon-in", Code: "em:0102B0A5FD", At: at("2026-11-24T09:00:00")}); err != nil || !ev.Result.Opens() {
		t.Fatalf("Ann at Lyon: %v %v", ev.Result, err)
	}
	return central, branch, clock, db
}

// openAt opens the database at path with an engine whose clock is *clock.
func openAt(t *testing.T, path string, clock *time.Time) (*core.Engine, *storage.DB) {
	t.Helper()
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := core.NewEngine(db, func() time.Time { return *clock }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e, db
}

// inside are the people of p, zone by zone: "lyon:Ann Martin".
func inside(p core.SitePresence) string {
	var out []string
	for _, z := range p.Zones {
		for _, e := range z.People {
			out = append(out, z.Zone+":"+e.Name)
		}
	}
	return strings.Join(out, ",")
}

// TestBranchPresenceAtTheCentralSite: the central site keeps a branch's
// latest presence, with its time, says when it is stale, keeps the
// latest whatever the order, and refuses what is not a presence of
// another site without changing anything.
func TestBranchPresenceAtTheCentralSite(t *testing.T) {
	central, branch, clock, _ := presenceSites(t)
	p, err := branch.OwnPresence()
	if err != nil {
		t.Fatal(err)
	}
	if p.Site != "lyon" || inside(p) != "lyon:Ann Martin" || p.Total != 1 || !p.At.Equal(at("2026-11-24T09:30:00")) {
		t.Fatalf("the branch's presence: %+v", p)
	}
	if _, err := central.Presence(cmd, "lyon"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("before any: %v, want not found", err)
	}
	if err := central.ApplySitePresence("lyon", p); err != nil {
		t.Fatal(err)
	}
	*clock = clock.Add(time.Minute)
	got, err := central.Presence(cmd, "lyon")
	if err != nil || len(got) != 1 || inside(got[0]) != "lyon:Ann Martin" || got[0].Stale || !got[0].At.Equal(p.At) {
		t.Fatalf("a minute later: %+v %v, want Ann, not stale", got, err)
	}
	*clock = clock.Add(time.Second)
	if got, _ := central.Presence(cmd, "lyon"); !got[0].Stale {
		t.Errorf("a minute and a second later: not stale")
	}

	// An older list arriving late changes nothing; a newer one wins.
	older := core.SitePresence{Site: "lyon", At: p.At.Add(-time.Hour), Zones: []core.MusterZone{}}
	if err := central.ApplySitePresence("lyon", older); err != nil {
		t.Fatal(err)
	}
	if got, _ := central.Presence(cmd, "lyon"); inside(got[0]) != "lyon:Ann Martin" {
		t.Errorf("after an older list: %q, want Ann still", inside(got[0]))
	}
	newer := core.SitePresence{Site: "lyon", At: clock.Add(-10 * time.Second), Zones: []core.MusterZone{}}
	if err := central.ApplySitePresence("lyon", newer); err != nil {
		t.Fatal(err)
	}
	if got, _ := central.Presence(cmd, "lyon"); inside(got[0]) != "" || got[0].Stale {
		t.Errorf("after a newer, empty list: %+v, want nobody, fresh", got[0])
	}

	for _, c := range []struct {
		name string
		site string
		p    core.SitePresence
	}{
		{"bad id", "ly.on", core.SitePresence{Site: "ly.on", At: *clock}},
		{"all", "all", core.SitePresence{Site: "all", At: *clock}},
		{"this site", "hq", core.SitePresence{Site: "hq", At: *clock}},
		{"another site's list", "lyon", core.SitePresence{Site: "nice", At: *clock}},
		{"no time", "lyon", core.SitePresence{Site: "lyon"}},
		{"a wrong count", "lyon", core.SitePresence{Site: "lyon", At: *clock, Total: 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := central.ApplySitePresence(c.site, c.p); !errors.Is(err, core.ErrInvalid) {
				t.Errorf("got %v, want invalid", err)
			}
			if got, _ := central.Presence(cmd, "lyon"); !got[0].At.Equal(newer.At) {
				t.Errorf("the list kept is of %v, want %v", got[0].At, newer.At)
			}
		})
	}
}

// TestPresenceOfEverySite: "all" is this site's, now, then each
// branch's; the list survives a restart; the muster list of a branch is
// its latest, stale when old, and needs what the local one needs.
func TestPresenceOfEverySite(t *testing.T) {
	central, branch, clock, db := presenceSites(t)
	p, err := branch.OwnPresence()
	if err != nil {
		t.Fatal(err)
	}
	if err := central.ApplySitePresence("lyon", p); err != nil {
		t.Fatal(err)
	}
	all, err := central.Presence(cmd, core.AllSites)
	if err != nil || len(all) != 2 || all[0].Site != "hq" || all[1].Site != "lyon" || inside(all[1]) != "lyon:Ann Martin" {
		t.Fatalf("all: %+v %v", all, err)
	}
	if own, err := central.Presence(cmd, ""); err != nil || len(own) != 1 || own[0].Site != "hq" || !own[0].At.Equal(*clock) {
		t.Errorf("this site's: %+v %v", own, err)
	}

	*clock = clock.Add(5 * time.Minute)
	r, err := central.Report(cmd, core.ReportQuery{Kind: core.ReportMuster, Site: "lyon"})
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Muster; m.Site != "lyon" || !m.Stale || m.Total != 1 || !m.At.Equal(p.At) || !strings.Contains(r.Filter, "site lyon") {
		t.Errorf("lyon's muster list: %+v, filter %q", m, r.Filter)
	}
	if _, err := central.Report(cmd, core.ReportQuery{Kind: core.ReportMuster, Site: core.AllSites}); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("the muster list of all sites: %v, want invalid", err)
	}
	if _, err := central.Report(cmd, core.ReportQuery{Kind: core.ReportMuster, Site: "nice"}); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("a site never heard of: %v, want not found", err)
	}
	nobody := staffAccount(t, central, "nobody", "", core.PermLogsViewAny)
	if _, err := central.Presence(nobody, "lyon"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("without attendance.view: %v, want forbidden", err)
	}
	viewer := staffAccount(t, central, "viewer", "", core.PermAttendanceView)
	if _, err := central.Report(viewer, core.ReportQuery{Kind: core.ReportMuster, Site: "lyon"}); err != nil {
		t.Errorf("with attendance.view: %v", err)
	}

	// After a restart, the last list known, with its time.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, _ := openAt(t, db.Path(), clock)
	got, err := again.Presence(cmd, "lyon")
	if err != nil || inside(got[0]) != "lyon:Ann Martin" || !got[0].At.Equal(p.At) || !got[0].Stale {
		t.Errorf("after a restart: %+v %v", got, err)
	}
}
