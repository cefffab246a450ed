package anchor

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
)

// TestKeyMadeAtFirstUse: the key is made once, in a folder only its user
// may enter, in a file only its user may read, and read back the same.
func TestKeyMadeAtFirstUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "frontdesk")
	os.MkdirAll(dir, 0o755) // as another program may have left it
	if _, err := LoadKey(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("LoadKey before any: got %v, want fs.ErrNotExist", err)
	}
	k, err := OpenKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, KeyPath(dir): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %04o, want %04o", path, got, want)
		}
	}
	again, err := OpenKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Public().String() != k.Public().String() {
		t.Fatal("a second OpenKey made another key")
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("the folder holds %d files, want only the key", len(names))
	}
}

// TestKeyMadeOnceByConcurrentProcesses: callers that find no key at the
// same time all end up with the same one.
func TestKeyMadeOnceByConcurrentProcesses(t *testing.T) {
	dir := t.TempDir()
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := OpenKey(dir)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = k.Public().String()
		})
	}
	wg.Wait()
	for i, k := range keys {
		if k != keys[0] {
			t.Fatalf("caller %d got key %s, caller 0 %s", i, k, keys[0])
		}
	}
}

func TestKeyReadableByOthersIsRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenKey(dir); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644} {
		os.Chmod(KeyPath(dir), mode)
		for name, open := range map[string]func(string) (*Key, error){"LoadKey": LoadKey, "OpenKey": OpenKey} {
			_, err := open(dir)
			if err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("%s with mode %04o: got %v, want a refusal that says chmod 600", name, mode, err)
			}
		}
	}
	os.Chmod(KeyPath(dir), 0o600)
	os.WriteFile(KeyPath(dir), []byte("not a key"), 0o600)
	if _, err := OpenKey(dir); err == nil || !strings.Contains(err.Error(), "not a PEM PRIVATE KEY") {
		t.Errorf("a damaged key: got %v", err)
	}
}

// TestPublicKeyText: the public key reads back from its text and from PEM
// (as openssl writes it), and bad text is a clear error.
func TestPublicKeyText(t *testing.T) {
	k := testKey(9)
	pub := k.Public()
	got, err := ParsePublicKey(" " + pub.String() + "\n")
	if err != nil || got.ID() != pub.ID() {
		t.Fatalf("ParsePublicKey(String): got %v, %v", got, err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub.key)
	if err != nil {
		t.Fatal(err)
	}
	got, err = ParsePublicKey(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	if err != nil || got.ID() != pub.ID() {
		t.Fatalf("ParsePublicKey(PEM): got %v, %v", got, err)
	}
	for _, bad := range []string{"", "ed25519:", "ed25519:abcd", "rsa:" + strings.Repeat("00", 32),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}))} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, core.ErrInvalid) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParsePublicKey(%q): got %v, want a one-line ErrInvalid", bad, err)
		}
	}
	if len(pub.ID()) != keyIDLen || pub.ID() == testKey(8).Public().ID() {
		t.Errorf("key ids %q and %q", pub.ID(), testKey(8).Public().ID())
	}
}

// TestAppendEndsACutLine: a line cut short by a crash stays alone on its
// line, and the file is only its user's.
func TestAppendEndsACutLine(t *testing.T) {
	dir := t.TempDir()
	path := FileFor(dir, "/var/lib/frontdesk/site.db")
	if !strings.HasPrefix(filepath.Base(path), "site.db-") || filepath.Dir(path) != filepath.Join(dir, "checkpoints") {
		t.Fatalf("FileFor: %s", path)
	}
	if other := FileFor(dir, "/srv/site.db"); other == path {
		t.Fatal("two databases of the same name share a checkpoint file")
	}
	k := testKey(1)
	c := k.Sign(Checkpoint{Site: "0123456789abcdef", At: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err := Append(path, c); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(c.String()[:30]) // a crash in the middle of a line
	f.Close()
	c2 := c
	c2.Events = Head{Seq: 5, Hash: strings.Repeat("ef", 32)}
	c2 = k.Sign(c2)
	if err := Append(path, c2); err != nil {
		t.Fatal(err)
	}
	entries, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Err != nil || entries[1].Err == nil || entries[2].Err != nil {
		t.Fatalf("got %+v, want good, cut, good", entries)
	}
	last, found, err := Latest(path, func(c Checkpoint) bool { return c.Verify([]PublicKey{k.Public()}) == nil })
	if err != nil || !found || last.Events.Seq != 5 {
		t.Fatalf("Latest: got %v %v %v", last, found, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("checkpoint file mode %04o, want 0600", st.Mode().Perm())
	}
	if _, found, err := Latest(filepath.Join(dir, "none"), func(Checkpoint) bool { return true }); found || err != nil {
		t.Errorf("Latest of no file: got %v %v", found, err)
	}
}
