package httpapi_test

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/core/httpapi"
)

// TestDialTLSTrust follows DialTLS's rules on one service: asked the
// first time, remembered, pinned by --fingerprint.
func TestDialTLSTrust(t *testing.T) {
	svc := serveTLS(t, tlsEngine(t), "127.0.0.1:0", t.TempDir())
	noAsk := func(t *testing.T) func(string, string) (bool, error) {
		return func(addr, fp string) (bool, error) {
			t.Errorf("asked about %s %s; want no question", addr, fp)
			return false, nil
		}
	}
	wrongFP := "SHA256:" + strings.Repeat("A", 43)
	if wrongFP == svc.fp {
		t.Fatal("the test's wrong fingerprint is the service's")
	}

	t.Run("unknown service without Ask is refused", func(t *testing.T) {
		known := newKnown(t)
		_, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Known: known})
		if !errors.Is(err, httpapi.ErrUntrusted) {
			t.Fatalf("got %v, want ErrUntrusted", err)
		}
		for _, want := range []string{"--fingerprint", svc.fp, svc.addr} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if _, err := os.Stat(known.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("known services file: %v, want none made", err)
		}
	})

	t.Run("first connection asks; no refuses", func(t *testing.T) {
		known := newKnown(t)
		var asked []string
		_, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Known: known, Ask: func(addr, fp string) (bool, error) {
			asked = append(asked, addr+" "+fp)
			return false, nil
		}})
		if !errors.Is(err, httpapi.ErrUntrusted) {
			t.Errorf("got %v, want ErrUntrusted", err)
		}
		if want := []string{svc.addr + " " + svc.fp}; !slices.Equal(asked, want) {
			t.Errorf("asked %q, want %q", asked, want)
		}
		if _, ok, err := known.Lookup(svc.addr); ok || err != nil {
			t.Errorf("remembered after a no: %v, %v", ok, err)
		}
	})

	t.Run("Ask's error is the dial's", func(t *testing.T) {
		boom := errors.New("no terminal to ask on")
		_, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Known: newKnown(t), Ask: func(string, string) (bool, error) { return false, boom }})
		if !errors.Is(err, boom) {
			t.Errorf("got %v, want %v", err, boom)
		}
	})

	t.Run("first connection asks; yes is remembered", func(t *testing.T) {
		known := newKnown(t)
		asked := 0
		c, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Known: known, Ask: func(addr, fp string) (bool, error) {
			asked++
			return addr == svc.addr && fp == svc.fp, nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if asked != 1 {
			t.Errorf("asked %d times, want 1", asked)
		}
		if got := c.Hello().Site; got != "North Office" {
			t.Errorf("hello: site %q, want North Office", got)
		}
		if c.Where() != svc.addr {
			t.Errorf("Where %q, want %q", c.Where(), svc.addr)
		}
		c.Close()
		if fp, ok, err := known.Lookup(svc.addr); !ok || err != nil || fp != svc.fp {
			t.Errorf("remembered %q, %v, %v; want %s", fp, ok, err, svc.fp)
		}
		for path, want := range map[string]os.FileMode{known.Path: 0o600, filepath.Dir(known.Path): 0o700} {
			if m := filePerm(t, path); m != want {
				t.Errorf("%s: mode %v, want %v", path, m, want)
			}
		}

		// Next time: no question.
		c, err = httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Known: known, Ask: noAsk(t)})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		c, err = httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Known: known})
		if err != nil {
			t.Fatalf("known service without Ask: %v", err)
		}
		c.Close()
	})

	t.Run("--fingerprint is trusted without asking and remembered", func(t *testing.T) {
		known := newKnown(t)
		c, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: svc.fp, Known: known, Ask: noAsk(t)})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if fp, ok, _ := known.Lookup(svc.addr); !ok || fp != svc.fp {
			t.Errorf("remembered %q, %v; want %s", fp, ok, svc.fp)
		}
		// Without a known file too.
		c, err = httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: svc.fp})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})

	t.Run("wrong --fingerprint is refused, even for a known service", func(t *testing.T) {
		known := newKnown(t)
		if err := known.Add(svc.addr, svc.fp); err != nil {
			t.Fatal(err)
		}
		_, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: wrongFP, Known: known, Ask: noAsk(t)})
		if !errors.Is(err, httpapi.ErrUntrusted) {
			t.Fatalf("got %v, want ErrUntrusted", err)
		}
		for _, want := range []string{wrongFP, svc.fp, "--fingerprint"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if fp, _, _ := known.Lookup(svc.addr); fp != svc.fp {
			t.Errorf("remembered %q after a refusal, want still %s", fp, svc.fp)
		}
	})

	t.Run("malformed --fingerprint", func(t *testing.T) {
		for _, fp := range []string{"abc", "SHA256:abc", "MD5:" + strings.Repeat("A", 43), strings.TrimPrefix(svc.fp, "SHA256:")} {
			if _, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: fp}); err == nil || !strings.Contains(err.Error(), "--fingerprint") {
				t.Errorf("--fingerprint %q: got %v, want an error naming --fingerprint", fp, err)
			}
		}
	})

	t.Run("address without a port", func(t *testing.T) {
		if _, err := httpapi.DialTLS("127.0.0.1", httpapi.TLSOptions{Fingerprint: svc.fp}); err == nil {
			t.Error("dialled; want an error")
		}
	})
}

// TestDialTLSNoService: nothing listening, or something that does not
// speak TLS, is ErrNoService.
func TestDialTLSNoService(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	go http.Serve(plain, http.NotFoundHandler())

	for name, addr := range map[string]string{"nothing listening": closed, "plain HTTP": plain.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			_, err := httpapi.DialTLS(addr, httpapi.TLSOptions{Fingerprint: "SHA256:" + strings.Repeat("A", 43)})
			if !errors.Is(err, httpapi.ErrNoService) {
				t.Errorf("got %v, want ErrNoService", err)
			}
		})
	}
}

// TestDialTLSCertificateChanged: a service that presents another
// certificate at a remembered address is refused loudly, at the dial and
// in the middle of a session.
func TestDialTLSCertificateChanged(t *testing.T) {
	e := tlsEngine(t)
	first := serveTLS(t, e, "127.0.0.1:0", t.TempDir())
	known := newKnown(t)
	if err := os.MkdirAll(filepath.Dir(known.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(known.Path, []byte("# services\nother.example:7443 SHA256:"+strings.Repeat("B", 43)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := httpapi.DialTLS(first.addr, httpapi.TLSOptions{Known: known, Ask: func(string, string) (bool, error) { return true, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login("rita", tlsPassword); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(known.Path)
	if err != nil {
		t.Fatal(err)
	}

	// The service comes back on the same address with a new certificate.
	first.stop()
	second := serveTLS(t, e, first.addr, t.TempDir())
	if second.fp == first.fp {
		t.Fatal("the new certificate has the old fingerprint")
	}

	_, err = httpapi.DialTLS(first.addr, httpapi.TLSOptions{Known: known, Ask: func(addr, fp string) (bool, error) {
		t.Errorf("asked about %s %s: a changed certificate is refused, never asked about", addr, fp)
		return true, nil
	}})
	var changed *httpapi.CertificateChangedError
	if !errors.As(err, &changed) || !errors.Is(err, httpapi.ErrUntrusted) {
		t.Fatalf("got %v, want a CertificateChangedError", err)
	}
	if changed.Known != first.fp || changed.Presented != second.fp || changed.Line != 3 || changed.File != known.Path {
		t.Errorf("got %+v, want known %s, presented %s at %s line 3", changed, first.fp, second.fp, known.Path)
	}
	msg := err.Error()
	for _, want := range []string{"CHANGED", first.fp, second.fp, first.addr, "attack", "remove line 3 from " + known.Path} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if after, _ := os.ReadFile(known.Path); !bytes.Equal(after, before) {
		t.Errorf("known services file changed by a refusal:\n%s", after)
	}

	// The client connected before the change refuses the new certificate
	// on its next connection.
	_, err = c.Me()
	if !errors.As(err, &changed) {
		t.Errorf("a call after the change: got %v, want a CertificateChangedError", err)
	} else if changed.Known != first.fp || changed.Presented != second.fp {
		t.Errorf("a call after the change: got %+v", changed)
	}

	// The administrator's new fingerprint, given on purpose, replaces the
	// old line.
	c2, err := httpapi.DialTLS(first.addr, httpapi.TLSOptions{Fingerprint: second.fp, Known: known})
	if err != nil {
		t.Fatal(err)
	}
	c2.Close()
	want := "# services\nother.example:7443 SHA256:" + strings.Repeat("B", 43) + "\n" + first.addr + " " + second.fp + "\n"
	if after, _ := os.ReadFile(known.Path); string(after) != want {
		t.Errorf("known services file:\n%s\nwant:\n%s", after, want)
	}
}

// TestTLSNeverCommandLine: over TLS nobody acts without a staff login.
func TestTLSNeverCommandLine(t *testing.T) {
	svc := serveTLS(t, tlsEngine(t), "127.0.0.1:0", t.TempDir())
	c, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: svc.fp})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if h := c.Hello(); h.CommandLine || h.User != "" || !h.HasAccounts {
		t.Errorf("hello %+v: want no command line, no OS user, accounts", h)
	}
	_, err = c.Me()
	var we *httpapi.Error
	if !errors.As(err, &we) || we.Kind != httpapi.KindNoSession || !errors.Is(err, core.ErrForbidden) {
		t.Errorf("me without a login: got %v, want unauthorized", err)
	}
	hc := pinnedHTTP(svc.fp)
	for _, path := range []string{"/v1/me", "/v1/me/authorize?permission=people.view", "/v1/watch"} {
		if code, kind := rawTLSCall(t, hc, http.MethodGet, "https://"+svc.addr+path, "", nil); code != http.StatusUnauthorized || kind != httpapi.KindNoSession {
			t.Errorf("GET %s without a login: %d %s, want 401 %s", path, code, kind, httpapi.KindNoSession)
		}
	}
	if code, kind := rawTLSCall(t, hc, http.MethodGet, "https://"+svc.addr+"/v1/me", "made-up-token", nil); code != http.StatusUnauthorized {
		t.Errorf("GET /v1/me with a made-up token: %d %s, want 401", code, kind)
	}
}

// TestTLSStaffLogin: a staff login over TLS acts with its account's
// permissions, until its logout.
func TestTLSStaffLogin(t *testing.T) {
	svc := serveTLS(t, tlsEngine(t), "127.0.0.1:0", t.TempDir())
	c, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: svc.fp})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rita, err := c.Login("rita", tlsPassword)
	if err != nil {
		t.Fatal(err)
	}
	if want := (core.Actor{Kind: core.ActorAccount, Name: "rita"}); rita != want {
		t.Errorf("logged in as %+v, want %+v", rita, want)
	}
	me, err := c.Me()
	if err != nil {
		t.Fatal(err)
	}
	if me.Actor != rita || !slices.Contains(me.Permissions, core.PermPeopleView) || slices.Contains(me.Permissions, core.PermAccountsEdit) {
		t.Errorf("me %+v: want rita, a receptionist", me)
	}
	if err := c.Authorize(rita, core.PermPeopleEdit); err != nil {
		t.Errorf("authorize people.edit: %v", err)
	}
	// The refusal holds the engine's core.ForbiddenError, as in process.
	err = c.Authorize(rita, core.PermAccountsEdit)
	var fe core.ForbiddenError
	want := core.ForbiddenError{Actor: "rita", Permission: core.PermAccountsEdit, What: "do this"}
	if !errors.Is(err, core.ErrForbidden) || !errors.As(err, &fe) || fe != want {
		t.Errorf("authorize accounts.edit: got %#v, want %#v", err, want)
	}
	if err != nil && err.Error() != "forbidden: rita may not do this (needs accounts.edit)" {
		t.Errorf("authorize accounts.edit: got %q, the engine's text changed", err)
	}
	if err := c.Logout(rita); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("me after logout: got %v, want unauthorized", err)
	}
}

// TestTLSLoginLimit: failed logins from one address are limited, whatever
// usernames they try.
func TestTLSLoginLimit(t *testing.T) {
	svc := serveTLS(t, tlsEngine(t), "127.0.0.1:0", t.TempDir())
	c, err := httpapi.DialTLS(svc.addr, httpapi.TLSOptions{Fingerprint: svc.fp})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 10 {
		_, err := c.Login("guess"+string(rune('a'+i)), "wrong password!")
		var we *httpapi.Error
		if !errors.As(err, &we) || we.Kind != httpapi.KindLogin {
			t.Fatalf("failed login %d: got %v, want refused", i+1, err)
		}
	}
	_, err = c.Login("rita", tlsPassword)
	var we *httpapi.Error
	if !errors.As(err, &we) || we.Kind != httpapi.KindTooMany || !errors.Is(err, core.ErrLogin) {
		t.Fatalf("right password after 10 failures: got %v, want too many", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("message %q does not name the address", err)
	}
	if we.Args["address"] != "127.0.0.1" || we.Args["wait"] == "" {
		t.Errorf("args %v: want the address and the wait", we.Args)
	}
	code, kind := rawTLSCall(t, pinnedHTTP(svc.fp), http.MethodPost, "https://"+svc.addr+"/v1/login", "",
		httpapi.LoginRequest{Username: "someone", Password: tlsPassword})
	if code != http.StatusTooManyRequests || kind != httpapi.KindTooMany {
		t.Errorf("another username, another connection: %d %s, want 429 %s", code, kind, httpapi.KindTooMany)
	}
}
