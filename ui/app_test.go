package ui

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

func TestAppHeader(t *testing.T) {
	fa := test.NewTempApp(t)
	e, c := newEngine(t)
	// One event yesterday, two today before the window opens.
	c.now = c.now.AddDate(0, 0, -1)
	tap(t, e, "main-in", "em:0102B0A5FD")
	c.now = c.now.AddDate(0, 0, 1)
	tap(t, e, "main-in", "em:0102B0A5FD")
	tap(t, e, "main-in", "em:0A00000001")

	ui := make(uiThread, 64)
	a := newApp(fa, e, Options{Actor: core.CommandLine("test"), Log: slog.New(slog.DiscardHandler)}, ui.do)
	t.Cleanup(a.bridge.close)

	if got, want := a.window.Title(), "Frontdesk — Test HQ"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got := a.header.site.Text; got != "Test HQ" {
		t.Errorf("header site %q, want Test HQ", got)
	}
	if got := a.header.today.Text; got != "2 events today" {
		t.Errorf("header %q, want 2 events today", got)
	}
	// Yesterday's tap left Ann in; today's first tap checked her out at
	// yesterday's close first: an auto_checkout row.
	if n := len(shownRows(a.window)); n != 4 {
		t.Errorf("feed has %d rows, want 4", n)
	}

	tap(t, e, "desk", "em:0102B0A5FD")
	ui.until(t, "3 events today", func() bool { return a.header.today.Text == "3 events today" })

	// The next day starts the count again.
	c.now = c.now.Add(24 * time.Hour)
	tap(t, e, "desk", "em:0A00000001")
	ui.until(t, "1 event today", func() bool { return a.header.today.Text == "1 event today" })
	// A row is two lines or more: six are all in sight on a laptop.
	a.window.Resize(laptop)
	ui.until(t, "6 rows", func() bool { return len(shownRows(a.window)) == 6 })
}

func TestAppRunStopsOnStart(t *testing.T) {
	// The test window's ShowAndRun returns at once, as a real one does when
	// the window is closed: Run must cancel OnStart's context and wait.
	fa := test.NewTempApp(t)
	e, _ := newEngine(t)
	started, stopped := make(chan struct{}), make(chan struct{})
	opts := Options{Actor: core.CommandLine("test"), OnStart: func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // a reader closing its port
		close(stopped)
	}}
	a := newApp(fa, e, opts, make(uiThread, 64).do)
	done := make(chan struct{})
	go func() {
		a.Run(context.Background())
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	select {
	case <-started:
	default:
		t.Fatal("OnStart did not run")
	}
	select {
	case <-stopped:
	default:
		t.Error("Run returned before OnStart did")
	}
}
