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
	dir := t.TempDir()
	hub := startPlainHub(t, dir, -1)
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
	// The hub restarts: a door the branch adds then is at the central
	// site within seconds, the watch started again as soon as the
	// connection came back rather than once the client missed the hub's
	// heartbeats (about 17 s).
	hub.stop()
	hub = startPlainHub(t, dir, hub.port)
	defer hub.stop()
	importInto(t, lyon, `{"doors": [{"id": "lyon-side", "name": "Lyon side", "from": "outside", "to": "lyon"}]}`)
	start := time.Now()
	eventually(t, 30*time.Second, "the branch's door added after the hub restarted", func() bool { return doorSites(t, hq)["lyon-side"] == "lyon" })
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("the door added after the hub restarted reached the central site in %v, want within seconds", took)
	}
	if own, _, _ := hq.OwnSiteObjects(); !slices.ContainsFunc(own, func(z core.Zone) bool { return z.ID == "hq" }) ||
		slices.ContainsFunc(own, func(z core.Zone) bool { return z.ID == "lyon" }) {
		t.Errorf("hq's own zones: %v, want hq's and not lyon's", own)
	}
}

// deviceCopies are e's copies of other sites' devices, by id.
func deviceCopies(t testing.TB, e *core.Engine) map[string]core.Device {
	t.Helper()
	f, err := e.Export(core.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]core.Device{}
	for _, d := range f.Devices {
		if d.Site != "" {
			out[d.ID] = d
		}
	}
	return out
}

// TestSitesKnowEachOthersDevices: each site's readers and relays reach
// the others through the hub, with their kind and door but not how they
// are plugged in, and are never among the devices a site runs; a device
// whose id is taken where it arrives is left out and noted, the link
// going on; a device removed at its site goes from the others.
func TestSitesKnowEachOthersDevices(t *testing.T) {
	hq := siteEngine(t, `{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "devices": [{"id": "hq-in", "kind": "serial-rdm6300", "port": "/dev/ttyUSB0", "door": "hq-main", "direction": "in"},
    {"id": "board", "kind": "usb-dcttech-relay", "serial": "HQ123"}]}`)
	lyon := siteEngine(t, `{"site": {"name": "Lyon", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lyon", "name": "Lyon", "work": true}],
  "doors": [{"id": "lyon-main", "name": "Lyon main", "from": "outside", "to": "lyon"}],
  "devices": [{"id": "lyon-in", "kind": "sim", "door": "lyon-main", "direction": "in"},
    {"id": "board", "kind": "usb-dcttech-relay", "serial": "LY999"}]}`)
	hq.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	lyon.SetFederation(core.Federation{Site: "lyon", Central: "hq"})
	hub := startPlainHub(t, t.TempDir(), -1)
	defer hub.stop()
	js := connectPlain(t, hub)
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
	eventually(t, 20*time.Second, "each site has the other's reader", func() bool {
		return deviceCopies(t, hq)["lyon-in"].Site == "lyon" && deviceCopies(t, lyon)["hq-in"].Site == "hq"
	})
	want := core.Device{ID: "hq-in", Kind: "serial-rdm6300", Door: "hq-main", Direction: core.In, Site: "hq"}
	if got := deviceCopies(t, lyon)["hq-in"]; got != want {
		t.Errorf("hq's reader at lyon: got %+v, want %+v (no port)", got, want)
	}
	eventually(t, 20*time.Second, "the relay board of both left out at each, and noted", func() bool {
		return slices.Equal(hqBook.Clashes(), []string{"lyon/devices/board"}) &&
			slices.Equal(lyonBook.Clashes(), []string{"hq/devices/board"})
	})
	for _, s := range []struct {
		e            *core.Engine
		own, another string
	}{{hq, "hq-in", "lyon-in"}, {lyon, "lyon-in", "hq-in"}} {
		var ids []string
		for _, d := range s.e.Devices(core.CommandLine("test")) {
			ids = append(ids, d.ID)
		}
		if !slices.Contains(ids, s.own) || slices.Contains(ids, s.another) {
			t.Errorf("devices run: got %v, want %s and not %s", ids, s.own, s.another)
		}
		if board := deviceCopies(t, s.e)["board"]; board.Site != "" {
			t.Errorf("the site's own board became %+v", board)
		}
	}
	// The link goes on: a reader added at lyon arrives, one removed goes.
	importInto(t, lyon, `{"devices": [{"id": "lyon-out", "kind": "sim", "door": "lyon-main", "direction": "out"}]}`)
	eventually(t, 20*time.Second, "the branch's new reader at the central site", func() bool {
		return deviceCopies(t, hq)["lyon-out"].Direction == core.Out
	})
	if err := lyon.DeleteObject(core.CommandLine("test"), core.KindDevice, "lyon-in"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the branch's removed reader gone from the central site", func() bool {
		_, ok := deviceCopies(t, hq)["lyon-in"]
		return !ok
	})
}
