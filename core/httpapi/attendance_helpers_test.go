package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// What the helpers of this file build: a real engine on a real bbolt
// file, served on a real Unix socket, and clients dialled on it.

// bobPassword is the password of bob (a boss: doors.view,
// grants.edit.own, logs.view.own) in core/testdata/rich-site.json.
const bobPassword = "bob's long password"

// ritaPassword is the password of rita, a receptionist account the tests
// add.
const ritaPassword = "rita's long password"

// paris is the rich site's time zone.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// t0 is a Monday morning of the rich site: ann and carol work Mondays.
var t0 = time.Date(2026, 11, 23, 8, 55, 0, 0, paris)

// Cards of the rich site.
const (
	annCard   = "em:0102b0a5fd"
	carolCard = "dec:45131262"
)

// testClock is an engine clock the test sets.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// site is an engine on its database.
type site struct {
	engine *core.Engine
	db     *storage.DB
}

// siteOptions say how newSite builds a site.
type siteOptions struct {
	// sync: commit with fsync (the production setting); tests that only
	// need the data skip it.
	sync bool
	// empty: no site file imported.
	empty bool
	// dir is the database's folder; default a new temporary one.
	dir string
}

// newSite opens a database, imports core/testdata/rich-site.json and
// adds rita, a receptionist.
func newSite(t testing.TB, clock func() time.Time, o siteOptions) *site {
	t.Helper()
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	db, err := storage.Open(filepath.Join(o.dir, "frontdesk.db"), storage.Options{NoSync: !o.sync})
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return loadSite(t, db, clock, o)
}

// loadSite makes the engine of db, with the rich site unless o.empty.
func loadSite(t testing.TB, db *storage.DB, clock func() time.Time, o siteOptions) *site {
	t.Helper()
	e, err := core.NewEngine(db, clock, nil)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	if !o.empty {
		b, err := os.ReadFile("../testdata/rich-site.json")
		if err != nil {
			t.Fatal(err)
		}
		f, err := core.ReadSiteFile(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		cli := core.CommandLine("test")
		if err := e.Import(cli, f); err != nil {
			t.Fatalf("import: %v", err)
		}
		if _, err := e.AddAccount(cli, core.AccountInfo{Username: "rita", Roles: []string{core.RoleReceptionist}, Enabled: true}, ritaPassword); err != nil {
			t.Fatalf("add rita: %v", err)
		}
	}
	return &site{engine: e, db: db}
}

// trusted is the policy under which this test's process is the command
// line: it owns the database.
func trusted() PeerPolicy { return PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: -1} }

// stranger is a policy under which this process is a stranger, who must
// log in. As root every Unix peer is the command line, so root's
// stranger is a caller identified as on TLS: by address only.
func stranger() PeerPolicy {
	if os.Getuid() == 0 {
		return PeerPolicy{}
	}
	return PeerPolicy{Unix: true, OwnerUID: -2, GroupGID: -2}
}

// serve serves engine on a new Unix socket under policy until the test
// ends, and returns the socket's path.
func serve(t testing.TB, s *Server, policy PeerPolicy) string {
	t.Helper()
	// Socket paths are short (sun_path): not under t.TempDir, whose name
	// holds the test's.
	dir, err := os.MkdirTemp("", "fdapi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "api.sock")
	ln, err := Listen(path, -1)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, policy) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return path
}

// dial connects a client to the socket at path, closed when the test
// ends.
func dial(t testing.TB, path string) *Client {
	t.Helper()
	c, err := DialUnix(path)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// login dials path and logs in as username.
func login(t testing.TB, path, username, password string) (*Client, core.Actor) {
	t.Helper()
	c := dial(t, path)
	a, err := c.Login(username, password)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return c, a
}

// commandLine is the command line's actor on a trusted socket, as the
// service names it.
func commandLine(t testing.TB, c *Client) core.Actor {
	t.Helper()
	me, err := c.Me()
	if err != nil {
		t.Fatalf("me: %v", err)
	}
	if me.Actor.Kind != core.ActorCommandLine {
		t.Fatalf("got actor %v, want the command line", me.Actor)
	}
	return me.Actor
}

// normalized is v for comparing what the engine returns with what a
// client returns: instants in UTC (times equal with Equal are then
// equal), time zones by name only, unexported fields (the engine's own
// working data, which no caller outside core reads) left out. nil and
// empty slices and maps stay apart.
func normalized(v any) any {
	if v == nil {
		return nil
	}
	return normalize(reflect.ValueOf(v)).Interface()
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	locationType = reflect.TypeFor[*time.Location]()
)

func normalize(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			return reflect.ValueOf(v.Interface().(time.Time).UTC())
		}
		out := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(normalize(v.Field(i)))
			}
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		if v.Type() == locationType {
			return reflect.ValueOf(time.FixedZone(v.Interface().(*time.Location).String(), 0))
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(normalize(v.Elem()))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(normalize(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), normalize(it.Value()))
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(normalize(v.Elem()))
		return out
	}
	return v
}

// sentinels are the core errors a caller tells apart with errors.Is.
var sentinels = []error{core.ErrNotFound, core.ErrInvalid, core.ErrForbidden, core.ErrConflict, core.ErrDamaged, core.ErrLogin}

// sameError says how got (through a client) differs from want (in
// process): "" when both are nil, or both have the same message and
// match the same core sentinels.
func sameError(got, want error) string {
	switch {
	case got == nil && want == nil:
		return ""
	case got == nil || want == nil:
		return fmt.Sprintf("got error %v, want %v", got, want)
	case got.Error() != want.Error():
		return fmt.Sprintf("got error %q, want %q", got, want)
	}
	for _, s := range sentinels {
		if errors.Is(got, s) != errors.Is(want, s) {
			return fmt.Sprintf("error %q: errors.Is(%v) is %v through the client, %v in process", got, s, errors.Is(got, s), errors.Is(want, s))
		}
	}
	return ""
}

// sameValue says how got differs from want once normalized; "" when
// they are equal.
func sameValue(got, want any) string {
	g, w := normalized(got), normalized(want)
	if reflect.DeepEqual(g, w) {
		return ""
	}
	return difference(reflect.ValueOf(g), reflect.ValueOf(w), "")
}

// difference names the first place where got and want differ, and how.
func difference(got, want reflect.Value, path string) string {
	if !got.IsValid() || !want.IsValid() || got.Type() != want.Type() {
		return fmt.Sprintf("%s: got %v, want %v", path, got, want)
	}
	switch got.Kind() {
	case reflect.Struct:
		if got.Type() == timeType {
			break
		}
		for i := range got.NumField() {
			if !got.Type().Field(i).IsExported() {
				continue
			}
			if d := difference(got.Field(i), want.Field(i), path+"."+got.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() != want.IsNil() {
			return fmt.Sprintf("%s: got nil %v, want nil %v", path, got.IsNil(), want.IsNil())
		}
		if got.IsNil() {
			return ""
		}
		return difference(got.Elem(), want.Elem(), path)
	case reflect.Slice:
		if got.IsNil() != want.IsNil() || got.Len() != want.Len() {
			return fmt.Sprintf("%s: got %d items (nil %v), want %d (nil %v): %s, want %s",
				path, got.Len(), got.IsNil(), want.Len(), want.IsNil(), show(got.Interface()), show(want.Interface()))
		}
		for i := range got.Len() {
			if d := difference(got.Index(i), want.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if got.IsNil() != want.IsNil() || got.Len() != want.Len() {
			return fmt.Sprintf("%s: got %s, want %s", path, show(got.Interface()), show(want.Interface()))
		}
		for it := want.MapRange(); it.Next(); {
			if d := difference(got.MapIndex(it.Key()), it.Value(), fmt.Sprintf("%s[%v]", path, it.Key())); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		return fmt.Sprintf("%s: got %#v, want %#v", path, got.Interface(), want.Interface())
	}
	return ""
}

// show prints v for a failure message.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}
