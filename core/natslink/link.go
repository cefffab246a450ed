package natslink

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
)

// Store is what a site's link keeps in its database beside the engine's
// objects (storage.DB): its event log as the outbox reads it, and, at the
// central site, the other sites' events.
type Store interface {
	EventLog
	SiteEventStore
	// LastSeq is the last event of the site's own log.
	LastSeq() (uint64, error)
}

// Link is a site's place in its company (docs/federation.md), run by the
// service that holds the site's database: the central site publishes the
// directory and stores the branches' events; a branch follows the
// directory and sends its events up; every site publishes its doors,
// status and presence and mirrors the others' doors; the central site
// keeps each branch's latest presence. Nothing of it is on the tap path: with
// the hub away each site decides alone, and the link catches up after.
type Link struct {
	// Hub is the hub's address, Creds the site's credentials.
	Hub   string
	Creds Creds
	// Engine is the site's engine, Store its database.
	Engine *core.Engine
	Store  Store
	Log    *slog.Logger

	// Book is what the link heard of the other sites.
	Book SiteBook

	mu        sync.Mutex
	connected bool
	since     time.Time
	outbox    *Outbox
}

// setConnected notes the link's state, and reports it as the health of
// core.HubDevice: the window's device strip shows it.
func (l *Link) setConnected(up bool, why error) {
	l.mu.Lock()
	changed := l.connected != up || l.since.IsZero()
	if changed {
		l.connected, l.since = up, time.Now().UTC()
	}
	h := core.DeviceHealth{Device: core.HubDevice, Kind: "hub", Connected: up, Since: l.since}
	l.mu.Unlock()
	if why != nil {
		h.LastError, h.ErrorAt = why.Error(), time.Now().UTC()
	}
	if changed || why != nil {
		l.Engine.ReportHealth(h)
	}
}

// Run joins the hub and runs the site's part until ctx ends. Its error
// is for a link that cannot run: credentials that are not the site's or
// that the hub refuses, a site id its events were sent up as another.
// The hub being away is waited out.
func (l *Link) Run(ctx context.Context) error {
	if l.Log == nil {
		l.Log = slog.New(slog.DiscardHandler)
	}
	f := l.Engine.Federation()
	if f.Site == "" {
		return fmt.Errorf("%w: the site has no id among its company's sites", core.ErrInvalid)
	}
	if l.Creds.Site != f.Site || l.Creds.Central != f.IsCentral {
		return fmt.Errorf("%w: the credentials are site %s's (central %v), and this is site %s (central %v)",
			core.ErrInvalid, l.Creds.Site, l.Creds.Central, f.Site, f.IsCentral)
	}
	l.setConnected(false, nil)
	nc, err := Dial(ctx, l.Hub, l.Creds,
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { l.setConnected(false, err); l.Log.Warn("hub: disconnected", "err", err) }),
		nats.ReconnectHandler(func(*nats.Conn) { l.setConnected(true, nil); l.Log.Info("hub: connected again") }))
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		l.setConnected(false, err)
		return err
	}
	defer func() {
		nc.Close()
		l.setConnected(false, nil)
	}()
	l.setConnected(true, nil)
	l.Log.Info("hub: connected", "hub", l.Hub, "site", f.Site, "central", f.IsCentral)
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// On the way out every part stops first, then Run returns.
	defer func() {
		cancel()
		wg.Wait()
	}()
	errs := make(chan error, 4)
	run := func(fn func() error) {
		wg.Go(func() {
			if err := fn(); err != nil {
				errs <- err
			}
		})
	}
	run(func() error { return PublishSite(ctx, js, f.Site, l.Engine, l.status, l.Log) })
	run(func() error { return FollowSites(ctx, js, f.Site, l.Engine, &l.Book, l.Log) })
	presence := NewPresence(f.Site, l.Engine, l.Log)
	stopPresence := l.Engine.Subscribe(func(ev core.Event) {
		if ev.Zone != "" {
			presence.Notify()
		}
	})
	defer stopPresence()
	run(func() error { return presence.Run(ctx, js) })
	if f.IsCentral {
		// Its own events read with its id (a branch's outbox records it).
		if err := l.Store.SetFederationSite(f.Site); err != nil {
			return err
		}
		in, err := NewIngest(nc, f.Site, l.Store, IngestOptions{Logger: l.Log})
		if err != nil {
			return err
		}
		run(func() error { return PublishDirectory(ctx, js, l.Engine, l.Log) })
		run(func() error { return FollowPresence(ctx, js, f.Site, l.Engine, l.Log) })
		run(func() error { return in.Run(ctx) })
	} else {
		out, err := NewOutbox(nc, f.Site, l.Store, OutboxOptions{Logger: l.Log})
		if err != nil {
			return err
		}
		l.mu.Lock()
		l.outbox = out
		l.mu.Unlock()
		stop := l.Engine.Subscribe(func(core.Event) { out.Notify() })
		defer stop()
		run(func() error { return FollowDirectory(ctx, js, l.Engine, l.Log) })
		run(func() error { return out.Run(ctx) })
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-errs:
		return err
	}
}

// status is what the site says of itself every few seconds.
func (l *Link) status() SiteStatus {
	f := l.Engine.Federation()
	st := SiteStatus{Central: f.IsCentral, Clashes: l.Book.Clashes()}
	st.EventsLast, _ = l.Store.LastSeq()
	l.mu.Lock()
	out := l.outbox
	l.mu.Unlock()
	switch {
	case out != nil:
		st.EventsSent = out.Acked()
	case f.IsCentral:
		st.EventsSent = st.EventsLast // nothing of the central site's goes up
	}
	if f.IsCentral {
		st.DirectoryPublished, _ = l.Engine.Mark(MarkDirectoryPublished)
	} else {
		st.DirectoryApplied, _ = l.Engine.Mark(MarkDirectoryApplied)
	}
	return st
}
