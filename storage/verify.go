package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"frontdesk/core"
)

// Report is what Verify found. Its JSON names follow the keys of
// `frontdesk verify --json`.
type Report struct {
	// Events, Cards and Audit (audit trail entries) are how many of each
	// were checked.
	Events int `json:"events"`
	Cards  int `json:"cards"`
	Audit  int `json:"audit"`
	// Problems describes each inconsistency, in the order found: bbolt's
	// own checks, the event log in sequence order with its indexes, the
	// audit trail in sequence order, then the card, grant and phone
	// indexes.
	// Empty when the database is sound.
	Problems []string `json:"problems"`
	// Found are the same problems, in the same order, as phrases that
	// say themselves in another language.
	Found []Finding `json:"found,omitempty"`
}

// Finding is a problem a verification found, as a phrase: its format,
// as core.PhraseFormat keys its translations, and its values as text.
type Finding struct {
	Format string   `json:"format"`
	Args   []string `json:"args,omitempty"`
	// Words are the indexes of Args that are English words, which
	// another language translates too (core.Word).
	Words []int `json:"words,omitempty"`
}

// findingf is the Finding of format and args as fmt.Sprintf takes them.
func findingf(format string, args ...any) Finding {
	p := core.Phrasef(ErrDamaged, format, args...)
	return Finding{Format: p.Format, Args: p.Args, Words: p.Words}
}

// Phrase is f as a core.PhraseError, for core/i18n to say.
func (f Finding) Phrase() *core.PhraseError {
	return &core.PhraseError{Err: ErrDamaged, Format: f.Format, Args: f.Args, Words: f.Words}
}

// String is f in English.
func (f Finding) String() string { return f.Phrase().Sentence() }

// add appends fs to r's problems.
func (r *Report) add(fs ...Finding) {
	for _, f := range fs {
		r.Problems = append(r.Problems, f.String())
		r.Found = append(r.Found, f)
	}
}

// prepend puts fs before r's problems.
func (r *Report) prepend(fs ...Finding) {
	var head Report
	head.add(fs...)
	r.Problems = append(head.Problems, r.Problems...)
	r.Found = append(head.Found, r.Found...)
}

// maxProblems bounds Report.Problems: a badly damaged file would otherwise
// give a million lines, and the first ones say what matters.
const maxProblems = 100

// Verify checks the database: that bbolt can read every page (the meta
// pages, and every page and element of the tree inside the file, read
// without bbolt), bbolt's own checks of the page structure (tx.Check),
// the hash chains of the event log and of the audit trail, and that the
// event, card, grant and phone indexes hold exactly the entries their
// objects call for. The error is only for a Verify that could not run.
//
// bbolt's Check may not run in a read transaction while a writer commits,
// and a write transaction would stop every door for the length of the
// check. So a database opened read-only, whose lock no writer can share
// and which writes nothing itself, is checked in place; one opened for
// writing is copied beside the file and the copy checked, while taps go
// on. When no copy can be made (a full disk, a read-only folder), it is
// checked in place with this DB's writes held back until the check ends:
// its lock keeps other processes out, and writers here wait.
func (db *DB) Verify() (Report, error) {
	db.mu.Lock()
	closed := db.closed
	db.mu.Unlock()
	if closed {
		return Report{}, fmt.Errorf("verify: %w", berrors.ErrDatabaseNotOpen)
	}
	var r Report
	var err error
	if db.readOnly {
		r, err = db.verifyFile(db.path, db.bolt)
	} else if r, err = db.verifySnapshot(); err != nil {
		db.log.Warn("verify: no copy beside the database, checking it in place; writes wait", "path", db.path, "err", err)
		db.writers.Lock()
		r, err = db.verifyFile(db.path, db.bolt)
		db.writers.Unlock()
	} else {
		// The copy has meta pages of its own: read the file's.
		var metas []Finding
		if metas, err = db.metaProblems(); err == nil {
			r.prepend(metas...)
		}
	}
	if err != nil {
		return Report{}, fmt.Errorf("verify: %w", err)
	}
	db.log.Info("database verified", "path", db.path, "events", r.Events, "cards", r.Cards, "audit", r.Audit, "problems", len(r.Problems))
	return r, nil
}

// metaProblems reads the meta pages of the file, with writes held back
// for the moment it takes: a commit writes one.
func (db *DB) metaProblems() ([]Finding, error) {
	db.writers.Lock()
	defer db.writers.Unlock()
	f, err := os.Open(db.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := inspect(db.path, f)
	if err != nil {
		return []Finding{findingf("%s", err)}, nil
	}
	return l.metaProblems(), nil
}

// verifySnapshot copies the database beside itself and checks the copy.
func (db *DB) verifySnapshot() (Report, error) {
	f, err := newTempFile(filepath.Dir(db.path), verifyPattern(db.path))
	if err != nil {
		return Report{}, err
	}
	if f.Name() == "" {
		// bbolt opens files by name: this one needs a name to be checked.
		if err := f.linkNamed(); err != nil {
			f.discard()
			return Report{}, err
		}
	}
	name := f.Name()
	defer os.Remove(name)
	err = db.contain(func() error { return db.copyTo(f) })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Report{}, fmt.Errorf("snapshot: %w", err)
	}
	snap, err := bolt.Open(name, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return Report{}, fmt.Errorf("open snapshot: %w", err)
	}
	defer snap.Close()
	return db.verifyFile(name, snap)
}

// verifyFile checks the file at path, open in bdb, which no one writes
// while it runs. The pages are read first without bbolt; if they would
// lead bbolt outside the file, bbolt is not let loose on it and the
// report says so.
func (db *DB) verifyFile(path string, bdb *bolt.DB) (Report, error) {
	scan, err := scanPages(path)
	if err != nil {
		return Report{}, err
	}
	if !scan.walkable {
		var r Report
		r.add(scan.problems...)
		r.add(findingf("the records were not checked: the page structure above must be repaired first"))
		return r, nil
	}
	var r Report
	err = db.contain(func() error {
		return bdb.View(func(btx *bolt.Tx) error {
			r = verify(btx)
			return nil
		})
	})
	if err != nil {
		if !isDamaged(err) {
			return Report{}, err
		}
		r.add(findingf("the check stopped: %s", err))
	}
	r.prepend(scan.problems...)
	return r, nil
}

// checker gathers the problems of one verification.
type checker struct {
	btx      *bolt.Tx
	r        Report
	overflow int
}

func (c *checker) problem(format string, args ...any) {
	if len(c.r.Problems) >= maxProblems {
		c.overflow++
		return
	}
	c.r.add(findingf(format, args...))
}

// verify checks everything in btx, a read transaction on a file no one
// writes.
func verify(btx *bolt.Tx) Report {
	c := &checker{btx: btx}
	for err := range btx.Check() {
		c.problem("bbolt: %v", err)
	}
	missing := false
	for _, name := range buckets() {
		if btx.Bucket(name) == nil {
			c.problem("bucket %s is missing", name)
			missing = true
		}
	}
	if !missing {
		if v := btx.Bucket(bucketMeta).Get(keySchema); len(v) != 8 || binary.BigEndian.Uint64(v) != currentSchema {
			c.problem("meta: schema is %x, want %d", v, currentSchema)
		}
		c.events()
		c.audit()
		c.cards()
		c.grants()
		c.phones()
	}
	if c.overflow > 0 {
		c.r.add(findingf("... and %d more problems", c.overflow))
	}
	return c.r
}

// events walks the log in sequence order, checking each event's hash, its
// link to the previous one and its index entries, then looks for index
// entries that no event calls for.
func (c *checker) events() {
	events := c.btx.Bucket(bucketEvents)
	indexes := []struct {
		name     []byte
		b        *bolt.Bucket
		expected int
	}{
		{bucketEventsByTime, c.btx.Bucket(bucketEventsByTime), 0},
		{bucketEventsByPerson, c.btx.Bucket(bucketEventsByPerson), 0},
		{bucketEventsByDoor, c.btx.Bucket(bucketEventsByDoor), 0},
	}
	var prevSeq uint64
	prevHash, prevKnown := "", true
	cur := events.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if len(k) != 8 {
			c.problem("events: key %x is not a sequence number", k)
			continue
		}
		seq := binary.BigEndian.Uint64(k)
		c.r.Events++
		switch {
		case seq == prevSeq+2:
			c.problem("event %d is missing", prevSeq+1)
		case seq > prevSeq+2:
			c.problem("events %d to %d are missing", prevSeq+1, seq-1)
		}
		var e core.Event
		if err := json.Unmarshal(v, &e); err != nil {
			c.problem("event %d: cannot be decoded: %v", seq, err)
			prevSeq, prevKnown = seq, false
			continue
		}
		if e.Seq != seq {
			c.problem("event %d: its seq field says %d", seq, e.Seq)
		}
		switch {
		case seq == 1 && e.PrevHash != "":
			c.problem("event 1: prev_hash is set but no event comes before it")
		case prevSeq != 0 && prevKnown && e.PrevHash != prevHash:
			c.problem("event %d: prev_hash does not match event %d", seq, prevSeq)
		}
		if core.EventHash(e) != e.Hash {
			c.problem("event %d: hash does not match its content", seq)
		}
		if e.At.Before(minEventTime) || !e.At.Before(maxEventTime) {
			c.problem("event %d: time %s cannot be indexed", seq, e.At)
		} else {
			e.Seq = seq // index entries carry the key's sequence
			keys := [3][]byte{}
			keys[0], keys[1], keys[2] = eventKeys(&e)
			for i, key := range keys {
				if key == nil {
					continue
				}
				indexes[i].expected++
				if !has(indexes[i].b, key) {
					c.problem("event %d: missing from %s", seq, indexes[i].name)
				}
			}
		}
		prevSeq, prevHash, prevKnown = seq, e.Hash, true
	}

	meta := c.btx.Bucket(bucketMeta)
	var lastSeq uint64
	if v := meta.Get(keyLastSeq); len(v) == 8 {
		lastSeq = binary.BigEndian.Uint64(v)
	}
	if lastSeq != prevSeq {
		c.problem("meta: last_seq is %d but the last event is %d", lastSeq, prevSeq)
	}
	if prevKnown && string(meta.Get(keyLastHash)) != prevHash {
		c.problem("meta: last_hash does not match event %d", prevSeq)
	}
	if s := events.Sequence(); s != prevSeq {
		c.problem("events: bucket sequence is %d but the last event is %d", s, prevSeq)
	}

	// Every expected entry was found; if an index holds more entries than
	// that, the extra ones are dangling and a slower walk names them.
	for i, ix := range indexes {
		if n := countKeys(ix.b); n != ix.expected {
			c.danglingEvents(ix.name, ix.b, i)
		}
	}
}

// audit walks the audit trail in sequence order, checking each entry's
// hash and its link to the previous one, the way events does for the log:
// an entry changed, removed or reordered is named by its sequence number.
// The trail has no index to check.
func (c *checker) audit() {
	audit := c.btx.Bucket(bucketAudit)
	var prevSeq uint64
	prevHash, prevKnown := "", true
	cur := audit.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if len(k) != 8 {
			c.problem("audit: key %x is not a sequence number", k)
			continue
		}
		seq := binary.BigEndian.Uint64(k)
		c.r.Audit++
		switch {
		case seq == prevSeq+2:
			c.problem("audit entry %d is missing", prevSeq+1)
		case seq > prevSeq+2:
			c.problem("audit entries %d to %d are missing", prevSeq+1, seq-1)
		}
		var e core.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			c.problem("audit entry %d: cannot be decoded: %v", seq, err)
			prevSeq, prevKnown = seq, false
			continue
		}
		if e.Seq != seq {
			c.problem("audit entry %d: its seq field says %d", seq, e.Seq)
		}
		switch {
		case seq == 1 && e.PrevHash != "":
			c.problem("audit entry 1: prev_hash is set but no entry comes before it")
		case prevSeq != 0 && prevKnown && e.PrevHash != prevHash:
			c.problem("audit entry %d: prev_hash does not match audit entry %d", seq, prevSeq)
		}
		if core.AuditHash(e) != e.Hash {
			c.problem("audit entry %d: hash does not match its content", seq)
		}
		prevSeq, prevHash, prevKnown = seq, e.Hash, true
	}

	meta := c.btx.Bucket(bucketMeta)
	var lastSeq uint64
	if v := meta.Get(keyAuditLastSeq); len(v) == 8 {
		lastSeq = binary.BigEndian.Uint64(v)
	}
	if lastSeq != prevSeq {
		c.problem("meta: audit_last_seq is %d but the last audit entry is %d", lastSeq, prevSeq)
	}
	if prevKnown && string(meta.Get(keyAuditLastHash)) != prevHash {
		c.problem("meta: audit_last_hash does not match audit entry %d", prevSeq)
	}
	if s := audit.Sequence(); s != prevSeq {
		c.problem("audit: bucket sequence is %d but the last audit entry is %d", s, prevSeq)
	}
}

// danglingEvents names the entries of an event index (0 time, 1 person,
// 2 door) that do not belong to the event they point to.
func (c *checker) danglingEvents(name []byte, index *bolt.Bucket, which int) {
	events := c.btx.Bucket(bucketEvents)
	cur := index.Cursor()
	for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
		if len(k) < 16 {
			c.problem("%s: entry %q is too short", name, k)
			continue
		}
		seq := binary.BigEndian.Uint64(k[len(k)-8:])
		data := events.Get(k[len(k)-8:])
		if data == nil {
			c.problem("%s: entry %q points to missing event %d", name, k, seq)
			continue
		}
		var e core.Event
		if err := json.Unmarshal(data, &e); err != nil {
			continue // reported with the event
		}
		e.Seq = seq
		if e.At.Before(minEventTime) || !e.At.Before(maxEventTime) {
			continue // reported with the event
		}
		keys := [3][]byte{}
		keys[0], keys[1], keys[2] = eventKeys(&e)
		if !bytes.Equal(keys[which], k) {
			c.problem("%s: entry %q does not match event %d", name, k, seq)
		}
	}
}

// cards checks that every card is filed under its index keys and person,
// and that every index entry belongs to a card.
func (c *checker) cards() {
	cards := c.btx.Bucket([]byte(core.KindCard))
	byCode := c.btx.Bucket(bucketCardsByCode)
	byPerson := c.btx.Bucket(bucketCardsByPerson)
	cur := cards.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		id := string(k)
		c.r.Cards++
		var card core.Card
		if err := json.Unmarshal(v, &card); err != nil {
			c.problem("card %q: cannot be decoded: %v", id, err)
			continue
		}
		if card.Code != id {
			c.problem("card %q: stored under id %q", card.Code, id)
		}
		code, err := core.ParseCode(id)
		if err != nil {
			c.problem("card %q: %v", id, err)
			continue
		}
		for _, ik := range code.IndexKeys() {
			if !has(byCode, joinKey(ik, id)) {
				c.problem("card %q: missing from %s under %q", id, bucketCardsByCode, ik)
			}
		}
		if card.Person != "" && !has(byPerson, joinKey(card.Person, id)) {
			c.problem("card %q: missing from %s under %q", id, bucketCardsByPerson, card.Person)
		}
	}

	cur = byCode.Cursor()
	for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
		ik, id, ok := strings.Cut(string(k), sep)
		if !ok {
			c.problem("%s: entry %q has no separator", bucketCardsByCode, k)
			continue
		}
		if cards.Get([]byte(id)) == nil {
			c.problem("%s: entry %q points to missing card %q", bucketCardsByCode, k, id)
			continue
		}
		if code, err := core.ParseCode(id); err == nil && !slices.Contains(code.IndexKeys(), ik) {
			c.problem("%s: entry %q is not an index key of card %q", bucketCardsByCode, k, id)
		}
	}

	cur = byPerson.Cursor()
	for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
		person, id, ok := strings.Cut(string(k), sep)
		if !ok {
			c.problem("%s: entry %q has no separator", bucketCardsByPerson, k)
			continue
		}
		card, found, err := loadCard(cards, id)
		switch {
		case err != nil:
			// reported with the card
		case !found:
			c.problem("%s: entry %q points to missing card %q", bucketCardsByPerson, k, id)
		case card.Person != person:
			c.problem("%s: entry %q: card %q belongs to %q", bucketCardsByPerson, k, id, card.Person)
		}
	}
}

// grants checks the two grant indexes against the grants.
func (c *checker) grants() {
	grants := c.btx.Bucket([]byte(core.KindGrant))
	byPerson := c.btx.Bucket(bucketGrantsByPerson)
	byDoor := c.btx.Bucket(bucketGrantsByDoor)
	cur := grants.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		id := string(k)
		var g core.Grant
		if err := json.Unmarshal(v, &g); err != nil {
			c.problem("grant %q: cannot be decoded: %v", id, err)
			continue
		}
		if g.ID != id {
			c.problem("grant %q: stored under id %q", g.ID, id)
		}
		if !has(byPerson, joinKey(g.Person, g.Door, id)) {
			c.problem("grant %q: missing from %s", id, bucketGrantsByPerson)
		}
		if !has(byDoor, joinKey(g.Door, g.Person, id)) {
			c.problem("grant %q: missing from %s", id, bucketGrantsByDoor)
		}
	}
	for _, ix := range []struct {
		name []byte
		b    *bolt.Bucket
		// person and door of a grant, in the index's order
		parts func(g core.Grant) (string, string)
	}{
		{bucketGrantsByPerson, byPerson, func(g core.Grant) (string, string) { return g.Person, g.Door }},
		{bucketGrantsByDoor, byDoor, func(g core.Grant) (string, string) { return g.Door, g.Person }},
	} {
		cur := ix.b.Cursor()
		for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
			parts := strings.Split(string(k), sep)
			if len(parts) != 3 {
				c.problem("%s: entry %q does not have 3 parts", ix.name, k)
				continue
			}
			data := grants.Get([]byte(parts[2]))
			if data == nil {
				c.problem("%s: entry %q points to missing grant %q", ix.name, k, parts[2])
				continue
			}
			var g core.Grant
			if err := json.Unmarshal(data, &g); err != nil {
				continue // reported with the grant
			}
			if a, b := ix.parts(g); a != parts[0] || b != parts[1] {
				c.problem("%s: entry %q does not match grant %q", ix.name, k, parts[2])
			}
		}
	}
}

// phones checks people_by_phone against the people: each person with
// digits in their phone is filed under its core.PhoneKey, and every entry
// belongs to a person with that key.
func (c *checker) phones() {
	people := c.btx.Bucket([]byte(core.KindPerson))
	index := c.btx.Bucket(bucketPeopleByPhone)
	cur := people.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		id := string(k)
		var p core.Person
		if err := json.Unmarshal(v, &p); err != nil {
			c.problem("person %q: cannot be decoded: %v", id, err)
			continue
		}
		if key := core.PhoneKey(p.Phone); key != "" && !has(index, joinKey(key, id)) {
			c.problem("person %q: missing from %s under %q", id, bucketPeopleByPhone, key)
		}
	}
	cur = index.Cursor()
	for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
		key, id, ok := strings.Cut(string(k), sep)
		if !ok {
			c.problem("%s: entry %q has no separator", bucketPeopleByPhone, k)
			continue
		}
		data := people.Get([]byte(id))
		if data == nil {
			c.problem("%s: entry %q points to missing person %q", bucketPeopleByPhone, k, id)
			continue
		}
		var p core.Person
		if err := json.Unmarshal(data, &p); err != nil {
			continue // reported with the person
		}
		if core.PhoneKey(p.Phone) != key {
			c.problem("%s: entry %q does not match the phone of person %q", bucketPeopleByPhone, k, id)
		}
	}
}

// countKeys counts the keys of b, from its page headers: verify reads a
// snapshot no one writes, so the committed pages are the whole truth.
func countKeys(b *bolt.Bucket) int { return b.Stats().KeyN }

// verifyPattern names Verify's snapshots of the database at path, for
// newTempFile and removeLeftovers.
func verifyPattern(path string) string {
	return "." + filepath.Base(path) + ".verify-*"
}
