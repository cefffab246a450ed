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
//	                  checkpoints (chain.go), made with the database (schema 4)
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
//	site_events:      site + \x00 + BE uint64 seq → JSON core.Event, the
//	                  events of other sites (siteevents.go); Open adds the
//	                  bucket to a file that lacks it, without a new schema
//	site_presence:    site → JSON core.SitePresence, the latest presence of
//	                  each other site (sitepresence.go); added like site_events
//
// Schema 1 is the first layout; schema 2 added the roles, accounts and
// audit buckets and the audit_last_* keys, and seeds core.BuiltinRoles;
// schema 3 added people_by_phone, built from the stored people; schema 4
// added meta's site_id; schema 5 gave the built-in receptionist role the
// feed, the devices and "Open now" when it was not edited.
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
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	// ReadOnly opens the file for reading only, with a lock other
	// read-only opens share (a read-write open waits for them, and they
	// for it): for what only reads, and works on a full disk, in a
	// read-only folder or on a file this user cannot write. The file must
	// exist. Writes fail; Verify checks the file in place.
	ReadOnly bool
}

// initialMap is the mapping a writable database starts with: 1 GiB on
// 64-bit systems, bbolt's default (grown as needed) elsewhere, where
// address space is scarce.
const initialMap = (strconv.IntSize / 64) << 30

// growStep is how much the file grows by when its pages are all used:
// each growth is one more sync in the commit that needs it.
const growStep = 1 << 20

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = 2 * time.Second

// DB is a Frontdesk database file. It is safe for concurrent use.
type DB struct {
	bolt     *bolt.DB
	commit   committer
	path     string
	log      *slog.Logger
	readOnly bool

	// writers is held shared by every write transaction, and exclusively
	// by a Verify that checks the file in place (see Verify).
	writers sync.RWMutex

	mu     sync.Mutex
	closed bool
	// broken is set when a commit failed half-way on a damaged page: the
	// file is then left as it is, and every later write refused with it.
	broken error
	// quarantine holds the buckets whose pages bbolt must not walk, by
	// name (see checkDescent); set by Open, then only read.
	quarantine map[string]error
}

var _ core.Store = (*DB)(nil)

// Open opens the database at path, and brings its layout up to the
// current schema. Only a path where no file exists is made a new
// database, with its folder if needed; the file is written whole beside
// it first, so that no crash leaves a half-made one. If another Frontdesk
// holds the file, Open gives up after opts.Timeout with an error matching
// ErrInUse; a file from a newer Frontdesk gives ErrNewerSchema. An empty
// file, a file that is not a bbolt file or another program's bbolt file,
// and a damaged file give an error matching ErrDamaged and are left as
// they are.
func Open(path string, opts Options) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	_, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.ReadOnly:
		return nil, fmt.Errorf("open database: %s does not exist", path)
	case errors.Is(err, fs.ErrNotExist):
		if err := create(path, opts); err != nil {
			return nil, fmt.Errorf("create database %s: %w", path, err)
		}
	case err != nil:
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := open(path, opts, false)
	if errors.Is(err, errNeedsUpgrade) {
		// Read-only, the file cannot be brought up to date: do it with
		// a read-write open if this user may, then read it.
		rw := opts
		rw.ReadOnly = false
		up, upErr := open(path, rw, false)
		if upErr != nil {
			return nil, fmt.Errorf("open database %s: it needs an upgrade, which failed: %w", path, upErr)
		}
		if err := up.Close(); err != nil {
			return nil, err
		}
		db, err = open(path, opts, false)
	}
	if err != nil {
		return nil, err
	}
	if !db.readOnly {
		// A Verify or a creation cut short by a crash leaves its file
		// behind; one still in use is locked and stays.
		removeLeftovers(filepath.Dir(path), verifyPattern(path))
		removeLeftovers(filepath.Dir(path), newPattern(path))
	}
	db.log.Info("database open", "path", path, "read_only", db.readOnly)
	return db, nil
}

// errNeedsUpgrade is a file opened read-only at an older schema.
var errNeedsUpgrade = errors.New("the database needs an upgrade")

// open opens the existing file at path; fresh says it is a new file that
// create is making, which migrate takes from schema 0.
func open(path string, opts Options, fresh bool) (*DB, error) {
	if !fresh {
		if err := precheck(path); err != nil {
			return nil, err
		}
	}
	var file *os.File
	bopts := &bolt.Options{
		Timeout:  opts.Timeout,
		NoSync:   opts.NoSync,
		ReadOnly: opts.ReadOnly,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			// Never create here: create makes new files whole.
			f, err := os.OpenFile(name, flag&^os.O_CREATE, perm)
			file = f
			return f, err
		},
	}
	if !opts.ReadOnly {
		// bbolt maps the file anew when it outgrows its mapping, and that
		// waits for every read in progress to end: a tap's commit would
		// wait for a long report. Mapped large from the start, the file
		// grows without a new mapping (it costs address space only).
		bopts.InitialMmapSize = initialMap
	}
	db := &DB{path: path, log: opts.Logger, readOnly: opts.ReadOnly}
	db.commit.write = db.write
	returned := false
	err := db.contain(func() error {
		var err error
		db.bolt, err = bolt.Open(path, 0o600, bopts)
		returned = true
		return err
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &inUseError{path: path}
	case !returned:
		// bbolt panicked half-way: it still holds the file, and its lock.
		if file != nil {
			if _, precise := inspect(path, file); precise != nil {
				err = precise
			}
			_ = file.Close()
		}
		return nil, err
	case err != nil:
		if f, ferr := os.Open(path); ferr == nil {
			_, precise := inspect(path, f)
			f.Close()
			if precise != nil {
				return nil, precise
			}
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Mapped large, bbolt would grow the file 16 MiB at a time from the
	// start: a new site would take 16 MiB. It grows it a step at a time.
	db.bolt.AllocSize = growStep
	// With the lock held no Frontdesk writes the file: what its pages say
	// can be trusted to stay.
	if !fresh {
		l, err := inspect(path, file)
		if err == nil {
			db.quarantine, err = checkDescent(path, file, l)
		}
		if err == nil && db.quarantine[string(bucketMeta)] != nil {
			err = db.quarantine[string(bucketMeta)]
		}
		if err != nil {
			_ = db.bolt.Close()
			return nil, err
		}
		for name, err := range db.quarantine {
			db.log.Error("damaged bucket: what reads it is refused", "path", path, "bucket", name, "err", err)
		}
	}
	if err := db.contain(func() error { return db.migrate(fresh) }); err != nil {
		_ = db.bolt.Close()
		if errors.Is(err, errNeedsUpgrade) || isDamaged(err) {
			return nil, err
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// precheck refuses, before bbolt opens it, a file that is not a Frontdesk
// database: bbolt would make an empty file a new database, and rebuild the
// free list of a file written without one (which Frontdesk never does)
// on a goroutine where a damaged page is a crash. Damage is looked for
// once the file is locked: without the lock, a Frontdesk writing it could
// make a page look damaged.
func precheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return notDatabase(path, "it is a folder")
	}
	_, err = inspect(path, f)
	var de *damagedError
	if errors.As(err, &de) && de.notDB {
		return err
	}
	return nil
}

// create makes a new database at path: in a file beside it, linked into
// place once whole, so that the path holds either nothing or a complete
// database, never an empty file that the next Open would refuse.
func create(path string, opts Options) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, newPattern(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Close(); err != nil {
		return err
	}
	// bbolt makes the empty temporary file a database.
	bopts := &bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync}
	bdb, err := bolt.Open(tmp, 0o600, bopts)
	if err != nil {
		return err
	}
	_ = bdb.Close()
	db, err := open(tmp, opts, true)
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	switch err := os.Link(tmp, path); {
	case errors.Is(err, fs.ErrExist):
		return nil // made meanwhile by another Frontdesk: open that one
	case err != nil:
		// A file system without hard links: rename, which would replace
		// a file made meanwhile, so look first.
		if _, serr := os.Stat(path); serr == nil {
			return nil
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	opts.Logger.Info("database created", "path", path)
	return syncDir(dir)
}

// newPattern names the files create makes beside the database at path,
// for os.CreateTemp and filepath.Glob.
func newPattern(path string) string {
	return "." + filepath.Base(path) + ".new-*"
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

// View runs fn in a read-only transaction. A damaged page gives an error
// matching ErrDamaged.
func (db *DB) View(fn func(core.Tx) error) error {
	return db.contain(func() error {
		return db.bolt.View(func(btx *bolt.Tx) error { return fn(&tx{btx: btx, quarantine: db.quarantine}) })
	})
}

// Update runs fn in a read-write transaction, committed with fsync when fn
// returns nil. A damaged page gives an error matching ErrDamaged.
func (db *DB) Update(fn func(core.Tx) error) error {
	return db.write(func(btx *bolt.Tx) error { return withTx(btx, db.quarantine, fn) })
}

// Batch runs fn in a read-write transaction shared with concurrent Batch
// callers (group commit, see committer): one fsync for all. fn may run
// more than once: when a shared transaction fails, each call is run again
// in a transaction of its own.
func (db *DB) Batch(fn func(core.Tx) error) error {
	return db.commit.batch(func(btx *bolt.Tx) error { return withTx(btx, db.quarantine, fn) })
}

// write runs fn in a write transaction of its own and commits it. It is
// bbolt's DB.Update but for a panic: a panic in fn rolls back as an error
// does; one in the commit, which may have written pages, rolls back what
// is in memory without reading the file again (bbolt's own rollback
// rereads the free list, and a second panic there would keep the write
// lock forever) and leaves the file as it is: every later write is
// refused, reads go on.
func (db *DB) write(fn func(*bolt.Tx) error) error {
	if err := db.brokenErr(); err != nil {
		return err
	}
	db.writers.RLock()
	defer db.writers.RUnlock()
	var btx *bolt.Tx
	committing := false
	err := db.contain(func() error {
		var err error
		if btx, err = db.bolt.Begin(true); err != nil {
			return err
		}
		if err := fn(btx); err != nil {
			_ = btx.Rollback()
			return err
		}
		committing = true
		return btx.Commit()
	})
	if btx != nil && btx.DB() != nil {
		// A panic left the transaction open.
		_ = btx.Rollback()
		if committing {
			db.mu.Lock()
			db.broken = err
			db.mu.Unlock()
			db.log.Error("database left unchanged after a failed commit: writes refused", "path", db.path, "err", err)
		}
	}
	return err
}

// brokenErr is the error that stopped writes, or nil.
func (db *DB) brokenErr() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.broken
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
		bucketPresence, bucketLastDecision, bucketAudit, bucketPeopleByPhone, bucketSiteEvents, bucketSiteEventsByPerson, bucketSitePresence)
}

// migrations[v] brings a file from schema v to v+1; schema 0 is a new,
// empty file. A later layout appends its step here: the slice's length is
// the current schema.
var migrations = []func(*bolt.Tx) error{
	0: createBuckets,     // v1: the first layout
	1: addAccessControl,  // v2: roles, accounts and the audit trail
	2: indexPhones,       // v3: people by phone number
	3: addSiteID,         // v4: the site's identity, for signed checkpoints
	4: widenReceptionist, // v5: the built-in receptionist follows the feed and the devices, opens doors
	5: createBuckets,     // v6: the corrections of time banks
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

// widenReceptionist is the v4 → v5 step: the built-in receptionist role
// gains the live feed, the devices' health and "Open now"
// (core.ReceptionistPermissions), when it still holds exactly what it
// held before (core.ReceptionistPermissionsBefore5). A role edited on
// purpose, or none, is left as it is.
func widenReceptionist(btx *bolt.Tx) error {
	roles := btx.Bucket([]byte(core.KindRole))
	data := roles.Get([]byte(core.RoleReceptionist))
	if data == nil {
		return nil
	}
	var r core.Role
	if json.Unmarshal(data, &r) != nil {
		return nil // Verify reports it
	}
	had, before := slices.Clone(r.Permissions), core.ReceptionistPermissionsBefore5()
	slices.Sort(had)
	slices.Sort(before)
	if !slices.Equal(had, before) {
		return nil
	}
	r.Permissions = core.ReceptionistPermissions()
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode role %q: %w", r.ID, err)
	}
	return roles.Put([]byte(r.ID), data)
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

// migrate runs the migrations the file needs, in one transaction. A file
// at the current schema with all its buckets is not written to: opening
// must work on a full disk, and read-only. fresh says the file is a new
// one that create is making; any other file without a schema version is
// not a Frontdesk database.
func (db *DB) migrate(fresh bool) error {
	var v uint64
	current := false
	err := db.bolt.View(func(btx *bolt.Tx) error {
		var err error
		if v, err = schemaOf(db.path, btx, fresh); err != nil {
			return err
		}
		current = v == currentSchema && !missingBuckets(btx)
		return nil
	})
	switch {
	case err != nil:
		return err
	case v > currentSchema:
		return fmt.Errorf("%w: file has schema %d, this Frontdesk knows up to %d: use a newer Frontdesk",
			ErrNewerSchema, v, currentSchema)
	case current:
		return nil
	case db.readOnly:
		return errNeedsUpgrade
	}
	for _, err := range db.quarantine {
		return err // a migration reads buckets whole
	}
	return db.bolt.Update(func(btx *bolt.Tx) error {
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

// missingBuckets reports whether a bucket of the current schema is
// missing: a file from a Frontdesk that did not have it yet.
func missingBuckets(btx *bolt.Tx) bool {
	for _, name := range buckets() {
		if btx.Bucket(name) == nil {
			return true
		}
	}
	return false
}

// schemaOf returns the file's schema version: 0 for the new file create
// makes (fresh). Any other file without a version is not a Frontdesk
// file, and migrating it would mix two programs' data.
func schemaOf(path string, btx *bolt.Tx, fresh bool) (uint64, error) {
	if meta := btx.Bucket(bucketMeta); meta != nil {
		if v := meta.Get(keySchema); v != nil {
			if len(v) != 8 {
				return 0, damaged(path, "meta/schema: %d bytes, want 8", len(v))
			}
			return binary.BigEndian.Uint64(v), nil
		}
	}
	known := map[string]bool{}
	for _, name := range buckets() {
		known[string(name)] = true
	}
	err := btx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if !known[string(name)] {
			return notDatabase(path, "no schema version, and a bucket %q", name)
		}
		return nil
	})
	if err == nil && !fresh {
		err = notDatabase(path, "a bbolt file without a Frontdesk schema version")
	}
	return 0, err
}

// u64 encodes v big-endian.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
