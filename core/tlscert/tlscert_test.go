package tlscert

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadOrCreate(t *testing.T) {
	dir := t.TempDir()
	p := Pair{Cert: filepath.Join(dir, "x.crt"), Key: filepath.Join(dir, "x.key"), Name: "Frontdesk hub"}
	cert, fp, err := p.LoadOrCreate([]string{"hub.example:4222", "10.0.0.7"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cert.Leaf.Subject.CommonName, "Frontdesk hub on ") {
		t.Errorf("common name: got %q", cert.Leaf.Subject.CommonName)
	}
	if !slices.Contains(cert.Leaf.DNSNames, "hub.example") || !slices.Contains(cert.Leaf.DNSNames, "localhost") {
		t.Errorf("names: got %v", cert.Leaf.DNSNames)
	}
	for path, want := range map[string]os.FileMode{p.Cert: 0o644, p.Key: 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: got %v, %v; want mode %v", path, fi.Mode().Perm(), err, want)
		}
	}
	_, again, err := p.LoadOrCreate([]string{"other.example"})
	if err != nil || again != fp {
		t.Errorf("second start: got %s, %v; want the same certificate %s", again, err, fp)
	}
	os.Remove(p.Key)
	if _, _, err := p.LoadOrCreate(nil); err == nil || !strings.Contains(err.Error(), p.Key) {
		t.Errorf("a certificate without its key: got %v, want an error naming the key", err)
	}
}
