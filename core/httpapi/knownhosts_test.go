package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/core/httpapi"
)

// newKnown is a known services file in a folder not made yet.
func newKnown(t *testing.T) *httpapi.KnownHosts {
	return &httpapi.KnownHosts{Path: filepath.Join(t.TempDir(), "config", "frontdesk", "known_services")}
}

func TestKnownHosts(t *testing.T) {
	fpA := "SHA256:" + strings.Repeat("A", 43)
	fpB := "SHA256:" + strings.Repeat("B", 42) + "w"
	known := newKnown(t)

	if fp, ok, err := known.Lookup("desk.example:7443"); ok || err != nil || fp != "" {
		t.Errorf("no file: got %q, %v, %v; want nothing", fp, ok, err)
	}
	if err := known.Add("Desk.Example:7443", fpA); err != nil {
		t.Fatal(err)
	}
	if m := filePerm(t, known.Path); m != 0o600 {
		t.Errorf("file mode %v, want 0600", m)
	}
	if m := filePerm(t, filepath.Dir(known.Path)); m != 0o700 {
		t.Errorf("folder mode %v, want 0700", m)
	}
	tests := []struct {
		addr string
		fp   string
		ok   bool
	}{
		{"desk.example:7443", fpA, true},
		{"DESK.example:7443", fpA, true},
		{"desk.example:7444", "", false},
		{"other.example:7443", "", false},
	}
	for _, tt := range tests {
		if fp, ok, err := known.Lookup(tt.addr); fp != tt.fp || ok != tt.ok || err != nil {
			t.Errorf("Lookup(%s): got %q, %v, %v; want %q, %v", tt.addr, fp, ok, err, tt.fp, tt.ok)
		}
	}

	// A person's comments and lines stay; Add replaces the address's line.
	if err := os.WriteFile(known.Path, []byte("# the office\n\ndesk.example:7443 "+fpA+"\n[::1]:7443   "+fpA+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := known.Add("desk.example:7443", fpB); err != nil {
		t.Fatal(err)
	}
	if err := known.Add("192.168.1.20:7443", fpA); err != nil {
		t.Fatal(err)
	}
	want := "# the office\n\ndesk.example:7443 " + fpB + "\n[::1]:7443   " + fpA + "\n192.168.1.20:7443 " + fpA + "\n"
	if got, _ := os.ReadFile(known.Path); string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if fp, ok, _ := known.Lookup("[::1]:7443"); !ok || fp != fpA {
		t.Errorf("Lookup([::1]:7443): got %q, %v", fp, ok)
	}
	if m := filePerm(t, known.Path); m != 0o600 {
		t.Errorf("file mode after a rewrite %v, want 0600", m)
	}
	if entries, _ := os.ReadDir(filepath.Dir(known.Path)); len(entries) != 1 {
		t.Errorf("folder holds %v, want the file alone", entries)
	}

	for _, bad := range []struct{ addr, fp string }{
		{"desk.example", fpA},
		{":7443", fpA},
		{"desk.example:7443", "SHA256:short"},
		{"desk.example:7443", "MD5:" + strings.Repeat("A", 43)},
	} {
		if err := known.Add(bad.addr, bad.fp); err == nil {
			t.Errorf("Add(%q, %q): want an error", bad.addr, bad.fp)
		}
	}
	if got, _ := os.ReadFile(known.Path); string(got) != want {
		t.Errorf("file after refused adds:\n%s\nwant:\n%s", got, want)
	}
}

// TestKnownHostsDamagedLine: a line that is not HOST:PORT SHA256:... is an
// error naming its line, for a lookup and an add.
func TestKnownHostsDamagedLine(t *testing.T) {
	fp := "SHA256:" + strings.Repeat("A", 43)
	for _, line := range []string{
		"desk.example:7443",
		"desk.example " + fp,
		"desk.example:7443 SHA256:nope",
		"desk.example:7443 " + fp + " extra",
	} {
		known := newKnown(t)
		os.MkdirAll(filepath.Dir(known.Path), 0o700)
		if err := os.WriteFile(known.Path, []byte("# ok\nother.example:1 "+fp+"\n"+line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := known.Lookup("other.example:1"); err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("%q: Lookup got %v, want an error naming line 3", line, err)
		}
		if err := known.Add("new.example:1", fp); err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("%q: Add got %v, want an error naming line 3", line, err)
		}
	}
}

func TestUserKnownHosts(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct{ xdg, want string }{
		{"/etc/xdg-test", "/etc/xdg-test/frontdesk/known_services"},
		{"", filepath.Join(home, ".config", "frontdesk", "known_services")},
		{"relative/ignored", filepath.Join(home, ".config", "frontdesk", "known_services")},
	}
	for _, tt := range tests {
		t.Setenv("XDG_CONFIG_HOME", tt.xdg)
		k, err := httpapi.UserKnownHosts()
		if err != nil {
			t.Fatal(err)
		}
		if k.Path != tt.want {
			t.Errorf("XDG_CONFIG_HOME=%q: got %s, want %s", tt.xdg, k.Path, tt.want)
		}
	}
}
