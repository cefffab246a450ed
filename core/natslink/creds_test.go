package natslink

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nats-io/nkeys"
)

// snapshot is every file under dir with its contents and mode.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		fi, _ := d.Info()
		files[path] = fi.Mode().String() + " " + string(b)
		return nil
	})
	return files
}

func TestCheckSiteID(t *testing.T) {
	for _, id := range []string{"lyon", "Paris-2", "site_3", strings.Repeat("a", 64)} {
		if err := CheckSiteID(id); err != nil {
			t.Errorf("%q: got %v, want nil", id, err)
		}
	}
	for _, id := range []string{"", "a.b", "a b", "a*", "a>", "é", strings.Repeat("a", 65), "../x", "a/b"} {
		if err := CheckSiteID(id); !errors.Is(err, ErrBadSiteID) {
			t.Errorf("%q: got %v, want ErrBadSiteID", id, err)
		}
	}
}

func TestAddSite(t *testing.T) {
	store := t.TempDir()
	out := filepath.Join(t.TempDir(), "lyon.creds")
	c, err := AddSite(store, "lyon", false, out, false)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("credentials mode: got %v, want 0600", fi.Mode().Perm())
	}
	read, err := ReadCreds(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, c) {
		t.Errorf("credentials file: got %+v, want %+v", read, c)
	}
	if c.Site != "lyon" || c.Central || !strings.HasPrefix(c.Seed, "SU") || !strings.Contains(c.HubCA, "BEGIN CERTIFICATE") {
		t.Errorf("credentials: got %+v", c)
	}
	sites, err := Sites(store)
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := c.keyPair()
	pub, _ := kp.PublicKey()
	if len(sites) != 1 || sites[0].Site != "lyon" || sites[0].PublicKey != pub || sites[0].Added.IsZero() {
		t.Fatalf("sites: got %+v, want lyon with its public key", sites)
	}
	if _, err := AddSite(store, "hq", true, "", false); err != nil {
		t.Fatal(err)
	}
	if sites, _ := Sites(store); len(sites) != 2 || sites[0].Site != "hq" || !sites[0].Central {
		t.Fatalf("sites: got %+v, want hq (central) and lyon", sites)
	}

	// Replacing gives a new key.
	c2, err := AddSite(store, "lyon", false, out, true)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Seed == c.Seed {
		t.Error("a replaced site kept its key")
	}
}

func TestAddSiteRefuses(t *testing.T) {
	store := t.TempDir()
	taken := filepath.Join(t.TempDir(), "taken.creds")
	os.WriteFile(taken, []byte("mine"), 0o600)
	if _, err := AddSite(store, "lyon", false, "", false); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, store, id, out string
		want                 error
	}{
		{"bad id", store, "ly.on", "", ErrBadSiteID},
		{"empty id", store, "", "", ErrBadSiteID},
		{"missing store", filepath.Join(store, "nope"), "paris", "", ErrNoStore},
		{"no store", "", "paris", "", ErrNoStore},
		{"site there", store, "lyon", "", ErrSiteExists},
		{"credentials file there", store, "paris", taken, ErrSiteExists},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(t, filepath.Dir(store))
			_, err := AddSite(c.store, c.id, false, c.out, false)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if after := snapshot(t, filepath.Dir(store)); !reflect.DeepEqual(after, before) {
				t.Errorf("the store changed on error")
			}
			if b, _ := os.ReadFile(taken); string(b) != "mine" {
				t.Errorf("the credentials file there was overwritten")
			}
		})
	}
	t.Run("credentials folder missing", func(t *testing.T) {
		before := snapshot(t, store)
		if _, err := AddSite(store, "paris", false, filepath.Join(store, "no", "such", "x.creds"), false); err == nil {
			t.Fatal("got nil, want an error")
		}
		if after := snapshot(t, store); !reflect.DeepEqual(after, before) {
			t.Errorf("the store changed on error")
		}
	})
}

func TestRemoveSite(t *testing.T) {
	store := t.TempDir()
	if _, err := AddSite(store, "lyon", false, "", false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		store, id string
		want      error
	}{
		{store, "paris", ErrUnknownSite},
		{store, "ly.on", ErrBadSiteID},
		{filepath.Join(store, "nope"), "lyon", ErrNoStore},
	} {
		if err := RemoveSite(c.store, c.id); !errors.Is(err, c.want) {
			t.Errorf("%s %s: got %v, want %v", c.store, c.id, err, c.want)
		}
	}
	if sites, _ := Sites(store); len(sites) != 1 {
		t.Fatalf("sites after refused removals: got %+v, want lyon", sites)
	}
	if err := RemoveSite(store, "lyon"); err != nil {
		t.Fatal(err)
	}
	if sites, _ := Sites(store); len(sites) != 0 {
		t.Fatalf("sites: got %+v, want none", sites)
	}
}

func TestReadCredsRefuses(t *testing.T) {
	store := t.TempDir()
	good, err := AddSite(store, "lyon", false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(c *Creds){
		"bad site":     func(c *Creds) { c.Site = "a.b" },
		"no seed":      func(c *Creds) { c.Seed = "" },
		"bad seed":     func(c *Creds) { c.Seed = "SUAXXXX" },
		"account seed": func(c *Creds) { kp, _ := nkeys.CreateAccount(); seed, _ := kp.Seed(); c.Seed = string(seed) },
		"no hub_ca":    func(c *Creds) { c.HubCA = "" },
		"bad hub_ca":   func(c *Creds) { c.HubCA = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			c := good
			spoil(&c)
			path := filepath.Join(t.TempDir(), "x.creds")
			if err := WriteCreds(path, c, false); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadCreds(path); err == nil {
				t.Fatal("got nil, want an error")
			}
		})
	}
	if _, err := ReadCreds(filepath.Join(store, "nope")); err == nil {
		t.Fatal("a missing file: got nil, want an error")
	}
}

func TestSitesDamagedFile(t *testing.T) {
	store := t.TempDir()
	if _, err := AddSite(store, "lyon", false, "", false); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"paris.json": "{not json",
		"nice.json":  `{"site": "lyon", "public_key": "x"}`,
		"rome.json":  `{"site": "rome", "public_key": "not a key"}`,
		"a\x1b.json": `{"site": "a\u001b"}`,
	} {
		path := filepath.Join(store, sitesDir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Sites(store); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: got %v, want an error naming it", name, err)
		}
		sites, bad, err := readSites(store)
		if err != nil || len(sites) != 1 || sites[0].Site != "lyon" || len(bad) != 1 {
			t.Errorf("%s: the hub reads %+v, %v, %v; want lyon and one bad file", name, sites, bad, err)
		}
		os.Remove(path)
	}
}
