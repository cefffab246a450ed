package natslink

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
)

// presenceKey is the suffix of a site's key of SitesBucket that holds its
// presence: SITE.presence, a core.SitePresence as JSON.
const presenceKey = ".presence"

// presenceEvery bounds how often a site publishes its presence: a storm
// of taps is one list a second.
const presenceEvery = time.Second

// PresenceSource is the engine's part of a site's presence
// (*core.Engine): who is inside it now.
type PresenceSource interface {
	OwnPresence() (core.SitePresence, error)
}

// PresenceMirror is the central site's engine's part of the branches'
// presence (*core.Engine).
type PresenceMirror interface {
	ApplySitePresence(site string, p core.SitePresence) error
}

// Presence publishes a site's presence under SITE.presence in
// SitesBucket: when someone moved (Notify), at most once every
// presenceEvery, and at least every core.PresenceRefresh even when nobody
// did, so that the central site knows the list is current; a list older
// than core.PresenceFresh there is a site cut off.
type Presence struct {
	site    string
	src     PresenceSource
	log     *slog.Logger
	changed chan struct{}

	mu   sync.Mutex
	sent core.SitePresence // the last list the hub stored
}

// NewPresence returns the publisher of site's presence, read from src.
func NewPresence(site string, src PresenceSource, log *slog.Logger) *Presence {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Presence{site: site, src: src, log: log, changed: make(chan struct{}, 1)}
}

// Notify says someone may have moved: the list is read again within
// presenceEvery. It never blocks (the engine's Subscribe calls it).
func (p *Presence) Notify() {
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

// Sent returns the last list the hub stored.
func (p *Presence) Sent() core.SitePresence {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent
}

// Run publishes until ctx ends. A failure (the hub away) is logged and
// the list sent again presenceEvery later, the latest then.
func (p *Presence) Run(ctx context.Context, js jetstream.JetStream) error {
	refresh := time.NewTimer(0)
	defer refresh.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-p.changed:
		case <-refresh.C:
		}
		if err := p.publish(ctx, js); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			p.log.Warn("presence not published; trying again", "err", err)
			p.Notify()
		}
		refresh.Reset(core.PresenceRefresh)
		sleep(ctx, presenceEvery)
	}
}

// publish sends the list when it changed or the last one sent is
// PresenceRefresh old.
func (p *Presence) publish(ctx context.Context, js jetstream.JetStream) error {
	now, err := p.src.OwnPresence()
	if err != nil {
		return fmt.Errorf("read the presence: %w", err)
	}
	now.Site = p.site
	last := p.Sent()
	if now.Same(last) && now.At.Sub(last.At) < core.PresenceRefresh {
		return nil
	}
	data, err := json.Marshal(now)
	if err != nil {
		return err
	}
	kv, err := js.KeyValue(ctx, SitesBucket)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", SitesBucket, err)
	}
	if _, err := kv.Put(ctx, p.site+presenceKey, data); err != nil {
		return fmt.Errorf("publish %s%s: %w", p.site, presenceKey, err)
	}
	p.mu.Lock()
	p.sent = now
	p.mu.Unlock()
	return nil
}

// FollowPresence runs until ctx ends, at the central site: it keeps the
// latest presence every other site publishes (PresenceMirror); a site's
// bad message is logged and the others are still followed. After an
// outage the watch starts again from each site's latest list.
func FollowPresence(ctx context.Context, js jetstream.JetStream, own string, m PresenceMirror, log *slog.Logger) error {
	return followKeys(ctx, js, SitesBucket, "*"+presenceKey, "the other sites' presence", func(e jetstream.KeyValueEntry) {
		if e.Operation() != jetstream.KeyValuePut {
			return
		}
		site, ok := strings.CutSuffix(e.Key(), presenceKey)
		if !ok || site == own {
			return
		}
		// The key names the site (only it may write it, hub_perms.go),
		// whatever its list says: ApplySitePresence refuses a list of
		// another site under it.
		var p core.SitePresence
		if err := json.Unmarshal(e.Value(), &p); err != nil {
			log.Warn("a site's presence not read", "key", e.Key(), "err", err)
			return
		}
		if err := m.ApplySitePresence(site, p); err != nil {
			log.Warn("a site's presence not kept", "key", e.Key(), "err", err)
		}
	}, log)
}
