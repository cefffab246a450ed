package ui

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/storage/storagetest"
)

// BenchmarkFirstWindow100k is DESIGN §7's window budget: with 100,000
// people (a fifth of them in the building), the time from opening the app
// to its first page drawn for a logged-in manager (the reception: feed,
// device strip, the presence lists started), and separately the time the
// reception's sheet of who is in takes to read in the background.
// Budget: 2 s for the first window.
func BenchmarkFirstWindow100k(b *testing.B) {
	const people = 100_000
	db := storagetest.MustOpen(b)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	err := db.Update(func(tx core.Tx) error {
		if err := tx.PutSite(core.Site{Name: "Scale", Timezone: "Europe/Paris", DeskZone: "office"}.Defaults()); err != nil {
			return err
		}
		for _, z := range []core.Zone{{ID: "outside", Name: "Outside"}, {ID: "office", Name: "Office", Work: true}} {
			if err := tx.Put(core.KindZone, z.ID, z); err != nil {
				return err
			}
		}
		if err := tx.Put(core.KindDoor, "main", core.Door{ID: "main", Name: "Main", From: "outside", To: "office"}); err != nil {
			return err
		}
		for _, dir := range []core.Direction{core.In, core.Out} {
			id := "main-" + string(dir)
			if err := tx.Put(core.KindDevice, id, core.Device{ID: id, Kind: "sim", Door: "main", Direction: dir}); err != nil {
				return err
			}
		}
		for i := range people {
			id := fmt.Sprintf("p%06d", i)
			if err := tx.Put(core.KindPerson, id, core.Person{ID: id, Name: fmt.Sprintf("Person %06d", i)}); err != nil {
				return err
			}
			if i%5 == 0 {
				ev := core.Event{At: at.Add(time.Duration(i) * time.Millisecond), Person: id, Door: "main", Reader: "main-in",
					Direction: core.In, Result: core.Granted, Zone: "office", Explanation: "bench"}
				if err := tx.AppendEvent(&ev); err != nil {
					return err
				}
				if err := tx.PutPresence(core.Presence{Person: id, Zone: "office", Since: ev.At, Seq: ev.Seq}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	e, err := core.NewEngine(db, func() time.Time { return at.Add(time.Hour) }, nil)
	if err != nil {
		b.Fatal(err)
	}
	fa := test.NewTempApp(b)
	// The window on the engine in its process, and as a client of the
	// service on its Unix socket (budget: 2 s either way).
	dir := b.TempDir()
	ln, err := httpapi.Listen(filepath.Join(dir, "api.sock"), -1)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		httpapi.NewServer(e, httpapi.Options{}).Serve(ctx, ln, httpapi.PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: -1})
	}()
	defer func() { cancel(); <-served }()
	client, err := httpapi.DialUnix(filepath.Join(dir, "api.sock"))
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	for _, via := range []struct {
		name string
		api  core.API
	}{{"in-process", e}, {"unix-socket", client}} {
		b.Run(via.name, func(b *testing.B) {
			var window, sheet time.Duration
			for b.Loop() {
				start := time.Now()
				ui := make(uiThread, 1024)
				a := newApp(fa, via.api, Options{Actor: core.CommandLine("bench"), Log: slog.New(slog.DiscardHandler)}, ui.do)
				a.window.Resize(fyne.NewSize(1100, 700))
				test.LaidOutObjects(a.window.Content())
				window += time.Since(start)
				a.bridge.close()
				a.window.Close()

				start = time.Now()
				s, err := via.api.AttendanceSheet(core.CommandLine("bench"), time.Time{}, "")
				if err != nil {
					b.Fatal(err)
				}
				sheet += time.Since(start)
				if len(s.In) != people/5 {
					b.Fatalf("%d people in, want %d", len(s.In), people/5)
				}
			}
			b.ReportMetric(float64(window.Milliseconds())/float64(b.N), "ms/first-window")
			b.ReportMetric(float64(sheet.Milliseconds())/float64(b.N), "ms/presence-sheet")
		})
	}
}
