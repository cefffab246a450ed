package storage

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
)

// The events of other sites, held at the central site of a federation
// (docs/federation.md), and the branch side's bookkeeping of its outbox.
//
//	site_events: site + \x00 + BE uint64 seq → the event's JSON as the
//	             branch stored it (its own seq, prev_hash and hash)
//	site_events_by_person: person + \x00 + time key + site + \x00 + BE
//	             uint64 seq → empty: the events that moved a person at
//	             other sites, for a timesheet across sites (SiteMoves)
//	meta:        federation_site → this site's id in its federation;
//	             outbox_acked → BE uint64, the highest seq of this site's
//	             log below which the hub acknowledged every event
//
// One flat bucket rather than a bucket per site: Open's page walk
// (descent.go) and Verify know the top-level buckets, and a site's events
// are one range of keys all the same.
var (
	bucketSiteEvents         = []byte("site_events")
	bucketSiteEventsByPerson = []byte("site_events_by_person")

	keyFederationSite = []byte("federation_site")
	keyOutboxAcked    = []byte("outbox_acked")
)

// SiteConflictError is PutSiteEvents refusing an event whose content
// differs from the one stored under the same site and sequence: either
// end's file was changed, or two sites use one id. It matches
// core.ErrConflict.
type SiteConflictError struct {
	Site string
	Seq  uint64
}

func (e *SiteConflictError) Error() string {
	return fmt.Sprintf("event %d of site %s differs from the one already stored", e.Seq, e.Site)
}

// Is makes SiteConflictError match core.ErrConflict.
func (e *SiteConflictError) Is(target error) bool { return target == core.ErrConflict }

// checkSiteID refuses what cannot be a site's id (core.CheckSiteID).
func checkSiteID(site string) error { return core.CheckSiteID("site", site) }

// siteKey is the key of site's event seq.
func siteKey(site string, seq uint64) []byte {
	k := make([]byte, 0, len(site)+9)
	k = append(k, site...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// siteEventJSON is the stored form of an event of another site: its JSON
// without the site, which the key holds, so that the bytes are those the
// branch stored.
func siteEventJSON(e core.Event) ([]byte, error) {
	e.Site = ""
	return json.Marshal(e)
}

// PutSiteEvents stores events of site, in one transaction. An event
// already stored with the same content is skipped, so that a resent event
// is stored once; one whose content differs gives a *SiteConflictError
// naming site and seq, and nothing of evs is stored. An event whose Site
// names another site, or whose Seq is 0, is refused (core.ErrInvalid).
func (db *DB) PutSiteEvents(site string, evs []core.Event) error {
	if err := checkSiteID(site); err != nil {
		return err
	}
	values := make([][]byte, len(evs))
	for i, e := range evs {
		if e.Seq == 0 {
			return fmt.Errorf("%w: event of site %s without a seq", core.ErrInvalid, site)
		}
		if e.Site != "" && e.Site != site {
			return fmt.Errorf("%w: event %d of site %s says it is of site %s", core.ErrInvalid, e.Seq, site, e.Site)
		}
		data, err := siteEventJSON(e)
		if err != nil {
			return fmt.Errorf("encode event %d of site %s: %w", e.Seq, site, err)
		}
		values[i] = data
	}
	return db.write(func(btx *bolt.Tx) error {
		b, byPerson := btx.Bucket(bucketSiteEvents), btx.Bucket(bucketSiteEventsByPerson)
		if b == nil || byPerson == nil {
			return damaged("", "bucket %s or %s is missing", bucketSiteEvents, bucketSiteEventsByPerson)
		}
		// Events come in seq order: full pages waste nothing.
		b.FillPercent = appendFill
		for i, e := range evs {
			k := siteKey(site, e.Seq)
			if old := b.Get(k); old != nil {
				if !bytes.Equal(old, values[i]) {
					return &SiteConflictError{Site: site, Seq: e.Seq}
				}
				continue
			}
			if err := b.Put(k, values[i]); err != nil {
				return fmt.Errorf("store event %d of site %s: %w", e.Seq, site, err)
			}
			if e.Person == "" || e.Zone == "" || e.At.Before(minEventTime) || !e.At.Before(maxEventTime) {
				continue // it moved nobody: no part of a timesheet
			}
			pk := append(append([]byte(e.Person+sep), timeKey(e.At)...), k...)
			if err := byPerson.Put(pk, nil); err != nil {
				return fmt.Errorf("index event %d of site %s: %w", e.Seq, site, err)
			}
		}
		return nil
	})
}

// SiteMark is how far the central site holds a site's events.
type SiteMark struct {
	Site string
	// Last is the highest seq stored; Count how many are stored (Last
	// when none is missing).
	Last, Count uint64
}

// SiteMarks lists the sites whose events are stored here, in id order.
func (db *DB) SiteMarks() ([]SiteMark, error) {
	var marks []SiteMark
	err := db.siteView(func(b *bolt.Bucket) error {
		c := b.Cursor()
		for k, _ := c.First(); k != nil; {
			i := bytes.IndexByte(k, 0)
			if i < 0 || len(k) != i+9 {
				k, _ = c.Next() // not a site's key: VerifySite reports it
				continue
			}
			site := string(k[:i])
			m := SiteMark{Site: site}
			prefix := append([]byte(site), 0)
			for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				m.Count++
				m.Last = max(m.Last, binary.BigEndian.Uint64(k[len(prefix):]))
			}
			marks = append(marks, m)
		}
		return nil
	})
	return marks, err
}

// SiteLastSeq returns the highest seq of site's events stored here; 0
// when there are none.
func (db *DB) SiteLastSeq(site string) (uint64, error) {
	if err := checkSiteID(site); err != nil {
		return 0, err
	}
	var last uint64
	err := db.siteView(func(b *bolt.Bucket) error {
		c := b.Cursor()
		k, _ := c.Seek(siteKey(site, math.MaxUint64))
		if k == nil || !bytes.Equal(k, siteKey(site, math.MaxUint64)) {
			k, _ = c.Prev()
		}
		if prefix := append([]byte(site), 0); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8 {
			last = binary.BigEndian.Uint64(k[len(prefix):])
		}
		return nil
	})
	return last, err
}

// SiteEvents calls fn with site's events stored here, in seq order from
// seq from, each with its Site set. An event that cannot be decoded is
// skipped and named at the end, in a *core.UnreadableEvents.
func (db *DB) SiteEvents(site string, from uint64, fn func(core.Event) error) error {
	if err := checkSiteID(site); err != nil {
		return err
	}
	return db.siteView(func(b *bolt.Bucket) error {
		var unreadable core.UnreadableEvents
		if err := eachSiteEvent(b, site, from, &unreadable, fn); err != nil {
			return joinUnreadable(err, &unreadable)
		}
		return unreadable.Err()
	})
}

// eachSiteEvent calls fn with site's events in b (site_events), in seq
// order from seq from, each with its Site set, until fn returns an error,
// which it returns. An event that cannot be decoded is skipped and added
// to unreadable.
func eachSiteEvent(b *bolt.Bucket, site string, from uint64, unreadable *core.UnreadableEvents, fn func(core.Event) error) error {
	prefix := append([]byte(site), 0)
	c := b.Cursor()
	for k, v := c.Seek(siteKey(site, from)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+8 {
			continue
		}
		var e core.Event
		if err := json.Unmarshal(v, &e); err != nil {
			unreadable.Add(binary.BigEndian.Uint64(k[len(prefix):]), shortReason(err))
			continue
		}
		e.Site = site
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// siteView runs fn on the site_events bucket in a read transaction.
func (db *DB) siteView(fn func(*bolt.Bucket) error) error {
	if err := db.quarantine[string(bucketSiteEvents)]; err != nil {
		return fmt.Errorf("other sites' events: %w", err)
	}
	return db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			b := btx.Bucket(bucketSiteEvents)
			if b == nil {
				return damaged("", "bucket %s is missing", bucketSiteEvents)
			}
			return fn(b)
		})
	})
}

// SiteChain is the chain of site's events as stored here, for CheckChain.
func SiteChain(site string) Chain { return Chain("event log of site " + site) }

// site is the site whose events c is, or "" for this site's own chains.
func (c Chain) site() (string, bool) {
	const p = "event log of site "
	if len(c) > len(p) && string(c[:len(p)]) == p {
		return string(c[len(p):]), true
	}
	return "", false
}

// FederationSite returns this site's id in its federation, or "" when it
// has joined none.
func (db *DB) FederationSite() (string, error) {
	var id string
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			id = string(btx.Bucket(bucketMeta).Get(keyFederationSite))
			return nil
		})
	})
	return id, err
}

// SetFederationSite records this site's id in its federation: its own
// events then read with that Site. Once the hub has acknowledged an event
// of this site, the id cannot change (core.ErrConflict): the central site
// files its events under it.
func (db *DB) SetFederationSite(site string) error {
	if err := checkSiteID(site); err != nil {
		return err
	}
	return db.write(func(btx *bolt.Tx) error {
		meta := btx.Bucket(bucketMeta)
		old := string(meta.Get(keyFederationSite))
		if old == site {
			return nil
		}
		if old != "" && len(meta.Get(keyOutboxAcked)) == 8 && binary.BigEndian.Uint64(meta.Get(keyOutboxAcked)) > 0 {
			return fmt.Errorf("%w: this site's events were sent up as site %s, it cannot become %s", core.ErrConflict, old, site)
		}
		if err := meta.Put(keyFederationSite, []byte(site)); err != nil {
			return err
		}
		return meta.Delete(keyOutboxAcked) // a new id sends everything again
	})
}

// OutboxAcked returns the highest seq of this site's event log below
// which the hub acknowledged every event; 0 when none.
func (db *DB) OutboxAcked() (uint64, error) {
	var seq uint64
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			if v := btx.Bucket(bucketMeta).Get(keyOutboxAcked); len(v) == 8 {
				seq = binary.BigEndian.Uint64(v)
			}
			return nil
		})
	})
	return seq, err
}

// SetOutboxAcked records that the hub acknowledged every event up to seq.
// It never goes back: a lower seq than the one recorded is ignored.
func (db *DB) SetOutboxAcked(seq uint64) error {
	return db.write(func(btx *bolt.Tx) error {
		meta := btx.Bucket(bucketMeta)
		if v := meta.Get(keyOutboxAcked); len(v) == 8 && binary.BigEndian.Uint64(v) >= seq {
			return nil
		}
		return meta.Put(keyOutboxAcked, u64(seq))
	})
}

// RawEvents calls fn with at most limit events of this site's log after
// seq after, in seq order, as stored: the outbox sends these bytes. The
// bytes are fn's to keep. A read transaction is short: fn runs after it.
func (db *DB) RawEvents(after uint64, limit int, fn func(seq uint64, data []byte) error) error {
	type raw struct {
		seq  uint64
		data []byte
	}
	var batch []raw
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			c := btx.Bucket(bucketEvents).Cursor()
			for k, v := c.Seek(u64(after + 1)); k != nil && len(batch) < limit; k, v = c.Next() {
				if len(k) != 8 {
					continue // Verify reports it
				}
				batch = append(batch, raw{binary.BigEndian.Uint64(k), bytes.Clone(v)})
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("read the event log: %w", err)
	}
	for _, r := range batch {
		if err := fn(r.seq, r.data); err != nil {
			return err
		}
	}
	return nil
}

// LastSeq returns the seq of this site's last event; 0 for an empty log.
func (db *DB) LastSeq() (uint64, error) {
	var seq uint64
	err := db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error {
			if v := btx.Bucket(bucketMeta).Get(keyLastSeq); len(v) == 8 {
				seq = binary.BigEndian.Uint64(v)
			}
			return nil
		})
	})
	return seq, err
}

// EventSites returns this site's id in its federation ("" when it has
// joined none) and the ids of the other sites whose events are stored
// here, in id order. It seeks from one site to the next: a site's events
// are one range of keys.
func (t *tx) EventSites() (own string, others []string, err error) {
	c := t.bucket(bucketSiteEvents).Cursor()
	for k, _ := c.First(); k != nil; {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			k, _ = c.Next() // not a site's key: VerifySite reports it
			continue
		}
		others = append(others, string(k[:i]))
		k, _ = c.Seek(append(bytes.Clone(k[:i]), 1))
	}
	return t.federationSite(), others, nil
}

// SiteEvents calls fn for site's events stored here that q selects (its
// Site aside), in time order then seq order, newest first with
// q.Reverse, the first q.Limit of that walk when Limit is positive; each
// has its Site set. Other sites' events have no time index here: the walk
// decodes every event of the site and sorts those selected, which a
// page of the log at the central site affords. An event that cannot be
// decoded is skipped and named in a *core.UnreadableEvents.
func (t *tx) SiteEvents(site string, q core.EventQuery, fn func(core.Event) error) error {
	if err := checkSiteID(site); err != nil {
		return err
	}
	var unreadable core.UnreadableEvents
	var keep []core.Event
	_ = eachSiteEvent(t.bucket(bucketSiteEvents), site, 0, &unreadable, func(e core.Event) error {
		switch {
		case !q.From.IsZero() && e.At.Before(q.From),
			!q.To.IsZero() && !e.At.Before(q.To),
			q.Door != "" && e.Door != q.Door,
			q.Person != "" && e.Person != q.Person:
			return nil
		}
		keep = append(keep, e)
		return nil
	})
	// A branch appends in time order, so this sort has little to do; a
	// clock set back at the branch is why it is there.
	slices.SortStableFunc(keep, func(x, y core.Event) int {
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		return cmp.Compare(x.Seq, y.Seq)
	})
	if q.Reverse {
		slices.Reverse(keep)
	}
	if q.Limit > 0 && len(keep) > q.Limit {
		keep = keep[:q.Limit]
	}
	for _, e := range keep {
		if err := fn(e); err != nil {
			return joinUnreadable(err, &unreadable)
		}
	}
	return unreadable.Err()
}

// SiteMoves calls fn for person's moves at other sites between from and
// to (From ≤ At < To), in time order: those of site, or of every other
// site when site is "". Like Moves, an event that cannot be read is
// skipped and named in the *core.UnreadableEvents returned.
func (t *tx) SiteMoves(site, person string, from, to time.Time, fn func(core.Move) error) error {
	prefix := []byte(person + sep)
	lo := append(bytes.Clone(prefix), boundKey(from)...)
	hi := append(bytes.Clone(prefix), boundKey(to)...)
	var unreadable core.UnreadableEvents
	c := t.bucket(bucketSiteEventsByPerson).Cursor()
	events := t.bucket(bucketSiteEvents)
	for k, _ := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, _ = c.Next() {
		key := k[len(prefix)+8:] // site + \x00 + seq
		at, _, ok := bytes.Cut(key, []byte{0})
		if !ok || len(key) < len(at)+9 || site != "" && string(at) != site {
			continue
		}
		seq := binary.BigEndian.Uint64(key[len(at)+1:])
		data := events.Get(key)
		if data == nil {
			unreadable.Add(seq, "missing from site "+string(at)+"'s events")
			continue
		}
		var m core.Move
		if err := json.Unmarshal(data, &m); err != nil {
			unreadable.Add(seq, shortReason(err))
			continue
		}
		if err := fn(m); err != nil {
			return joinUnreadable(err, &unreadable)
		}
	}
	return joinUnreadable(nil, &unreadable)
}
