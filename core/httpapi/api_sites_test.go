package httpapi

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// TestSitesAndSiteEvents: at the central site, the list of sites and a
// branch's or every site's events come through the service as in
// process, site and seq included; an unknown site and a boss's query of
// another site are refused the same way.
func TestSitesAndSiteEvents(t *testing.T) {
	clock := &testClock{t: t0}
	s := newSite(t, clock.now, siteOptions{})
	appendEvents(t, s, 3)
	if err := s.db.SetFederationSite("hq"); err != nil {
		t.Fatal(err)
	}
	lyon := []core.Event{
		{Seq: 1, At: t0.Add(-time.Hour).UTC(), Door: "lyon-main", Person: "ann", Result: core.Granted},
		{Seq: 2, At: t0.Add(90 * time.Second).UTC(), Door: "lyon-main", Person: "ann", Result: core.Granted},
	}
	if err := s.db.PutSiteEvents("lyon", lyon); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s.engine, Options{})
	cli := dial(t, serve(t, srv, trusted()))
	bob, bobActor := login(t, serve(t, srv, stranger()), "bob", bobPassword)
	cliActor := commandLine(t, cli)

	sites, err := cli.Sites(cliActor)
	if got := fmt.Sprint(sites); err != nil || got != "[{hq true} {lyon false}]" {
		t.Errorf("sites: got %s %v", got, err)
	}
	if _, err := bob.Sites(bobActor); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("a boss lists the sites: %v, want forbidden", err)
	}
	seqs := func(evs []core.Event) string {
		var out []string
		for _, e := range evs {
			out = append(out, fmt.Sprintf("%s:%d", e.Site, e.Seq))
		}
		return strings.Join(out, " ")
	}
	for _, tt := range []struct {
		q    core.EventQuery
		want string
	}{
		{core.EventQuery{Site: "lyon"}, "lyon:1 lyon:2"},
		{core.EventQuery{Site: core.AllSites}, "lyon:1 hq:1 hq:2 hq:3 lyon:2"},
		{core.EventQuery{Site: core.AllSites, Reverse: true, Limit: 2}, "lyon:2 hq:3"},
	} {
		t.Run(tt.q.Site, func(t *testing.T) {
			local, err := collectEvents(s.engine, cliActor, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			remote, err := collectEvents(cli, cliActor, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := seqs(remote); got != tt.want || seqs(local) != got {
				t.Errorf("through the service %s, in process %s, want %s", got, seqs(local), tt.want)
			}
		})
	}
	if _, err := collectEvents(cli, cliActor, core.EventQuery{Site: "paris"}); !errors.Is(err, core.ErrNotFound) ||
		!strings.Contains(err.Error(), "the sites known here are hq, lyon") {
		t.Errorf("an unknown site: %v, want not found naming hq and lyon", err)
	}
	if _, err := collectEvents(bob, bobActor, core.EventQuery{Site: "lyon"}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("a boss reads Lyon's events: %v, want forbidden", err)
	}
}
