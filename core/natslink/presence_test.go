package natslink_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/natslink"
)

// branchInside is who the central site holds as inside the branch lyon,
// "" when it holds no list.
func branchInside(t testing.TB, hq *core.Engine) (names string, at time.Time) {
	t.Helper()
	ps, err := hq.Presence(core.CommandLine("test"), "lyon")
	if err != nil {
		return "", time.Time{}
	}
	for _, z := range ps[0].Zones {
		for _, e := range z.People {
			names += z.Zone + ":" + e.Person + " "
		}
	}
	return names, ps[0].At
}

// TestBranchPresenceReachesTheCentralSite: a branch's tap is in the
// central site's copy of its presence within a second; with the hub down
// the branch moves on, and once the hub is back the central site has the
// branch's latest list, not one from before.
func TestBranchPresenceReachesTheCentralSite(t *testing.T) {
	hq, lyon := company(t)
	dir := t.TempDir()
	hub := startPlainHub(t, dir, -1)
	js := connectPlain(t, hub)
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go natslink.PublishDirectory(ctx, js, hq, log)
	go natslink.FollowDirectory(ctx, js, lyon, log)
	eventually(t, 20*time.Second, "Ann's card at the branch", func() bool { return tapAt(t, lyon, "em:0102B0A5FD") == core.Granted })

	pub := natslink.NewPresence("lyon", lyon, log)
	stop := lyon.Subscribe(func(ev core.Event) {
		if ev.Zone != "" {
			pub.Notify()
		}
	})
	defer stop()
	go pub.Run(ctx, js)
	go natslink.FollowPresence(ctx, js, "hq", hq, log)
	eventually(t, 20*time.Second, "the branch's first list at the central site", func() bool {
		names, _ := branchInside(t, hq)
		return names == "lyon:ann "
	})

	// Paul and Zoe get cards; Paul comes in: at the central site within
	// a second.
	cmd := core.CommandLine("test")
	for _, p := range []struct{ id, card string }{{"paul", "em:0A0000AA01"}, {"zoe", "em:0A0000AA02"}} {
		if _, err := hq.AddPerson(cmd, core.Person{ID: p.id, Name: p.id, Department: "sales"}); err != nil {
			t.Fatal(err)
		}
		if _, err := hq.EnrollCard(cmd, p.id, p.card); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 20*time.Second, "Zoe's card at the branch", func() bool {
		_, err := lyon.Person(cmd, "zoe")
		return err == nil
	})
	time.Sleep(1100 * time.Millisecond) // past the one list a second
	if r := tapAt(t, lyon, "em:0A0000AA01"); r != core.Granted {
		t.Fatalf("Paul: %s", r)
	}
	start := time.Now()
	eventually(t, 20*time.Second, "Paul at the central site", func() bool {
		names, _ := branchInside(t, hq)
		return names == "lyon:ann lyon:paul "
	})
	if d := time.Since(start); d > time.Second {
		t.Errorf("Paul reached the central site's list in %v, want within 1s", d)
	}

	// The hub down: Zoe comes in; the list waits for the hub, and the
	// central site still has the one before, with its time.
	hub.stop()
	_, before := branchInside(t, hq)
	if r := tapAt(t, lyon, "em:0A0000AA02"); r != core.Granted {
		t.Fatalf("Zoe with the hub down: %s", r)
	}
	time.Sleep(1500 * time.Millisecond)
	if names, at := branchInside(t, hq); names != "lyon:ann lyon:paul " || !at.Equal(before) {
		t.Errorf("with the hub down: %q of %v, want the list before", names, at)
	}
	hub = startPlainHub(t, dir, hub.port)
	defer hub.stop()
	eventually(t, 20*time.Second, "the latest list after the outage", func() bool {
		names, at := branchInside(t, hq)
		return names == "lyon:ann lyon:paul lyon:zoe " && at.After(before)
	})
	if got := pub.Sent(); got.Total != 3 {
		t.Errorf("the list the hub stored last: %d people, want 3", got.Total)
	}
}
