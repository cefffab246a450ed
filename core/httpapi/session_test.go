package httpapi

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
)

// TestSessionsEnd: a session ends at logout, when idle too long, when its
// account is disabled and when its password changes; each ended session
// is refused as unauthorized (401) and its calls change nothing.
func TestSessionsEnd(t *testing.T) {
	s := newSite(t, time.Now, siteOptions{})
	srv := NewServer(s.engine, Options{IdleTimeout: 300 * time.Millisecond})
	path := serve(t, srv, stranger())
	cli := core.CommandLine("test")
	ended := func(c *Client, why string) {
		t.Helper()
		_, err := c.Me()
		var we *Error
		if !errors.As(err, &we) || we.Kind != KindNoSession || !errors.Is(err, core.ErrForbidden) {
			t.Errorf("%s: got %v, want the session ended (unauthorized)", why, err)
		}
	}

	c, _ := login(t, path, "rita", ritaPassword)
	if err := c.Logout(core.Actor{}); err != nil {
		t.Fatal(err)
	}
	ended(c, "after logout")

	c, a := login(t, path, "rita", ritaPassword)
	for range 4 { // used often enough: alive past the timeout
		time.Sleep(150 * time.Millisecond)
		if _, err := c.Me(); err != nil {
			t.Fatalf("a session in use ended: %v", err)
		}
	}
	time.Sleep(450 * time.Millisecond)
	ended(c, "idle")
	if _, err := c.AddPerson(a, core.Person{ID: "idle", Name: "Idle"}); err == nil {
		t.Error("an idle session added a person")
	}

	c, _ = login(t, path, "rita", ritaPassword)
	if _, err := s.engine.SetAccountEnabled(cli, "rita", false); err != nil {
		t.Fatal(err)
	}
	ended(c, "account disabled")
	if _, err := s.engine.SetAccountEnabled(cli, "rita", true); err != nil {
		t.Fatal(err)
	}
	ended(c, "account enabled again: a new login is needed")

	c, _ = login(t, path, "rita", ritaPassword)
	if err := s.engine.SetPassword(cli, "rita", "another long password"); err != nil {
		t.Fatal(err)
	}
	ended(c, "password changed")
	if _, err := c.Login("rita", "another long password"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	if _, err := s.engine.Person(cli, "idle"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("person idle: %v, want not found", err)
	}
}

// TestManyClientsComeAndGo: 100 clients connecting, calling and
// disconnecting in a loop leave the service answering, with no
// goroutine left behind for them.
func TestManyClientsComeAndGo(t *testing.T) {
	s := newSite(t, time.Now, siteOptions{})
	path := serve(t, NewServer(s.engine, Options{}), trusted())
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				c, err := DialUnix(path)
				if err != nil {
					errs <- err
					return
				}
				if _, err := c.Person(core.CommandLine("x"), "ann"); err != nil {
					errs <- err
				}
				cancel, err := c.Watch(core.CommandLine("x"), func(core.Update) {})
				if err != nil {
					errs <- err
				} else {
					cancel()
				}
				c.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a client: %v", err)
	}
	c := dial(t, path)
	if _, err := c.Person(core.CommandLine("x"), "ann"); err != nil {
		t.Fatalf("after 500 clients: %v", err)
	}
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+10 {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before, %d after the clients left", before, runtime.NumGoroutine())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
