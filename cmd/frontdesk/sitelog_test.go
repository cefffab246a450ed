package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/storage"
)

// federate makes the database at path site id of a federation and
// returns its events; each of others' events are stored at it as those
// of that site (others: site → its events).
func federate(t *testing.T, path, id string, others map[string][]core.Event) []core.Event {
	t.Helper()
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetFederationSite(id); err != nil {
		t.Fatal(err)
	}
	for site, evs := range others {
		if err := db.PutSiteEvents(site, evs); err != nil {
			t.Fatal(err)
		}
	}
	var evs []core.Event
	if err := db.View(func(tx core.Tx) error {
		return tx.Events(core.EventQuery{}, func(e core.Event) error { evs = append(evs, e); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestLogAndVerifySite: at the central site, `log --site` lists a
// branch's events, or every site's, with their site and seq, and `verify
// --site` checks a branch's chain (exit 3 when broken); the same through
// the running service as on the file. Without --site, log prints what it
// printed before the site joined a federation.
func TestLogAndVerifySite(t *testing.T) {
	branch, central := newSite(t), newSite(t)
	for i, at := range []string{"2026-11-24T08:55", "2026-11-24T12:30", "2026-11-24T17:05"} {
		mustCLI(t, branch, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", at)
		if i == 1 {
			// Denied: no one is left inside, for the service to
			// check out at the day's close.
			mustCLI(t, central, "tap", "--reader", "main-in", "--card", "em:00000000FF", "--at", "2026-11-24T12:00")
		}
	}
	before, beforeJSON := mustCLI(t, central, "log"), mustCLI(t, central, "log", "--json")
	lyon := federate(t, branch, "lyon", nil)
	tampered := append([]core.Event(nil), lyon...)
	for i := range tampered {
		tampered[i].Site = "" // sent up as another site's
	}
	tampered[1].Explanation = "nothing happened here"
	federate(t, central, "hq", map[string][]core.Event{"lyon": lyon, "nice": tampered})

	if got := mustCLI(t, central, "log"); got != before {
		t.Errorf("log without --site changed:\n%s\nwas\n%s", got, before)
	}
	if got := mustCLI(t, central, "log", "--json"); got != beforeJSON {
		t.Errorf("log --json without --site changed:\n%s\nwas\n%s", got, beforeJSON)
	}

	type run struct {
		args     []string
		code     int
		want     string // in stdout or stderr
		sitesSeq string // with --json: each event's site:seq
	}
	runs := []run{
		{args: []string{"log", "--site", "lyon", "--json"}, sitesSeq: "lyon:1 lyon:2 lyon:3"},
		{args: []string{"log", "--site", "all", "--json"}, sitesSeq: "lyon:1 nice:1 hq:1 lyon:2 nice:2 lyon:3 nice:3"},
		{args: []string{"log", "--site", "all", "--json", "--limit", "2"}, sitesSeq: "lyon:3 nice:3"},
		{args: []string{"log", "--site", "all", "--json", "--from", "2026-11-24T12:00", "--to", "2026-11-24T13:00"}, sitesSeq: "hq:1 lyon:2 nice:2"},
		{args: []string{"log", "--site", "hq", "--json"}, sitesSeq: "hq:1"},
		{args: []string{"log", "--site", "lyon"}, want: "lyon  2  "},
		{args: []string{"log", "--site", "paris"}, code: 1, want: `no site "paris": the sites known here are hq, lyon, nice`},
		{args: []string{"verify", "--site", "lyon"}, want: "ok: site lyon, 3 events, hash chain intact"},
		{args: []string{"verify", "--site", "lyon", "--json"}, want: `"ok": true`},
		{args: []string{"verify", "--site", "hq"}, want: "ok: site hq, 1 event, hash chain intact"},
		{args: []string{"verify", "--site", "nice"}, code: 3, want: "the events of site nice do not verify: event 2: hash does not match its content"},
		{args: []string{"verify", "--site", "nice", "--json"}, code: 3, want: `"broken": 2`},
		{args: []string{"verify", "--site", "paris"}, code: 1, want: `no site "paris"`},
		{args: []string{"verify", "--site", "all"}, code: 2, want: "name one site"},
	}
	check := func(t *testing.T, r run) string {
		t.Helper()
		code, out, errs := cli(t, central, r.args...)
		if code != r.code {
			t.Fatalf("exit %d, want %d: %s%s", code, r.code, out, errs)
		}
		if text := out + errs; !strings.Contains(text, r.want) {
			t.Errorf("got\n%s\nwant it to contain %q", text, r.want)
		}
		if r.sitesSeq != "" {
			var evs []map[string]any
			if err := json.Unmarshal([]byte(out), &evs); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range evs {
				got = append(got, fmt.Sprintf("%v:%v", e["site"], e["seq"]))
			}
			if strings.Join(got, " ") != r.sitesSeq {
				t.Errorf("got %s, want %s", strings.Join(got, " "), r.sitesSeq)
			}
		}
		return fmt.Sprint(code, out, errs)
	}
	direct := make([]string, len(runs))
	for i, r := range runs {
		t.Run(strings.Join(r.args, " "), func(t *testing.T) { direct[i] = check(t, r) })
	}
	serve := startServe(t, central)
	waitService(t, central, serve)
	for i, r := range runs {
		t.Run("service/"+strings.Join(r.args, " "), func(t *testing.T) {
			if got := check(t, r); got != direct[i] {
				t.Errorf("through the service:\n%s\non the file:\n%s", got, direct[i])
			}
		})
	}
	stopServe(t, serve)

	for _, tt := range []struct{ locale, want string }{
		{"fr_FR.UTF-8", "les événements du site nice ne se vérifient pas : l'événement 2"},
		{"ru_RU.UTF-8", "события объекта nice не проходят проверку: событие 2"},
	} {
		t.Setenv("LC_ALL", tt.locale)
		if code, _, errs := cli(t, central, "verify", "--site", "nice"); code != 3 || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: exit %d, %q, want 3 and %q", tt.locale, code, errs, tt.want)
		}
	}
}
