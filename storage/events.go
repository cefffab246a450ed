package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"frontdesk/core"
)

// The instants an event may carry: those UnixNano represents.
var (
	minEventTime = time.Unix(0, math.MinInt64)
	maxEventTime = time.Unix(0, math.MaxInt64) // excluded
)

// timeKey encodes t, which must be in [minEventTime, maxEventTime), so that
// byte order is time order: UnixNano with the sign bit flipped, big-endian.
func timeKey(t time.Time) []byte {
	return u64(uint64(t.UnixNano()) ^ 1<<63)
}

// boundKey is timeKey for a query bound, clamped to the representable
// range: no event is before the first key or at the last one.
func boundKey(t time.Time) []byte {
	switch {
	case t.Before(minEventTime):
		return u64(0)
	case !t.Before(maxEventTime):
		return u64(math.MaxUint64)
	}
	return timeKey(t)
}

// appendFill is the FillPercent of the buckets written in key order.
const appendFill = 0.95

// utc returns t in UTC, the zone of every stored instant.
func utc(t time.Time) time.Time { return t.UTC() }

// eventKeys returns the keys e is filed under in events_by_time,
// events_by_person (nil if no person) and events_by_door (nil if no door).
func eventKeys(e *core.Event) (byTime, byPerson, byDoor []byte) {
	tk := append(timeKey(e.At), u64(e.Seq)...)
	byTime = tk
	if e.Person != "" {
		byPerson = append([]byte(e.Person+sep), tk...)
	}
	if e.Door != "" {
		byDoor = append([]byte(e.Door+sep), tk...)
	}
	return byTime, byPerson, byDoor
}

// AppendEvent numbers e, chains it to the last event and files it. The last
// sequence and hash are kept in meta so that appending reads no event.
func (t *tx) AppendEvent(e *core.Event) error {
	if e == nil {
		return fmt.Errorf("%w: nil event", core.ErrInvalid)
	}
	if e.At.Before(minEventTime) || !e.At.Before(maxEventTime) {
		return fmt.Errorf("%w: event time %s: must be between years 1678 and 2262", core.ErrInvalid, e.At)
	}
	if e.Person != "" {
		if err := checkPart("event person", e.Person); err != nil {
			return err
		}
	}
	if e.Door != "" {
		if err := checkPart("event door", e.Door); err != nil {
			return err
		}
	}
	events, byTime := t.bucket(bucketEvents), t.bucket(bucketEventsByTime)
	// Both only grow at their end (taps come in time order), so full pages
	// waste nothing: bbolt's default half-full split would double the file.
	events.FillPercent, byTime.FillPercent = appendFill, appendFill
	meta := t.bucket(bucketMeta)
	seq, err := events.NextSequence()
	if err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	var last uint64
	if v := meta.Get(keyLastSeq); len(v) == 8 {
		last = binary.BigEndian.Uint64(v)
	}
	if last != seq-1 {
		// Both move in the same transaction: only a file changed behind our
		// back gets here, and chaining onto the wrong hash would hide it.
		return fmt.Errorf("append event: log out of step: meta last_seq %d, events sequence %d: run verify", last, seq-1)
	}
	e.At = utc(e.At)
	e.Seq = seq
	e.PrevHash = string(meta.Get(keyLastHash))
	e.Hash = core.EventHash(*e)
	// The site is not stored (see core.Event.Site): the caller gets it,
	// the file keeps the bytes that the central site stores too.
	e.Site = ""
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	e.Site = t.federationSite()
	if err := events.Put(u64(seq), data); err != nil {
		return err
	}
	byTimeKey, byPerson, byDoor := eventKeys(e)
	t.indexPut(bucketEventsByTime, byTimeKey)
	if byPerson != nil {
		t.indexPut(bucketEventsByPerson, byPerson)
	}
	if byDoor != nil {
		t.indexPut(bucketEventsByDoor, byDoor)
	}
	if err := meta.Put(keyLastSeq, u64(seq)); err != nil {
		return err
	}
	return meta.Put(keyLastHash, []byte(e.Hash))
}

// Events walks the narrowest index q allows (person, else door, else time)
// between q.From and q.To and filters the other fields.
func (t *tx) Events(q core.EventQuery, fn func(core.Event) error) error {
	// Range walks do not merge held entries: write them first.
	if err := t.flush(); err != nil {
		return err
	}
	index, prefix := bucketEventsByTime, []byte(nil)
	switch {
	case q.Person != "":
		index, prefix = bucketEventsByPerson, []byte(q.Person+sep)
	case q.Door != "":
		index, prefix = bucketEventsByDoor, []byte(q.Door+sep)
	}
	lo := append(bytes.Clone(prefix), boundKey(q.From)...)
	hi := append(bytes.Clone(prefix), u64(math.MaxUint64)...)
	if !q.To.IsZero() {
		hi = append(bytes.Clone(prefix), boundKey(q.To)...)
	}
	// Every key between lo and hi starts with prefix, and none of them
	// carries the time part ff..ff, so [lo, hi) is exactly the range.
	events := t.bucket(bucketEvents)
	site := t.federationSite()
	n := 0
	// An event that cannot be decoded is skipped and named at the end:
	// one damaged record must not hide the rest of the log.
	var unreadable core.UnreadableEvents
	visit := func(k []byte) (bool, error) {
		if len(k) < 8 {
			return true, nil // not an index entry: Verify reports it
		}
		seq := k[len(k)-8:]
		data := events.Get(seq)
		if data == nil {
			// Events are never deleted: the index outlived a damaged page.
			unreadable.Add(binary.BigEndian.Uint64(seq), "missing from the log")
			return true, nil
		}
		var e core.Event
		if err := json.Unmarshal(data, &e); err != nil {
			unreadable.Add(binary.BigEndian.Uint64(seq), shortReason(err))
			return true, nil
		}
		if q.Door != "" && e.Door != q.Door || q.Person != "" && e.Person != q.Person {
			return true, nil
		}
		e.Site = site
		if err := fn(e); err != nil {
			return false, err
		}
		n++
		return q.Limit <= 0 || n < q.Limit, nil
	}
	c := t.bucket(index).Cursor()
	var err error
	if !q.Reverse {
		for k, _ := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, _ = c.Next() {
			var more bool
			if more, err = visit(k); !more || err != nil {
				break
			}
		}
	} else {
		k, _ := c.Seek(hi)
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		for ; k != nil && bytes.Compare(k, lo) >= 0; k, _ = c.Prev() {
			var more bool
			if more, err = visit(k); !more || err != nil {
				break
			}
		}
	}
	return joinUnreadable(err, &unreadable)
}

// joinUnreadable is the error of a walk that ended with err (nil, or the
// callback's) and skipped the events u names.
func joinUnreadable(err error, u *core.UnreadableEvents) error {
	if u.Count == 0 {
		return err
	}
	if err == nil {
		return u
	}
	return errors.Join(err, u)
}

// Moves walks person's events by time and decodes only the fields of a
// core.Move, skipping the events that moved nobody.
func (t *tx) Moves(person string, from, to time.Time, fn func(core.Move) error) error {
	if err := t.flush(); err != nil {
		return err
	}
	prefix := []byte(person + sep)
	lo := append(bytes.Clone(prefix), boundKey(from)...)
	hi := append(bytes.Clone(prefix), boundKey(to)...)
	var unreadable core.UnreadableEvents
	c := t.bucket(bucketEventsByPerson).Cursor()
	log := t.bucket(bucketEvents)
	for k, _ := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, _ = c.Next() {
		if len(k) < 8 {
			continue // not an index entry: Verify reports it
		}
		seq := k[len(k)-8:]
		data := log.Get(seq)
		if data == nil {
			unreadable.Add(binary.BigEndian.Uint64(seq), "missing from the log")
			continue
		}
		var m core.Move
		if err := json.Unmarshal(data, &m); err != nil {
			unreadable.Add(binary.BigEndian.Uint64(seq), shortReason(err))
			continue
		}
		if m.Zone == "" {
			continue
		}
		if err := fn(m); err != nil {
			return joinUnreadable(err, &unreadable)
		}
	}
	return unreadable.Err()
}

// LastEvent returns the event with the highest sequence number.
func (t *tx) LastEvent() (core.Event, error) {
	var e core.Event
	k, data := t.bucket(bucketEvents).Cursor().Last()
	if k == nil {
		return e, fmt.Errorf("%w: no events", core.ErrNotFound)
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return e, decodeError(fmt.Sprintf("event %s", auditKey(k)), err)
	}
	e.Site = t.federationSite()
	return e, nil
}

// federationSite is this site's id in its federation, "" when it has
// joined none: the Site of its own events, which they are not stored with.
func (t *tx) federationSite() string {
	return string(t.bucket(bucketMeta).Get(keyFederationSite))
}

// Presence returns where person was last seen.
func (t *tx) Presence(person string) (core.Presence, error) {
	var p core.Presence
	data := t.bucket(bucketPresence).Get([]byte(person))
	if data == nil {
		return p, fmt.Errorf("%w: no presence of %q", core.ErrNotFound, person)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, decodeError(fmt.Sprintf("the presence of %q", person), err)
	}
	return p, nil
}

// PutPresence stores where p.Person is.
func (t *tx) PutPresence(p core.Presence) error {
	if p.Person == "" {
		return fmt.Errorf("%w: presence: person is empty", core.ErrInvalid)
	}
	p.Since = utc(p.Since)
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode presence of %q: %w", p.Person, err)
	}
	return t.bucket(bucketPresence).Put([]byte(p.Person), data)
}

// Presences calls fn for every presence in person order.
func (t *tx) Presences(fn func(core.Presence) error) error {
	c := t.bucket(bucketPresence).Cursor()
	for k, data := c.First(); k != nil; k, data = c.Next() {
		var p core.Presence
		if err := json.Unmarshal(data, &p); err != nil {
			return decodeError(fmt.Sprintf("the presence of %q", k), err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// LastDecision returns when card was last decided at reader.
func (t *tx) LastDecision(card, reader string) (time.Time, bool, error) {
	v := t.bucket(bucketLastDecision).Get(joinKey(card, reader))
	if v == nil {
		return time.Time{}, false, nil
	}
	if len(v) != 8 {
		return time.Time{}, false, fmt.Errorf("last decision of %q at %q: %d bytes, want 8", card, reader, len(v))
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(), true, nil
}

// PutLastDecision records when card was decided at reader.
func (t *tx) PutLastDecision(card, reader string, at time.Time) error {
	if at.Before(minEventTime) || !at.Before(maxEventTime) {
		return fmt.Errorf("%w: last decision time %s: must be between years 1678 and 2262", core.ErrInvalid, at)
	}
	return t.bucket(bucketLastDecision).Put(joinKey(card, reader), u64(uint64(at.UnixNano())))
}
