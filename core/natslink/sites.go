package natslink

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
)

// SiteMirror is the engine's part of what the sites tell each other of
// themselves (*core.Engine).
type SiteMirror interface {
	OwnSiteObjects() ([]core.Zone, []core.Door, []core.Device)
	ApplySiteObjects(site string, zones []core.Zone, doors []core.Door, devices ...core.Device) ([]string, error)
	// LearnCentral notes the central site's id at a branch.
	LearnCentral(id string) error
}

// SiteObjects is what a site publishes of itself under SITE.objects in
// SitesBucket: its own zones, doors and devices (each its
// core.Device.SiteCopy: no port or serial number leaves the site).
type SiteObjects struct {
	Zones   []core.Zone   `json:"zones"`
	Doors   []core.Door   `json:"doors"`
	Devices []core.Device `json:"devices"`
}

// SiteStatus is what a site says of its link under SITE.status in
// SitesBucket, every statusEvery: `frontdesk sites` shows it.
type SiteStatus struct {
	Site    string    `json:"site"`
	Central bool      `json:"central,omitempty"`
	At      time.Time `json:"at"`
	// EventsLast is the last event of the site's log, EventsSent the last
	// the hub acknowledged (a branch's).
	EventsLast uint64 `json:"events_last"`
	EventsSent uint64 `json:"events_sent"`
	// DirectoryApplied is the revision of DirectoryBucket the branch has
	// applied, DirectoryPublished the last audit entry the central site
	// published.
	DirectoryApplied   uint64 `json:"directory_applied,omitempty"`
	DirectoryPublished uint64 `json:"directory_published,omitempty"`
	// Clashes are the doors and devices of other sites left out here,
	// each as SITE/KIND/ID ("lyon/doors/main"): their ids are this site's,
	// or a third one's, already.
	Clashes []string `json:"clashes,omitempty"`
}

const (
	objectsKey  = ".objects"
	statusKey   = ".status"
	statusEvery = 5 * time.Second
	objectsPoll = time.Second
)

// PublishSite runs until ctx ends: it writes the site's own zones, doors
// and devices under SITE.objects whenever they change, and status() under
// SITE.status every statusEvery.
func PublishSite(ctx context.Context, js jetstream.JetStream, site string, s SiteMirror, status func() SiteStatus, log *slog.Logger) error {
	var last []byte
	var lastStatus time.Time
	for ctx.Err() == nil {
		err := func() error {
			kv, err := js.KeyValue(ctx, SitesBucket)
			if err != nil {
				return fmt.Errorf("bucket %s: %w", SitesBucket, err)
			}
			zones, doors, devices := s.OwnSiteObjects()
			data, err := json.Marshal(SiteObjects{Zones: nonNil(zones), Doors: nonNil(doors), Devices: nonNil(devices)})
			if err != nil {
				return err
			}
			if !bytes.Equal(data, last) {
				if _, err := kv.Put(ctx, site+objectsKey, data); err != nil {
					return fmt.Errorf("publish %s%s: %w", site, objectsKey, err)
				}
				last = data
			}
			if time.Since(lastStatus) >= statusEvery {
				st := status()
				st.Site, st.At = site, time.Now().UTC()
				b, err := json.Marshal(st)
				if err != nil {
					return err
				}
				if _, err := kv.Put(ctx, site+statusKey, b); err != nil {
					return fmt.Errorf("publish %s%s: %w", site, statusKey, err)
				}
				lastStatus = time.Now()
			}
			return nil
		}()
		if err != nil && ctx.Err() == nil {
			log.Warn("site not published; trying again", "err", err)
		}
		sleep(ctx, objectsPoll)
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SiteBook is what a site knows of the others: their last status, and
// the doors and devices of theirs left out here.
type SiteBook struct {
	mu       sync.Mutex
	statuses map[string]SiteStatus
	clashes  map[string][]string
}

// Statuses returns the last status of each site heard of, by site id.
func (b *SiteBook) Statuses() map[string]SiteStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]SiteStatus, len(b.statuses))
	for k, v := range b.statuses {
		out[k] = v
	}
	return out
}

// Clashes returns the doors and devices of other sites left out here, as
// SITE/KIND/ID, by site.
func (b *SiteBook) Clashes() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for site, ids := range b.clashes {
		for _, id := range ids {
			out = append(out, site+"/"+id)
		}
	}
	slices.Sort(out)
	return out
}

func (b *SiteBook) note(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.statuses == nil {
		b.statuses, b.clashes = map[string]SiteStatus{}, map[string][]string{}
	}
	f()
}

// FollowSites runs until ctx ends: it mirrors the zones, doors and
// devices every other site publishes (SiteMirror.ApplySiteObjects), and notes their status
// in book. A hub that comes back is watched again at once.
func FollowSites(ctx context.Context, js jetstream.JetStream, own string, s SiteMirror, book *SiteBook, log *slog.Logger) error {
	return followKeys(ctx, js, SitesBucket, ">", "other sites", func(e jetstream.KeyValueEntry) {
		site, what, _ := strings.Cut(e.Key(), ".")
		if site == own {
			return
		}
		gone := e.Operation() != jetstream.KeyValuePut
		switch "." + what {
		case statusKey:
			var st SiteStatus
			if gone || json.Unmarshal(e.Value(), &st) != nil {
				book.note(func() { delete(book.statuses, site) })
				return
			}
			book.note(func() { book.statuses[site] = st })
			if st.Central {
				if err := s.LearnCentral(site); err != nil {
					log.Warn("the central site's id not noted", "site", site, "err", err)
				}
			}
		case objectsKey:
			// A site's bad message is that site's: logged, and the
			// others are still followed.
			var obj SiteObjects
			if !gone {
				if err := json.Unmarshal(e.Value(), &obj); err != nil {
					log.Warn("a site's doors not read", "key", e.Key(), "err", err)
					return
				}
			}
			clashes, err := s.ApplySiteObjects(site, obj.Zones, obj.Doors, obj.Devices...)
			if err != nil {
				log.Warn("a site's doors not mirrored", "key", e.Key(), "err", err)
				return
			}
			if len(clashes) > 0 {
				log.Warn("doors or devices of another site left out: their ids are taken here", "site", site, "left_out", clashes)
			}
			book.note(func() { book.clashes[site] = clashes })
		}
	}, log)
}
