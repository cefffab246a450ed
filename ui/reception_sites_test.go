package ui

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// TestReceptionSitePicker: at the central site of a company the
// reception's lists show this site's people or a branch's latest list,
// with its time, loudly when it is stale, and the muster button prints
// the list shown; a site alone has no picker.
func TestReceptionSitePicker(t *testing.T) {
	test.NewTempApp(t)
	central := strings.Replace(receptionSite, `"desk_zone": "lobby"}`,
		`"desk_zone": "lobby", "federation": {"hub": "tls://127.0.0.1:1", "site_id": "hq", "central": true, "creds": "/nonexistent/hq.creds"}}`, 1)
	e, c := siteEngine(t, central, time.Date(2026, 11, 24, 9, 30, 0, 0, paris))
	tap(t, e, "main-in", "em:0102B0A5FD") // Ann, here
	for _, p := range []core.SitePresence{
		{Site: "lyon", At: c.read().Add(-10 * time.Second), Total: 1, Zones: []core.MusterZone{{Zone: "lyon", Name: "Lyon floor",
			People: []core.MusterEntry{{Person: "paul", Name: "Paul Durand", Since: c.read().Add(-time.Hour)}}}}},
		{Site: "nice", At: c.read().Add(-5 * time.Minute), Total: 1, Zones: []core.MusterZone{{Zone: "nice", Name: "Nice shop",
			People: []core.MusterEntry{{Person: "bob", Name: "Bob Petit", Since: c.read().Add(-2 * time.Hour)}}}}},
	} {
		if err := e.ApplySitePresence(p.Site, p); err != nil {
			t.Fatal(err)
		}
	}
	desk := staffAccount(t, e, "desk", "", receptionistPerms...)
	r, w, ui := newReception(t, e, desk)
	if r.sites.pick == nil {
		t.Fatal("no site picker at the central site")
	}
	ui.until(t, "the branches in the picker", func() bool { return len(r.sites.pick.Options) == 3 })
	if got := r.sites.pick.Options; !slices.Equal(got, []string{"This site (hq)", "lyon", "nice"}) {
		t.Errorf("picker: got %v", got)
	}
	if got := inNames(r); !slices.Equal(got, []string{"Ann Martin"}) || r.sites.asOf.Visible() {
		t.Errorf("this site: got %v, as-of shown %v; want Ann, no as-of line", got, r.sites.asOf.Visible())
	}

	for _, c := range []struct {
		site, name string
		stale      bool
		says       string
	}{
		{"lyon", "Paul Durand", false, "As of 09:29, as site lyon last said."},
		{"nice", "Bob Petit", true, "As of 09:25. Site nice has not been heard from since: it is cut off, and this list may be stale."},
	} {
		r.sites.pick.SetSelected(c.site)
		ui.until(t, c.site+"'s people", func() bool { return slices.Equal(inNames(r), []string{c.name}) })
		l := r.sites.asOf
		if !l.Visible() || l.Text != c.says || (l.Importance == widget.DangerImportance) != c.stale {
			t.Errorf("%s: as-of line %q (shown %v, importance %v), want %q, loud %v", c.site, l.Text, l.Visible(), l.Importance, c.says, c.stale)
		}
		if len(r.expShown) != 0 || r.expEmpty.Text != "Who is expected is shown for this site only." {
			t.Errorf("%s: expected %v, %q", c.site, expectedNames(r), r.expEmpty.Text)
		}
	}
	if rows := shownSheetRows(w); !slices.Contains(rows, "Bob Petit|07:30|Nice shop|") {
		t.Errorf("rows shown: %v", rows)
	}

	// The muster button prints the branch's list shown.
	test.Tap(r.muster)
	ui.until(t, "the muster list", func() bool { return r.musterPath != "" })
	if !strings.Contains(r.musterPath, "muster-nice-") || !strings.Contains(r.musterShown, "1 person inside") {
		t.Errorf("muster of nice: %q, %q", r.musterPath, r.musterShown)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", r.musterPath, "-").Output()
		if err != nil || !strings.Contains(string(text), "Bob Petit") || !strings.Contains(string(text), "WARNING: site nice") {
			t.Errorf("the muster list of nice: %v\n%s", err, text)
		}
	}

	r.sites.pick.SetSelected("This site (hq)")
	ui.until(t, "this site's people again", func() bool { return slices.Equal(inNames(r), []string{"Ann Martin"}) })
	if r.sites.asOf.Visible() {
		t.Error("the as-of line stays for this site")
	}

	// A site alone: no picker.
	alone, _ := receptionEngine(t)
	r2, _, _ := newReception(t, alone, staffAccount(t, alone, "desk", "", receptionistPerms...))
	if r2.sites.pick != nil {
		t.Error("a picker at a site alone")
	}
}
