package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
)

// putCard stores c under id, its canonical code, and files it under every
// Code.IndexKeys and under its person.
func (t *tx) putCard(b *bolt.Bucket, id string, c core.Card) error {
	code, err := core.ParseCode(c.Code)
	if err != nil {
		return fmt.Errorf("card %q: %w", id, err)
	}
	if canon := code.String(); c.Code != canon {
		return fmt.Errorf("%w: card %q: code is not canonical, want %q", core.ErrInvalid, c.Code, canon)
	}
	if id != c.Code {
		return fmt.Errorf("%w: card %q stored under id %q: a card's id is its code", core.ErrInvalid, c.Code, id)
	}
	if c.Person != "" {
		if err := checkPart("card "+id+": person", c.Person); err != nil {
			return err
		}
	}
	keys := code.IndexKeys()
	for _, k := range keys {
		if err := checkPart("card "+id+": index key", k); err != nil {
			return err
		}
	}
	c.From, c.Until = utc(c.From), utc(c.Until)

	if old := b.Get([]byte(id)); old != nil {
		var oc core.Card
		if err := json.Unmarshal(old, &oc); err != nil {
			return fmt.Errorf("decode card %q: %w", id, err)
		}
		if err := t.unindexCard(id, oc); err != nil {
			return err
		}
	}
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode card %q: %w", id, err)
	}
	if err := b.Put([]byte(id), data); err != nil {
		return err
	}
	for _, k := range keys {
		t.indexPut(bucketCardsByCode, joinKey(k, id))
	}
	if c.Person != "" {
		t.indexPut(bucketCardsByPerson, joinKey(c.Person, id))
	}
	return nil
}

// unindexCard removes the index entries of old, stored under id.
func (t *tx) unindexCard(id string, old core.Card) error {
	byCode := t.bucket(bucketCardsByCode)
	var keys [][]byte
	if code, err := core.ParseCode(id); err == nil {
		for _, k := range code.IndexKeys() {
			keys = append(keys, joinKey(k, id))
		}
	} else {
		// A code this version cannot parse (written by an older one):
		// find its entries the slow way.
		suffix := []byte(sep + id)
		c := byCode.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if bytes.HasSuffix(k, suffix) {
				keys = append(keys, bytes.Clone(k))
			}
		}
	}
	for _, k := range keys {
		t.indexDelete(bucketCardsByCode, k)
	}
	if old.Person != "" {
		t.indexDelete(bucketCardsByPerson, joinKey(old.Person, id))
	}
	return nil
}

// CardsMatching looks the read up under each of its LookupKeys and keeps the
// cards whose stored code matches it.
func (t *tx) CardsMatching(read core.Code) ([]core.Card, error) {
	var ids []string
	for _, k := range read.LookupKeys() {
		err := t.indexScan(bucketCardsByCode, []byte(k+sep), func(rest []byte) error {
			ids = append(ids, string(rest))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	cards := t.bucket([]byte(core.KindCard))
	var out []core.Card
	for _, id := range ids {
		c, ok, err := loadCard(cards, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // a dangling index entry: Verify reports it
		}
		code, err := core.ParseCode(c.Code)
		if err != nil {
			continue // not a code this version reads: it cannot match
		}
		if code.Matches(read) {
			out = append(out, c)
		}
	}
	return out, nil
}

// CardsOf returns person's cards in code order.
func (t *tx) CardsOf(person string) ([]core.Card, error) {
	if person == "" {
		return nil, nil
	}
	cards := t.bucket([]byte(core.KindCard))
	var out []core.Card
	err := t.indexScan(bucketCardsByPerson, []byte(person+sep), func(rest []byte) error {
		c, ok, err := loadCard(cards, string(rest))
		if ok {
			out = append(out, c)
		}
		return err
	})
	return out, err
}

// loadCard decodes the card id; ok is false if there is none.
func loadCard(cards *bolt.Bucket, id string) (c core.Card, ok bool, err error) {
	data := cards.Get([]byte(id))
	if data == nil {
		return c, false, nil
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, false, fmt.Errorf("decode card %q: %w", id, err)
	}
	return c, true, nil
}

// putGrant stores g under id, its ID, and files it under its person and
// its door.
func (t *tx) putGrant(b *bolt.Bucket, id string, g core.Grant) error {
	if g.ID != id {
		return fmt.Errorf("%w: grant %q stored under id %q", core.ErrInvalid, g.ID, id)
	}
	for _, p := range []struct{ what, s string }{{"id", id}, {"person", g.Person}, {"door", g.Door}} {
		if err := checkPart("grant "+id+": "+p.what, p.s); err != nil {
			return err
		}
	}
	g.From, g.Until, g.Created = utc(g.From), utc(g.Until), utc(g.Created)

	if old := b.Get([]byte(id)); old != nil {
		var og core.Grant
		if err := json.Unmarshal(old, &og); err != nil {
			return fmt.Errorf("decode grant %q: %w", id, err)
		}
		if err := t.unindexGrant(id, og); err != nil {
			return err
		}
	}
	data, err := json.Marshal(g)
	if err != nil {
		return fmt.Errorf("encode grant %q: %w", id, err)
	}
	if err := b.Put([]byte(id), data); err != nil {
		return err
	}
	t.indexPut(bucketGrantsByPerson, joinKey(g.Person, g.Door, id))
	t.indexPut(bucketGrantsByDoor, joinKey(g.Door, g.Person, id))
	return nil
}

// unindexGrant removes the index entries of old, stored under id.
func (t *tx) unindexGrant(id string, old core.Grant) error {
	t.indexDelete(bucketGrantsByPerson, joinKey(old.Person, old.Door, id))
	t.indexDelete(bucketGrantsByDoor, joinKey(old.Door, old.Person, id))
	return nil
}

// GrantsFor returns person's grants on door, or on every door if door is
// "", ordered by door then id.
func (t *tx) GrantsFor(person, door string) ([]core.Grant, error) {
	if person == "" {
		return nil, nil
	}
	prefix := person + sep
	if door != "" {
		prefix += door + sep
	}
	return t.grantsUnder(bucketGrantsByPerson, prefix)
}

// GrantsOn returns the grants on door, ordered by person then id.
func (t *tx) GrantsOn(door string) ([]core.Grant, error) {
	if door == "" {
		return nil, nil
	}
	return t.grantsUnder(bucketGrantsByDoor, door+sep)
}

// grantsUnder loads the grants of the index entries that start with
// prefix; the id is the entry's last part.
func (t *tx) grantsUnder(index []byte, prefix string) ([]core.Grant, error) {
	grants := t.bucket([]byte(core.KindGrant))
	var out []core.Grant
	err := t.indexScan(index, []byte(prefix), func(rest []byte) error {
		id := rest[bytes.LastIndexByte(rest, 0)+1:]
		data := grants.Get(id)
		if data == nil {
			return nil // a dangling index entry: Verify reports it
		}
		var g core.Grant
		if err := json.Unmarshal(data, &g); err != nil {
			return fmt.Errorf("decode grant %q: %w", id, err)
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

// putPerson stores p under id and files it in people_by_phone under the
// key of its phone (core.PhoneKey), if the phone has digits.
func (t *tx) putPerson(b *bolt.Bucket, id string, p core.Person) error {
	key := core.PhoneKey(p.Phone)
	if key != "" {
		if err := checkPart("person "+id+": id", id); err != nil {
			return err
		}
	}
	if old := b.Get([]byte(id)); old != nil {
		var op core.Person
		if err := json.Unmarshal(old, &op); err != nil {
			return fmt.Errorf("decode person %q: %w", id, err)
		}
		t.unindexPerson(id, op)
	}
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode person %q: %w", id, err)
	}
	if err := b.Put([]byte(id), data); err != nil {
		return err
	}
	if key != "" {
		t.indexPut(bucketPeopleByPhone, joinKey(key, id))
	}
	return nil
}

// unindexPerson removes the index entry of old, stored under id.
func (t *tx) unindexPerson(id string, old core.Person) {
	if key := core.PhoneKey(old.Phone); key != "" {
		t.indexDelete(bucketPeopleByPhone, joinKey(key, id))
	}
}

// PeopleByPhone returns the ids filed under the phone key last9, in
// order.
func (t *tx) PeopleByPhone(last9 string) ([]string, error) {
	if last9 == "" || strings.Contains(last9, sep) {
		return nil, nil
	}
	var ids []string
	err := t.indexScan(bucketPeopleByPhone, []byte(last9+sep), func(rest []byte) error {
		ids = append(ids, string(rest))
		return nil
	})
	return ids, err
}
