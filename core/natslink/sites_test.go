package natslink_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/natslink"
)

// doorSites are the sites of e's doors, by door id.
func doorSites(t testing.TB, e *core.Engine) map[string]string {
	t.Helper()
	f, err := e.Export(core.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Doors {
		out[d.ID] = d.Site
	}
	return out
}

// TestSitesKnowEachOthersDoors: each site's doors reach the others,
// read-only there, so that the central site's access levels name a
// branch's door; a door added at a branch follows; a bad message of one
// site stops nothing; each site's status is heard.
func TestSitesKnowEachOthersDoors(t *testing.T) {
	hq := siteEngine(t, `{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}]}`)
	lyon := siteEngine(t, lyonSite)
	hq.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	lyon.SetFederation(core.Federation{Site: "lyon", Central: "hq"})
	hub := startPlainHub(t, t.TempDir(), -1)
	defer hub.stop()
	js := connectPlain(t, hub)
	kv, err := js.KeyValue(context.Background(), natslink.SitesBucket)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(context.Background(), "evil.objects", []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var hqBook, lyonBook natslink.SiteBook
	for _, s := range []struct {
		id   string
		e    *core.Engine
		book *natslink.SiteBook
	}{{"hq", hq, &hqBook}, {"lyon", lyon, &lyonBook}} {
		status := func() natslink.SiteStatus { return natslink.SiteStatus{Central: s.id == "hq"} }
		go natslink.PublishSite(ctx, js, s.id, s.e, status, log)
		go natslink.FollowSites(ctx, js, s.id, s.e, s.book, log)
	}
	eventually(t, 20*time.Second, "each site has the other's door", func() bool {
		return doorSites(t, hq)["lyon-main"] == "lyon" && doorSites(t, lyon)["hq-main"] == "hq"
	})
	importInto(t, hq, `{"access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["hq-main", "lyon-main"]}]}]}`)
	importInto(t, lyon, `{"doors": [{"id": "lyon-back", "name": "Lyon back", "from": "outside", "to": "lyon"}]}`)
	eventually(t, 20*time.Second, "the branch's new door at the central site", func() bool { return doorSites(t, hq)["lyon-back"] == "lyon" })
	eventually(t, 20*time.Second, "each site's status", func() bool {
		return hqBook.Statuses()["lyon"].Site == "lyon" && lyonBook.Statuses()["hq"].Central
	})
	if own, _ := hq.OwnSiteObjects(); !slices.ContainsFunc(own, func(z core.Zone) bool { return z.ID == "hq" }) ||
		slices.ContainsFunc(own, func(z core.Zone) bool { return z.ID == "lyon" }) {
		t.Errorf("hq's own zones: %v, want hq's and not lyon's", own)
	}
}
