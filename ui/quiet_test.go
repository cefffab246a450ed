package ui

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// syncBuffer is a log's output, written from any goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// demoEngine is an engine on the demo site, at 09:30 on a Tuesday.
func demoEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}
	e, err := core.NewEngine(storagetest.MustOpen(t), c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(bytes.NewReader(assets.DemoSite))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(testCLI, f); err != nil {
		t.Fatal(err)
	}
	return e, c
}

// TestEveryPageQuietForEveryDemoAccount: each demo account (admin,
// manager, a door owner, a receptionist) opens every page it has while
// taps come in; the screens ask the engine only for what the account may
// read, so nothing is refused and nothing is logged as a warning.
func TestEveryPageQuietForEveryDemoAccount(t *testing.T) {
	fa := test.NewTempApp(t)
	e, c := demoEngine(t)
	for _, user := range []string{"admin", "manager", "claire", "desk"} {
		t.Run(user, func(t *testing.T) {
			var out syncBuffer
			log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn}))
			actor, err := e.Login(user, "frontdesk-demo")
			if err != nil {
				t.Fatal(err)
			}
			ui := make(uiThread, 1024)
			opts := Options{Log: log, Actor: actor}
			a := &App{fyne: fa, engine: e, opts: opts, pages: allPages(opts), now: c.read}
			a.build(ui.do)
			a.window.Resize(fyne.NewSize(1100, 700))
			defer a.window.Close()
			defer a.bridge.close()
			drain := func() {
				for end := time.After(300 * time.Millisecond); ; {
					select {
					case fn := <-ui:
						fn()
					case <-end:
						return
					}
				}
			}
			ids := a.shell.pageIDs()
			if len(ids) < 2 {
				t.Fatalf("%s has pages %v", user, ids)
			}
			for _, id := range ids {
				a.shell.show(id)
				test.LaidOutObjects(a.window.Content())
				drain()
				// Taps at the main door and at the owner's lab while the
				// page is shown: the feed, the header, presence follow.
				for _, tp := range []core.Tap{{Reader: "main-in", Code: "em:511E7EA419"}, {Reader: "lab-in", Code: "em:0102B0A5FD"}} {
					c.advance(5 * time.Second)
					if _, err := e.Tap(tp); err != nil {
						t.Fatal(err)
					}
				}
				drain()
			}
			if got := out.String(); got != "" {
				t.Errorf("%s on pages %v logged:\n%s", user, ids, got)
			}
		})
	}
}
