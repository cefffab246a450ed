package natslink_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
	"frontdesk/core/natslink"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// plainHub is a NATS server with JetStream on loopback and no
// authentication (the hub's permissions are tested with the hub), its
// store in dir; started again on the same dir and port it keeps its
// streams.
type plainHub struct {
	dir  string
	port int
	srv  *server.Server
}

func startPlainHub(t testing.TB, dir string, port int) *plainHub {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true,
		StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	return &plainHub{dir: dir, port: srv.Addr().(*net.TCPAddr).Port, srv: srv}
}

func (h *plainHub) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", h.port) }

func (h *plainHub) stop() {
	h.srv.Shutdown()
	h.srv.WaitForShutdown()
}

// connectPlain connects to h, reconnecting for ever, and returns its
// JetStream with the streams made.
func connectPlain(t testing.TB, h *plainHub) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(h.url(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := natslink.EnsureStreams(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	return js
}

// siteEngine is an engine on a new database with site imported.
func siteEngine(t testing.TB, site string) *core.Engine {
	t.Helper()
	return engineOn(t, storagetest.MustOpen(t), site)
}

// engineOn is siteEngine on the database db.
func engineOn(t testing.TB, db *storage.DB, site string) *core.Engine {
	t.Helper()
	e, err := core.NewEngine(db, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	importInto(t, e, site)
	return e
}

func importInto(t testing.TB, e *core.Engine, site string) {
	t.Helper()
	f, err := core.ReadSiteFile(strings.NewReader(site))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(core.CommandLine("test"), f); err != nil {
		t.Fatal(err)
	}
}

const (
	hqSite = `{
  "site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["hq-main", "lyon-main"]}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff"}],
  "people": [{"id": "ann", "name": "Ann Martin", "department": "sales", "cards": ["em:0102B0A5FD"]}]
}`
	lyonSite = `{
  "site": {"name": "Lyon", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lyon", "name": "Lyon", "work": true}],
  "doors": [{"id": "lyon-main", "name": "Lyon main", "from": "outside", "to": "lyon"}],
  "devices": [{"id": "lyon-in", "kind": "sim", "door": "lyon-main", "direction": "in"}]
}`
)

// company is a central site hq and a branch lyon that know each other's
// doors (what the sites bucket carries, given here directly).
func company(t testing.TB) (hq, lyon *core.Engine) {
	t.Helper()
	hq = siteEngine(t, `{"site": {"name": "HQ", "timezone": "Europe/Paris"}}`)
	lyon = siteEngine(t, lyonSite)
	hq.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	lyon.SetFederation(core.Federation{Site: "lyon", Central: "hq"})
	if _, err := hq.ApplySiteObjects("lyon", []core.Zone{{ID: "lyon", Name: "Lyon", Work: true}},
		[]core.Door{{ID: "lyon-main", Name: "Lyon main", From: "outside", To: "lyon"}}); err != nil {
		t.Fatal(err)
	}
	importInto(t, hq, hqSite)
	if _, err := lyon.ApplySiteObjects("hq", []core.Zone{{ID: "hq", Name: "HQ", Work: true}},
		[]core.Door{{ID: "hq-main", Name: "HQ main", From: "outside", To: "hq"}}); err != nil {
		t.Fatal(err)
	}
	return hq, lyon
}

// tapAt is the result of card at the branch's reader lyon-in, each tap
// a minute after the one before (no debounce).
func tapAt(t testing.TB, lyon *core.Engine, card string) core.Result {
	t.Helper()
	tapClock = tapClock.Add(time.Minute)
	ev, err := lyon.Tap(core.Tap{Reader: "lyon-in", Code: card, At: tapClock})
	if err != nil {
		t.Fatal(err)
	}
	return ev.Result
}

var tapClock = time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)

// directoryJSON is the directory part of e's site file.
func directoryJSON(t testing.TB, e *core.Engine) string {
	t.Helper()
	f, err := e.Export(core.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(f.People, f.Departments, f.AccessLevels, f.Schedules, f.Shifts, f.Holidays, f.Roles, f.Accounts)
}

// TestDirectoryThroughTheHub: a person enrolled at the central site opens
// the branch's door once the hub has carried the change; with the hub
// down the branch keeps deciding, the central site keeps changing, and
// once the hub is back the branch catches up, also after its link
// restarted, and ends with the central site's directory.
func TestDirectoryThroughTheHub(t *testing.T) {
	hq, lyon := company(t)
	dir := t.TempDir()
	hub := startPlainHub(t, dir, -1)
	js := connectPlain(t, hub)
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go natslink.PublishDirectory(ctx, js, hq, log)
	followCtx, stopFollowing := context.WithCancel(ctx)
	go natslink.FollowDirectory(followCtx, js, lyon, log)

	eventually(t, 20*time.Second, "Ann's card at the branch", func() bool { return tapAt(t, lyon, "em:0102B0A5FD") == core.Granted })
	cmd := core.CommandLine("test")
	if _, err := hq.AddPerson(cmd, core.Person{ID: "paul", Name: "Paul", Department: "sales"}); err != nil {
		t.Fatal(err)
	}
	if _, err := hq.EnrollCard(cmd, "paul", "em:0A0000AA01"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "Paul's new card at the branch", func() bool { return tapAt(t, lyon, "em:0A0000AA01") == core.Granted })

	// The hub down: the branch decides alone; the central site changes on.
	hub.stop()
	if r := tapAt(t, lyon, "em:0A0000AA01"); r != core.Granted {
		t.Fatalf("with the hub down: %s, want granted", r)
	}
	if _, err := hq.SetCardState(cmd, "em:0A0000AA01", core.CardLost); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if _, err := hq.AddPerson(cmd, core.Person{ID: fmt.Sprint("p", i), Name: fmt.Sprint("Person ", i), Department: "sales"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := hq.DeletePerson(cmd, "ann"); err != nil {
		t.Fatal(err)
	}
	stopFollowing() // and the branch's link restarts meanwhile
	hub = startPlainHub(t, dir, hub.port)
	defer hub.stop()
	go natslink.FollowDirectory(ctx, js, lyon, log)

	eventually(t, 20*time.Second, "the branch caught up", func() bool { return directoryJSON(t, lyon) == directoryJSON(t, hq) })
	if r := tapAt(t, lyon, "em:0A0000AA01"); r == core.Granted {
		t.Errorf("Paul's lost card at the branch after the outage: %s", r)
	}
	if r := tapAt(t, lyon, "em:0102B0A5FD"); r != core.DeniedUnknownCard {
		t.Errorf("deleted Ann's card at the branch after the outage: %s, want denied_unknown_card", r)
	}
	published, _ := hq.Mark(natslink.MarkDirectoryPublished)
	applied, _ := lyon.Mark(natslink.MarkDirectoryApplied)
	if published == 0 || applied == 0 {
		t.Errorf("marks: published %d, applied %d; want both moved", published, applied)
	}
}

// TestDirectoryRefusedAtTheBranch: the branch's own attempt to change the
// directory is refused, naming the central site, and the hub's copy is
// untouched.
func TestDirectoryRefusedAtTheBranch(t *testing.T) {
	_, lyon := company(t)
	_, err := lyon.AddPerson(core.CommandLine("test"), core.Person{ID: "x", Name: "X"})
	var ce *core.CentralError
	if !errors.As(err, &ce) || ce.Central != "hq" {
		t.Fatalf("a person added at the branch: %v, want refused naming hq", err)
	}
}
