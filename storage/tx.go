package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
)

// tx is a core.Tx over one bbolt transaction. Values go in and out as JSON,
// so nothing handed to the caller points into bbolt's memory map.
type tx struct {
	btx *bolt.Tx
	// pending holds index entries until the work is done (see pending.go).
	pending map[string]pendingIndex
	// quarantine holds the buckets Open found damaged where bbolt would
	// follow page numbers blindly: reading one is refused with its error.
	quarantine map[string]error
}

var _ core.Tx = (*tx)(nil)

// kindTypes is the Go type stored in each kind's bucket.
var kindTypes = map[core.Kind]reflect.Type{
	core.KindZone:        reflect.TypeFor[core.Zone](),
	core.KindDoor:        reflect.TypeFor[core.Door](),
	core.KindDevice:      reflect.TypeFor[core.Device](),
	core.KindSchedule:    reflect.TypeFor[core.Schedule](),
	core.KindHoliday:     reflect.TypeFor[core.Holiday](),
	core.KindShift:       reflect.TypeFor[core.Shift](),
	core.KindAccessLevel: reflect.TypeFor[core.AccessLevel](),
	core.KindDepartment:  reflect.TypeFor[core.Department](),
	core.KindPerson:      reflect.TypeFor[core.Person](),
	core.KindCard:        reflect.TypeFor[core.Card](),
	core.KindGrant:       reflect.TypeFor[core.Grant](),
	core.KindRole:        reflect.TypeFor[core.Role](),
	core.KindAccount:     reflect.TypeFor[core.Account](),

	core.KindAttendance:    reflect.TypeFor[core.AttendanceRecord](),
	core.KindJustification: reflect.TypeFor[core.Justification](),
	core.KindFile:          reflect.TypeFor[core.StoredFile](),
	core.KindBalance:       reflect.TypeFor[core.BalanceAdjustment](),
}

// objects returns the bucket of kind, one of core.Kinds.
func (t *tx) objects(kind core.Kind) (*bolt.Bucket, error) {
	if !slices.Contains(core.Kinds, kind) {
		return nil, fmt.Errorf("%w: unknown kind %q", core.ErrInvalid, kind)
	}
	return t.bucket([]byte(kind)), nil
}

// bucket returns a bucket that Open created.
func (t *tx) bucket(name []byte) *bolt.Bucket {
	if err := t.quarantine[string(name)]; err != nil {
		panic(damage{err}) // contain turns it into the error
	}
	b := t.btx.Bucket(name)
	if b == nil {
		// Open creates every bucket; only a file changed behind our back
		// can lack one. contain turns this into the error.
		panic(damage{damaged("", "bucket %s is missing", name)})
	}
	return b
}

// Site returns the stored settings with Defaults applied.
func (t *tx) Site() (core.Site, error) {
	var s core.Site
	if v := t.bucket(bucketMeta).Get(keySite); v != nil {
		if err := json.Unmarshal(v, &s); err != nil {
			return core.Site{}, decodeError("the site settings", err)
		}
	}
	return s.Defaults(), nil
}

// PutSite stores the settings as given.
func (t *tx) PutSite(s core.Site) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode site: %w", err)
	}
	return t.bucket(bucketMeta).Put(keySite, b)
}

// Get decodes kind/id into v; the error wraps core.ErrNotFound if absent.
func (t *tx) Get(kind core.Kind, id string, v any) error {
	b, err := t.objects(kind)
	if err != nil {
		return err
	}
	data := b.Get([]byte(id))
	if data == nil {
		return notFound(kind, id)
	}
	// Unmarshal copies what it keeps: v does not refer to bbolt's memory.
	if err := json.Unmarshal(data, v); err != nil {
		return decodeError(fmt.Sprintf("%s %q", kind, id), err)
	}
	return nil
}

// Put stores v under kind/id and keeps the card, grant and phone indexes
// in step. v must be the kind's type (a pointer to it is accepted too). A
// card's id must be its canonical code and a grant's id its ID field.
func (t *tx) Put(kind core.Kind, id string, v any) error {
	b, err := t.objects(kind)
	if err != nil {
		return err
	}
	if id == "" {
		return fmt.Errorf("%w: %s: empty id", core.ErrInvalid, kind)
	}
	v, err = checkType(kind, v)
	if err != nil {
		return err
	}
	switch kind {
	case core.KindCard:
		return t.putCard(b, id, v.(core.Card))
	case core.KindGrant:
		return t.putGrant(b, id, v.(core.Grant))
	case core.KindPerson:
		return t.putPerson(b, id, v.(core.Person))
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %q: %w", kind, id, err)
	}
	return b.Put([]byte(id), data)
}

// Raw returns the stored JSON of kind/id. It is copied: bbolt's slice
// points into the memory map, valid only until the transaction ends, and
// the audit trail keeps it beyond that.
func (t *tx) Raw(kind core.Kind, id string) ([]byte, bool, error) {
	b, err := t.objects(kind)
	if err != nil {
		return nil, false, err
	}
	data := b.Get([]byte(id))
	if data == nil {
		return nil, false, nil
	}
	return bytes.Clone(data), true, nil
}

// checkType returns v, dereferenced if it is a pointer, or an error if it
// is not the kind's type: storing a Zone as a door would only fail much
// later, when the door is read. A kind core added since kindTypes was
// written takes any value.
func checkType(kind core.Kind, v any) (any, error) {
	want, ok := kindTypes[kind]
	rv := reflect.ValueOf(v)
	if !ok {
		if !rv.IsValid() {
			return nil, fmt.Errorf("%w: %s: nil value", core.ErrInvalid, kind)
		}
		return v, nil
	}
	if rv.Kind() == reflect.Pointer && rv.Type().Elem() == want && !rv.IsNil() {
		return rv.Elem().Interface(), nil
	}
	if rv.IsValid() && rv.Type() == want {
		return v, nil
	}
	return nil, fmt.Errorf("%w: %s holds %v, not %T", core.ErrInvalid, kind, want, v)
}

// Delete removes kind/id and its index entries.
func (t *tx) Delete(kind core.Kind, id string) error {
	b, err := t.objects(kind)
	if err != nil {
		return err
	}
	data := b.Get([]byte(id))
	if data == nil {
		return notFound(kind, id)
	}
	switch kind {
	case core.KindCard:
		var old core.Card
		if err := json.Unmarshal(data, &old); err != nil {
			return fmt.Errorf("decode %s %q: %w", kind, id, err)
		}
		if err := t.unindexCard(id, old); err != nil {
			return err
		}
	case core.KindGrant:
		var old core.Grant
		if err := json.Unmarshal(data, &old); err != nil {
			return fmt.Errorf("decode %s %q: %w", kind, id, err)
		}
		if err := t.unindexGrant(id, old); err != nil {
			return err
		}
	case core.KindPerson:
		var old core.Person
		if err := json.Unmarshal(data, &old); err != nil {
			return fmt.Errorf("decode %s %q: %w", kind, id, err)
		}
		t.unindexPerson(id, old)
	}
	return b.Delete([]byte(id))
}

// List calls fn for every object of kind in id order. decode is valid only
// until fn returns.
func (t *tx) List(kind core.Kind, fn func(id string, decode func(v any) error) error) error {
	b, err := t.objects(kind)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, data := c.First(); k != nil; k, data = c.Next() {
		id := string(k)
		done := false
		decode := func(v any) error {
			if done {
				return fmt.Errorf("decode %s %q: called after its List callback returned", kind, id)
			}
			if err := json.Unmarshal(data, v); err != nil {
				return decodeError(fmt.Sprintf("%s %q", kind, id), err)
			}
			return nil
		}
		err := fn(id, decode)
		done = true
		if err != nil {
			return err
		}
	}
	return nil
}

// Count returns the number of objects of kind.
func (t *tx) Count(kind core.Kind) (int, error) {
	b, err := t.objects(kind)
	if err != nil {
		return 0, err
	}
	// Not bbolt's Stats, quicker in a read transaction: it follows
	// whatever a leaf calls a nested bucket, where Open checks nothing
	// (see checkDescent), and in a write transaction it would miss this
	// transaction's changes.
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n, nil
}

// NextID returns the next free id of kind: its first letter and a counter
// kept in meta ("g1", "g2", ... for grants). Ids taken by an import are
// skipped.
func (t *tx) NextID(kind core.Kind) (string, error) {
	b, err := t.objects(kind)
	if err != nil {
		return "", err
	}
	meta := t.bucket(bucketMeta)
	key := []byte("next:" + string(kind))
	var n uint64
	if v := meta.Get(key); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	prefix := string(kind)[:1]
	for {
		n++
		id := prefix + strconv.FormatUint(n, 10)
		if b.Get([]byte(id)) == nil {
			return id, meta.Put(key, u64(n))
		}
	}
}

// notFound wraps core.ErrNotFound for kind/id.
func notFound(kind core.Kind, id string) error {
	return fmt.Errorf("%w: no %s %q", core.ErrNotFound, kind, id)
}

// sep separates the parts of index keys. Ids, codes and index keys may not
// contain it.
const sep = "\x00"

// joinKey builds an index key from its parts.
func joinKey(parts ...string) []byte {
	return []byte(strings.Join(parts, sep))
}

// checkPart rejects an index key part that is empty or holds sep.
func checkPart(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: %s is empty", core.ErrInvalid, what)
	case strings.Contains(s, sep):
		return fmt.Errorf("%w: %s %q contains a NUL byte", core.ErrInvalid, what, s)
	}
	return nil
}

// empty is the value of index entries. Not nil: bbolt would hand a nil
// value back from a key written in the same transaction, and nil means
// "absent" to Get.
var empty = []byte{}

// has reports whether b holds key, whatever its value.
func has(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return k != nil && bytes.Equal(k, key)
}

// forPrefix calls fn with the rest of every key of b that starts with
// prefix, in key order. rest is only valid during fn.
func forPrefix(b *bolt.Bucket, prefix []byte, fn func(rest []byte) error) error {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if err := fn(k[len(prefix):]); err != nil {
			return err
		}
	}
	return nil
}
