package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// peopleSite is the site of the people, access and staff tests: ids that
// a path would misread ("." and ".."), a card code with spaces, a
// receptionist (rita) and an admin account, a door owned by bob.
const peopleSite = `{
  "site": {"name": "API HQ", "timezone": "Europe/Paris", "desk_zone": "office"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "lab", "name": "Lab", "work": true}],
  "schedules": [{"id": "office-hours", "name": "Office hours", "holidays": "closed",
                 "week": {"mon": ["07:00-20:00"], "tue": ["07:00-20:00"], "wed": ["07:00-20:00"]}}],
  "holidays": [{"date": "2026-12-25", "name": "Christmas"}, {"date": "2027-01-01", "name": "New Year"}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-12:30", "13:30-17:30"]}},
             {"id": "night", "name": "Night", "week": {"tue": ["22:00-06:00"]}}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "office"},
            {"id": "lab", "name": "Lab", "from": "office", "to": "lab", "owners": ["bob"]}],
  "devices": [{"id": "main-in", "kind": "usb-wedge", "vid": "ffff", "pid": "0035", "door": "main", "direction": "in"},
              {"id": "desk", "kind": "serial-rdm6300", "port": "/dev/ttyS9", "desk": true}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["main"], "schedule": "office-hours"}]},
                    {"id": "lab", "name": "Lab", "rules": [{"doors": ["main", "lab"]}]},
                    {"id": "none", "name": "Nothing", "rules": []}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "staff", "shift": "day"},
                  {"id": ".", "name": "Dot"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "phone": "+33 6 12 34 56 78", "department": "staff",
     "cards": ["em:0102B0A5FD", {"code": "dec:3618087884", "from": "2026-11-02", "until": "2026-12-31"}]},
    {"id": "bob", "name": "Bob Boss", "department": "staff", "access_levels": ["lab"], "cards": ["em:3C00423C15"]},
    {"id": "elodie", "name": "Élodie Durand", "department": "staff", "phone_checkin": false, "started": "2025-01-06"},
    {"id": "rita", "name": "Rita Desk", "department": "staff", "cards": ["uid:04 A2 2B 1A"]},
    {"id": "old", "name": "Old Timer", "active": false, "cards": [{"code": "em:0D0D0D0D0D", "state": "lost"}]},
    {"id": "..", "name": "Dot Dot", "department": "."},
    {"id": "keep", "name": "Keep Cards", "cards": ["em:0E0E0E0E0E"]}],
  "grants": [
    {"person": "ann", "door": "lab", "kind": "temporary", "from": "2026-11-23T09:00", "until": "2026-12-05T18:00", "by": "bob"},
    {"person": "elodie", "door": "lab", "kind": "once", "uses": 2, "by": "bob"}],
  "roles": [{"id": "visitors", "name": "Visitors desk", "permissions": ["people.view"]}],
  "accounts": [
    {"username": "admin", "roles": ["admin"], "password_hash": %q},
    {"username": "rita", "person": "rita", "roles": ["receptionist"], "password_hash": %q},
    {"username": "viv", "roles": ["visitors"], "password_hash": %q}]
}`

// The passwords of peopleSite's accounts.
const (
	adminPassword      = "admin password 1"
	peopleRitaPassword = "rita password 1"
	vivPassword        = "viv password 1"
)

// peopleSiteFile is peopleSite with its accounts' password hashes, made
// once: each costs tens of milliseconds, and every test imports the site
// more than once.
var peopleSiteFile = sync.OnceValues(func() (string, error) {
	var hashes []any
	for _, pw := range []string{adminPassword, peopleRitaPassword, vivPassword} {
		h, err := core.HashPassword(pw)
		if err != nil {
			return "", err
		}
		hashes = append(hashes, h)
	}
	return fmt.Sprintf(peopleSite, hashes...), nil
})

// peopleNow is the clock of every engine of these tests: Tuesday
// 24 November 2026, 10:00 in Paris.
var peopleNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// vicCard is stored for vic without the enrolment checks, as a database
// written before they existed holds it: it reads as bob's em:3C00423C15
// on the main door's keyboard wedge (the same low 32 bits), so the site
// has an ambiguous pair.
const vicCard = "em:4B00423C15"

// newPeopleEngine imports peopleSite into a new bbolt file and adds vic
// and their ambiguous card.
func newPeopleEngine(t *testing.T) *core.Engine {
	t.Helper()
	site, err := peopleSiteFile()
	if err != nil {
		t.Fatal(err)
	}
	db := storagetest.MustOpen(t)
	e := coretest.SiteEngineOn(t, db, site, func() time.Time { return peopleNow })
	storePeopleVic(t, db)
	return e
}

func storePeopleVic(t *testing.T, db *storage.DB) {
	t.Helper()
	err := db.Update(func(tx core.Tx) error {
		vic := core.Person{ID: "vic", Name: "Vic Visitor", Started: core.Date{Year: 2026, Month: 11, Day: 2}}
		if err := tx.Put(core.KindPerson, vic.ID, vic); err != nil {
			return err
		}
		return tx.Put(core.KindCard, vicCard, core.Card{Code: vicCard, Person: "vic", State: core.CardActive})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// peopleSockets are the two sockets one server of an engine answers on:
// owner's callers act as the command line, stranger's must log in.
type peopleSockets struct {
	owner, stranger string
}

// servePeople serves e until the test ends, on two Unix sockets in a
// temporary folder. The stranger socket's policy makes nobody the command
// line: the file's owner and group match no one (when the test runs as
// root, who is always the command line on a Unix socket, the policy of a
// TLS listener).
func servePeople(t *testing.T, e *core.Engine) peopleSockets {
	t.Helper()
	dir := t.TempDir()
	socks := peopleSockets{owner: filepath.Join(dir, "owner.sock"), stranger: filepath.Join(dir, "stranger.sock")}
	owner := PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: os.Getgid()}
	stranger := PeerPolicy{Unix: true, OwnerUID: -2, GroupGID: -2}
	if os.Getuid() == 0 {
		stranger = PeerPolicy{}
	}
	s := NewServer(e, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	var served []chan error
	for _, l := range []struct {
		path   string
		policy PeerPolicy
	}{{socks.owner, owner}, {socks.stranger, stranger}} {
		ln, err := Listen(l.path, -1)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx, ln, l.policy) }()
		served = append(served, done)
	}
	t.Cleanup(func() {
		cancel()
		for _, done := range served {
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	})
	return socks
}

// dialPeople connects a client to sock, closed when the test ends (before
// the server stops).
func dialPeople(t *testing.T, sock string) *Client {
	t.Helper()
	c, err := DialUnix(sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// peopleCommandLine is the actor the service makes of this test's process
// on the owner socket.
func peopleCommandLine(t *testing.T) core.Actor {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return core.CommandLine(u.Username)
}

// peopleAnswer is an answer read by peopleRawCall.
type peopleAnswer struct {
	status int
	body   []byte
	err    *Error // the error answered, if any
}

// peopleRawCall sends one request over the socket with a plain HTTP client:
// what any program may send, whatever the Client does. token, when not
// "", is a session's.
func peopleRawCall(t *testing.T, sock, method, path, token, body string) peopleAnswer {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://frontdesk"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := peopleAnswer{status: resp.StatusCode, body: b}
	var e struct {
		Error *Error `json:"error"`
	}
	if resp.StatusCode != http.StatusOK && json.Unmarshal(b, &e) == nil {
		a.err = e.Error
	}
	return a
}

// peopleRawLogin logs in over the socket and returns the session's token.
func peopleRawLogin(t *testing.T, sock, username, password string) string {
	t.Helper()
	b, _ := json.Marshal(LoginRequest{Username: username, Password: password})
	a := peopleRawCall(t, sock, http.MethodPost, "/v1/login", "", string(b))
	var r LoginReply
	if a.status != http.StatusOK || json.Unmarshal(a.body, &r) != nil {
		t.Fatalf("login %s: %d %s", username, a.status, a.body)
	}
	return r.Token
}

// peopleSameError checks that the error through the service (got) is the
// engine's (want) as a caller sees it: the same message, the kind the
// engine's error maps to, no sentinel matched that the engine's does
// not match, and the same core.ForbiddenError.
func peopleSameError(t *testing.T, got, want error) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Errorf("error %v, want %v", got, want)
		return
	}
	if got == nil {
		return
	}
	if got.Error() != want.Error() {
		t.Errorf("error %q, want %q", got, want)
	}
	var we *Error
	if !errors.As(got, &we) {
		t.Errorf("error %v is a %T, want an *Error", got, got)
		return
	}
	if k := wireError(want).Kind; we.Kind != k {
		t.Errorf("error %q has kind %s, want %s", got, we.Kind, k)
	}
	for _, s := range []error{core.ErrInvalid, core.ErrNotFound, core.ErrForbidden, core.ErrConflict, core.ErrDamaged, core.ErrLogin} {
		if errors.Is(got, s) && !errors.Is(want, s) {
			t.Errorf("error %q matches %v, the engine's does not", got, s)
		}
	}
	if s := peopleSentinel(want); s != nil && !errors.Is(got, s) {
		t.Errorf("error %q does not match %v as the engine's does", got, s)
	}
	// A refusal for a permission names it and the actor, as the engine's.
	var wantF, gotF core.ForbiddenError
	if errors.As(want, &wantF) && (!errors.As(got, &gotF) || gotF != wantF) {
		t.Errorf("error %q: forbidden %+v, the engine's %+v", got, gotF, wantF)
	}
	// A sentence of the engine keeps its format and values.
	var wantP, gotP *core.PhraseError
	if errors.As(want, &wantP) && (!errors.As(got, &gotP) || !reflect.DeepEqual(gotP, wantP)) {
		t.Errorf("error %q: phrase %+v, the engine's %+v", got, gotP, wantP)
	}
}

// peopleSentinel is the sentinel the service answers err as: the first
// of wireError's order that it matches.
func peopleSentinel(err error) error {
	for _, s := range []error{core.ErrDamaged, core.ErrLogin, core.ErrForbidden, core.ErrNotFound, core.ErrConflict, core.ErrInvalid} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}
