package httpapi

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"frontdesk/core"
)

// TestPresenceThroughTheService: GET /v1/presence answers what the
// engine does, this site's and a branch's latest list, with its time and
// stale flag, and the same refusals; the muster list of a branch comes
// through the report.
func TestPresenceThroughTheService(t *testing.T) {
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	s.engine.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	lyon := core.SitePresence{Site: "lyon", At: t0.Add(-2 * time.Minute), Total: 1, Zones: []core.MusterZone{{Zone: "lyon", Name: "Lyon floor",
		People: []core.MusterEntry{{Person: "paul", Name: "Paul Durand", Since: t0.Add(-time.Hour)}}}}}
	if err := s.engine.ApplySitePresence("lyon", lyon); err != nil {
		t.Fatal(err)
	}
	cli := dial(t, serve(t, NewServer(s.engine, Options{}), trusted()))
	a := commandLine(t, cli)
	for _, site := range []string{"", "lyon", core.AllSites, "paris", "ly.on"} {
		want, werr := s.engine.Presence(a, site)
		got, gerr := cli.Presence(a, site)
		if d := sameError(gerr, werr); d != "" {
			t.Errorf("site %q: %s", site, d)
		}
		if werr == nil && !reflect.DeepEqual(normalized(got), normalized(want)) {
			t.Errorf("site %q: got %+v, want %+v", site, got, want)
		}
	}
	got, err := cli.Presence(a, "lyon")
	if err != nil || !got[0].Stale || !got[0].At.Equal(lyon.At) || got[0].Zones[0].People[0].Name != "Paul Durand" {
		t.Errorf("lyon through the service: %+v %v", got, err)
	}
	if _, err := cli.Presence(a, "paris"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("paris: %v, want not found", err)
	}
	r, err := cli.Report(a, core.ReportQuery{Kind: core.ReportMuster, Site: "lyon"})
	if err != nil || r.Muster.Site != "lyon" || !r.Muster.Stale || r.Muster.Total != 1 {
		t.Errorf("lyon's muster list through the service: %+v %v", r.Muster, err)
	}
}
