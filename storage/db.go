// Package storage is the bbolt implementation of core.Store: one file holds
// the site, the cards and grants with their indexes, the roles and
// accounts, the hash-chained event log and audit trail, presence and the
// debounce references.
//
// Layout (bucket: key → value; "+" concatenates, \x00 separates):
//
//	meta:             schema → BE uint64; site → JSON core.Site;
//	                  next:KIND → BE uint64 (NextID counter);
//	                  last_seq → BE uint64; last_hash → hex hash of the last event;
//	                  audit_last_seq → BE uint64;
//	                  audit_last_hash → hex hash of the last audit entry;
//	                  site_id → 16 hex digits naming the site in signed
//	                  checkpoints (chain.go), made at the first one
//	zones, doors, ...: one bucket per core.Kind, id → JSON of the kind's type
//	                  (roles: role id → core.Role; accounts: username → core.Account)
//	cards_by_code:    IndexKey + \x00 + code → empty (Code.IndexKeys of each card)
//	cards_by_person:  person + \x00 + code → empty
//	grants_by_person: person + \x00 + door + \x00 + id → empty
//	grants_by_door:   door + \x00 + person + \x00 + id → empty
//	people_by_phone:  core.PhoneKey(phone) + \x00 + person id → empty (the
//	                  phone's last 9 digits; people without digits are not filed)
//	events:           BE uint64 seq → JSON core.Event
//	events_by_time:   time(At) + BE seq → empty
//	events_by_person: person + \x00 + time(At) + BE seq → empty
//	events_by_door:   door + \x00 + time(At) + BE seq → empty
//	presence:         person → JSON core.Presence
//	last_decision:    card + \x00 + reader → BE int64 UnixNano
//	audit:            BE uint64 seq → JSON core.AuditEntry
//
// Schema 1 is the first layout; schema 2 added the roles, accounts and
// audit buckets and the audit_last_* keys, and seeds core.BuiltinRoles;
// schema 3 added people_by_phone, built from the stored people.
//
// time(At) is At's UnixNano with the sign bit flipped, big-endian, so that
// byte order is time order before 1970 too.
package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"frontdesk/core"
)

// ErrInUse is matched (errors.Is) by the error Open returns when another
// process, or another DB in this one, holds the file.
var ErrInUse = errors.New("database is already open by another Frontdesk")

// ErrNewerSchema is matched by the error Open returns for a file written by
// a newer Frontdesk, whose layout this code does not know.
var ErrNewerSchema = errors.New("database schema is newer than this Frontdesk")

// inUseError names the file another Frontdesk holds.
type inUseError struct{ path string }

func (e *inUseError) Error() string {
	return fmt.Sprintf("database %s is already open by another Frontdesk", e.path)
}

func (e *inUseError) Is(target error) bool { return target == ErrInUse }

// Options tune Open. The zero value is the production setting.
type Options struct {
	// Timeout bounds the wait for the file lock held by another process;
	// default 2s.
	Timeout time.Duration
	// NoSync skips fsync on commit. For benchmarks and bulk test setup
	// only: a crash may then lose or corrupt committed data.
	NoSync bool
	// Logger receives open, migration and backup messages; default none.
	Logger *slog.Logger
}

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = 2 * time.Second

// DB is a Frontdesk database file. It is safe for concurrent use.
type DB struct {
	bolt   *bolt.DB
	commit committer
	path   string
	log    *slog.Logger

	mu     sync.Mutex
	closed bool
}

var _ core.Store = (*DB)(nil)

// Open opens the database at path, creating the file and its folder if
// needed, and brings its layout up to the current schema. If another
// Frontdesk holds the file, Open gives up after opts.Timeout with an error
// matching ErrInUse; a file from a newer Frontdesk gives ErrNewerSchema.
func Open(path string, opts Options) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &inUseError{path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{bolt: bdb, commit: committer{db: bdb}, path: path, log: log}
	if err := db.migrate(); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// A Verify cut short by a crash leaves its snapshot behind; the lock
	// we hold says no Verify of this file is running.
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), verifyPattern(path)))
	for _, f := range stale {
		_ = os.Remove(f)
	}
	log.Info("database open", "path", path)
	return db, nil
}

// Path returns the file's path.
func (db *DB) Path() string { return db.path }

// Close releases the file. Closing twice is harmless.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return nil
	}
	db.closed = true
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(core.Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error { return fn(&tx{btx: btx}) })
}

// Update runs fn in a read-write transaction, committed with fsync when fn
// returns nil.
func (db *DB) Update(fn func(core.Tx) error) error {
	return db.bolt.Update(func(btx *bolt.Tx) error { return withTx(btx, fn) })
}

// Batch runs fn in a read-write transaction shared with concurrent Batch
// callers (group commit, see committer): one fsync for all. fn may run
// more than once: when a shared transaction fails, each call is run again
// in a transaction of its own.
func (db *DB) Batch(fn func(core.Tx) error) error {
	return db.commit.batch(func(btx *bolt.Tx) error { return withTx(btx, fn) })
}

// Bucket names.
var (
	bucketMeta           = []byte("meta")
	bucketCardsByCode    = []byte("cards_by_code")
	bucketCardsByPerson  = []byte("cards_by_person")
	bucketGrantsByPerson = []byte("grants_by_person")
	bucketGrantsByDoor   = []byte("grants_by_door")
	bucketEvents         = []byte("events")
	bucketEventsByTime   = []byte("events_by_time")
	bucketEventsByPerson = []byte("events_by_person")
	bucketEventsByDoor   = []byte("events_by_door")
	bucketPresence       = []byte("presence")
	bucketLastDecision   = []byte("last_decision")
	bucketAudit          = []byte("audit")
	bucketPeopleByPhone  = []byte("people_by_phone")
)

// Keys of the meta bucket.
var (
	keySchema   = []byte("schema")
	keySite     = []byte("site")
	keyLastSeq  = []byte("last_seq")
	keyLastHash = []byte("last_hash")

	keyAuditLastSeq  = []byte("audit_last_seq")
	keyAuditLastHash = []byte("audit_last_hash")
)

// buckets lists every bucket of the current schema.
func buckets() [][]byte {
	bs := [][]byte{bucketMeta}
	for _, k := range core.Kinds {
		bs = append(bs, []byte(k))
	}
	return append(bs, bucketCardsByCode, bucketCardsByPerson, bucketGrantsByPerson, bucketGrantsByDoor,
		bucketEvents, bucketEventsByTime, bucketEventsByPerson, bucketEventsByDoor,
		bucketPresence, bucketLastDecision, bucketAudit, bucketPeopleByPhone)
}

// migrations[v] brings a file from schema v to v+1; schema 0 is a new,
// empty file. A later layout appends its step here: the slice's length is
// the current schema.
var migrations = []func(*bolt.Tx) error{
	0: createBuckets,    // v1: the first layout
	1: addAccessControl, // v2: roles, accounts and the audit trail
	2: indexPhones,      // v3: people by phone number
}

// currentSchema is the layout this code writes.
var currentSchema = uint64(len(migrations))

// createBuckets creates the buckets of the current schema that are missing.
func createBuckets(btx *bolt.Tx) error {
	for _, name := range buckets() {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// addAccessControl is the v1 → v2 step: it creates the roles, accounts
// and audit buckets and stores the built-in roles, so that a site has an
// administrator role to give its first account. A new file goes through
// this step too (0 → 1 → 2), which is how it gets the built-in roles. A
// role already stored under a built-in id is kept as it is: it may have
// been edited on purpose.
func addAccessControl(btx *bolt.Tx) error {
	if err := createBuckets(btx); err != nil {
		return err
	}
	roles := btx.Bucket([]byte(core.KindRole))
	for _, r := range core.BuiltinRoles() {
		if roles.Get([]byte(r.ID)) != nil {
			continue
		}
		data, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode role %q: %w", r.ID, err)
		}
		if err := roles.Put([]byte(r.ID), data); err != nil {
			return fmt.Errorf("seed role %q: %w", r.ID, err)
		}
	}
	return nil
}

// indexPhones is the v2 → v3 step: it files every stored person in
// people_by_phone, in key order (see pending.go for why).
func indexPhones(btx *bolt.Tx) error {
	if err := createBuckets(btx); err != nil {
		return err
	}
	var keys [][]byte
	err := btx.Bucket([]byte(core.KindPerson)).ForEach(func(id, data []byte) error {
		var p struct {
			Phone string `json:"phone"`
		}
		if json.Unmarshal(data, &p) != nil {
			return nil // Verify reports it; it holds no number anyway
		}
		if k := core.PhoneKey(p.Phone); k != "" && !bytes.Contains(id, []byte(sep)) {
			keys = append(keys, joinKey(k, string(id)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(keys, bytes.Compare)
	index := btx.Bucket(bucketPeopleByPhone)
	for _, k := range keys {
		if err := index.Put(k, empty); err != nil {
			return fmt.Errorf("index phones: %w", err)
		}
	}
	return nil
}

// migrate runs the migrations the file needs, in one transaction.
func (db *DB) migrate() error {
	return db.bolt.Update(func(btx *bolt.Tx) error {
		v, err := schemaOf(btx)
		if err != nil {
			return err
		}
		if v > currentSchema {
			return fmt.Errorf("%w: file has schema %d, this Frontdesk knows up to %d: use a newer Frontdesk",
				ErrNewerSchema, v, currentSchema)
		}
		for ; v < currentSchema; v++ {
			db.log.Info("migrating database", "path", db.path, "from", v, "to", v+1)
			if err := migrations[v](btx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		if err := createBuckets(btx); err != nil {
			return err
		}
		return btx.Bucket(bucketMeta).Put(keySchema, u64(currentSchema))
	})
}

// schemaOf returns the file's schema version: 0 for a new file. A file
// without a version that holds buckets of its own is not a Frontdesk file,
// and migrating it would mix two programs' data.
func schemaOf(btx *bolt.Tx) (uint64, error) {
	if meta := btx.Bucket(bucketMeta); meta != nil {
		if v := meta.Get(keySchema); v != nil {
			if len(v) != 8 {
				return 0, fmt.Errorf("meta/schema: %d bytes, want 8", len(v))
			}
			return binary.BigEndian.Uint64(v), nil
		}
	}
	known := map[string]bool{}
	for _, name := range buckets() {
		known[string(name)] = true
	}
	return 0, btx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if !known[string(name)] {
			return fmt.Errorf("not a Frontdesk database: no schema version and a bucket %q", name)
		}
		return nil
	})
}

// u64 encodes v big-endian.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
