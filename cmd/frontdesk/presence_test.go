package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// centralWithBranches is the database of a central site hq that holds the
// presence lyon sent a moment ago (Ann inside) and the one nice sent five
// minutes ago (nobody since: cut off).
func centralWithBranches(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "hq.db")
	mustCLI(t, db, "import", writeFile(t, "hq.json", `{"site": {"name": "HQ", "timezone": "Europe/Paris",
  "federation": {"hub": "tls://127.0.0.1:1", "site_id": "hq", "central": true, "creds": "/nonexistent/hq.creds"}},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}]}`))
	s, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e, err := core.NewEngine(s, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	ann := core.MusterEntry{Person: "ann", Name: "Ann Martin", Department: "Sales", Since: now.Add(-time.Hour)}
	for _, p := range []core.SitePresence{
		{Site: "lyon", At: now, Total: 1, Zones: []core.MusterZone{{Zone: "lyon", Name: "Lyon floor", Work: true, People: []core.MusterEntry{ann}}}},
		{Site: "nice", At: now.Add(-5 * time.Minute), Total: 1, Zones: []core.MusterZone{{Zone: "nice", Name: "Nice shop", People: []core.MusterEntry{{Person: "bob", Name: "Bob Petit", Since: now.Add(-2 * time.Hour)}}}}},
	} {
		if err := e.ApplySitePresence(p.Site, p); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestPresenceOfABranch: at the central site, presence --site shows a
// branch's people with the list's time, and says loudly when the list is
// stale; the muster list of a branch says both on paper; the same through
// the service; bad sites are refused.
func TestPresenceOfABranch(t *testing.T) {
	db := centralWithBranches(t)
	check := func(t *testing.T) {
		out := mustCLI(t, db, "presence", "--site", "lyon")
		if !strings.Contains(out, "lyon, as of ") || !strings.Contains(out, ": 1 person inside") ||
			!strings.Contains(out, "Ann Martin") || !strings.Contains(out, "Lyon floor") || strings.Contains(out, "WARNING") {
			t.Errorf("presence --site lyon:\n%s", out)
		}
		out = mustCLI(t, db, "presence", "--site", "nice")
		if !strings.Contains(out, "Bob Petit") || !strings.Contains(out, "WARNING: site nice has not been heard from for 5 minutes: it is cut off") {
			t.Errorf("presence --site nice:\n%s", out)
		}
		var all []core.SitePresence
		if err := json.Unmarshal([]byte(mustCLI(t, db, "presence", "--site", "all", "--json")), &all); err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].Site != "hq" || all[1].Site != "lyon" || all[1].Stale || all[2].Site != "nice" || !all[2].Stale {
			t.Errorf("presence --site all: %+v", all)
		}
		for _, c := range []struct {
			site string
			code int
			says string
		}{{"ly.on", 1, "bad site id"}, {"paris", 1, "no presence of site paris"}} {
			if code, _, errs := cli(t, db, "presence", "--site", c.site); code != c.code || !strings.Contains(errs, c.says) {
				t.Errorf("presence --site %s: exit %d, %q; want %d, %q", c.site, code, errs, c.code, c.says)
			}
		}
		pdf := filepath.Join(t.TempDir(), "muster.pdf")
		mustCLI(t, db, "report", "muster", "--site", "nice", "--out", pdf)
		text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		for _, want := range []string{"Site nice, as of", "WARNING: site nice has not been heard from since", "Bob Petit", "Nice shop", "the people inside site nice"} {
			if !strings.Contains(text, want) {
				t.Errorf("the muster list of nice lacks %q:\n%s", want, text)
			}
		}
		if code, _, errs := cli(t, db, "report", "muster", "--site", "all", "--out", pdf); code != 1 || !strings.Contains(errs, "one site's") {
			t.Errorf("report muster --site all: exit %d, %q", code, errs)
		}
	}
	t.Run("file", check)
	serve := startServe(t, db)
	waitService(t, db, serve)
	t.Run("service", check)
}
