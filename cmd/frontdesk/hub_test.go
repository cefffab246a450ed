package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"frontdesk/core/natslink"
)

func TestHubSitesCommands(t *testing.T) {
	store := t.TempDir()
	creds := filepath.Join(t.TempDir(), "lyon.creds")
	out := mustCLI(t, "", "hub", "add-site", "lyon", "--store", store, "--out", creds)
	if !strings.Contains(out, "site lyon (branch) added") {
		t.Errorf("add-site: got %q", out)
	}
	fi, err := os.Stat(creds)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("credentials mode: got %v, want 0600", fi.Mode().Perm())
	}
	c, err := natslink.ReadCreds(creds)
	if err != nil || c.Site != "lyon" || c.Central {
		t.Fatalf("credentials: got %+v, %v", c, err)
	}
	mustCLI(t, "", "hub", "add-site", "hq", "--central", "--store", store, "--out", filepath.Join(t.TempDir(), "hq.creds"))

	out = mustCLI(t, "", "hub", "sites", "--store", store)
	if !regexp.MustCompile(`(?m)^hq\s+central\s`).MatchString(out) || !regexp.MustCompile(`(?m)^lyon\s+branch\s`).MatchString(out) {
		t.Errorf("sites: got %q, want hq central and lyon branch", out)
	}
	var sites []natslink.Site
	if err := json.Unmarshal([]byte(mustCLI(t, "", "hub", "sites", "--store", store, "--json")), &sites); err != nil || len(sites) != 2 {
		t.Errorf("sites --json: got %+v, %v", sites, err)
	}

	mustCLI(t, "", "hub", "remove-site", "lyon", "--store", store)
	if out := mustCLI(t, "", "hub", "sites", "--store", store); strings.Contains(out, "lyon") {
		t.Errorf("sites after remove-site: got %q", out)
	}
}

func TestHubCommandRefuses(t *testing.T) {
	store := t.TempDir()
	taken := filepath.Join(t.TempDir(), "taken.creds")
	mustCLI(t, "", "hub", "add-site", "lyon", "--store", store, "--out", taken)
	fresh := filepath.Join(t.TempDir(), "x.creds")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad id", []string{"hub", "add-site", "ly.on", "--store", store, "--out", fresh}, 2, "bad site id"},
		{"no out", []string{"hub", "add-site", "paris", "--store", store}, 2, "--out FILE is required"},
		{"no store", []string{"hub", "add-site", "paris", "--out", fresh}, 2, "--store DIR is required"},
		{"no id", []string{"hub", "add-site", "--store", store, "--out", fresh}, 2, "wrong number of arguments"},
		{"unknown flag", []string{"hub", "add-site", "paris", "--store", store, "--out", fresh, "--color"}, 2, "color"},
		{"missing store", []string{"hub", "add-site", "paris", "--store", filepath.Join(store, "nope"), "--out", fresh}, 1, "no such folder"},
		{"site there", []string{"hub", "add-site", "lyon", "--store", store, "--out", fresh}, 1, "has site lyon already"},
		{"credentials file there", []string{"hub", "add-site", "paris", "--store", store, "--out", taken}, 1, "is there already"},
		{"remove unknown", []string{"hub", "remove-site", "paris", "--store", store}, 1, "no such site"},
		{"remove bad id", []string{"hub", "remove-site", "a/b", "--store", store}, 2, "bad site id"},
		{"unknown subcommand", []string{"hub", "start"}, 2, "unknown subcommand"},
		{"run without listen", []string{"hub", "--store", store}, 2, "--listen HOST:PORT is required"},
		{"run with a bad listen", []string{"hub", "--listen", "localhost", "--store", store}, 2, "want HOST:PORT"},
		{"run without store", []string{"hub", "--listen", "127.0.0.1:0"}, 2, "--store DIR is required"},
		{"routes without cluster", []string{"hub", "--listen", "127.0.0.1:0", "--store", store, "--routes", "nats://127.0.0.1:1"}, 2, "--routes needs --cluster"},
		{"init without creds", []string{"hub", "init", "--connect", "tls://127.0.0.1:1"}, 2, "--creds FILE is required"},
		{"init with 2 replicas", []string{"hub", "init", "--connect", "tls://127.0.0.1:1", "--creds", taken, "--replicas", "2"}, 2, "1 or 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := natslink.Sites(store)
			code, _, errs := cli(t, "", c.args...)
			if code != c.code || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
				t.Errorf("got exit %d, %q; want exit %d, one line with %q", code, errs, c.code, c.want)
			}
			if after, _ := natslink.Sites(store); len(after) != len(before) {
				t.Errorf("sites changed: got %d, want %d", len(after), len(before))
			}
			if _, err := os.Stat(fresh); err == nil {
				t.Errorf("%s written on error", fresh)
			}
		})
	}
	if b, _ := os.ReadFile(taken); !strings.Contains(string(b), `"site": "lyon"`) {
		t.Errorf("the credentials there were overwritten: %s", b)
	}
}

// TestHubRun: `frontdesk hub` runs until stopped, prints its address and
// fingerprint, makes its streams, and accepts a site added meanwhile;
// `hub init` with the central site's credentials finds the streams.
func TestHubRun(t *testing.T) {
	store := filepath.Join(t.TempDir(), "hub")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- dispatch(ctx, []string{"hub", "--listen", "127.0.0.1:0", "--store", store}, strings.NewReader(""), &stdout, &stderr)
	}()
	var url string
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "streams ready") {
		if time.Now().After(deadline) {
			t.Fatalf("no hub after 10 s: %q %q", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	m := regexp.MustCompile(`hub on (tls://\S+); certificate fingerprint SHA256:\S+`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("got %q, want the hub's address and fingerprint", stdout.String())
	}
	url = m[1]

	creds := filepath.Join(t.TempDir(), "lyon.creds")
	mustCLI(t, "", "hub", "add-site", "lyon", "--store", store, "--out", creds)
	c, err := natslink.ReadCreds(creds)
	if err != nil {
		t.Fatal(err)
	}
	for {
		dctx, dcancel := context.WithTimeout(ctx, time.Second)
		nc, err := natslink.Dial(dctx, url, c)
		dcancel()
		if err == nil {
			nc.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("site added while running not accepted: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// hub init, as on a company's own NATS, finds the streams there.
	hq := filepath.Join(t.TempDir(), "hq.creds")
	mustCLI(t, "", "hub", "add-site", "hq", "--central", "--store", store, "--out", hq)
	for {
		code, out, errs := cli(t, "", "hub", "init", "--connect", url, "--creds", hq)
		if code == 0 {
			if !strings.Contains(out, "are ready") {
				t.Errorf("hub init: got %q", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub init: exit %d, %q", code, errs)
		}
		time.Sleep(50 * time.Millisecond)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("hub stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hub did not stop")
	}
}
