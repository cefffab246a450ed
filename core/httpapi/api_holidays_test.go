package httpapi

import (
	"errors"
	"testing"

	"frontdesk/core"
)

// holidaysAPI is the part of core.API that fills the site's holidays by
// country.
type holidaysAPI interface {
	Holidays(a core.Actor) ([]core.Holiday, error)
	PublicHolidays(a core.Actor, country string, year int) ([]core.Holiday, error)
	AddPublicHolidays(a core.Actor, country string, year int, dryRun bool) (core.PublicHolidayMerge, error)
}

var (
	_ holidaysAPI = (*core.Engine)(nil)
	_ holidaysAPI = (*Client)(nil)
)

// TestPublicHolidaysThroughTheService: on twin sites, the engine in
// process and the client through the service answer the same values and
// the same errors, coded problems included, and store the same.
func TestPublicHolidaysThroughTheService(t *testing.T) {
	type twin struct {
		api      holidaysAPI
		cli, rit core.Actor
	}
	var twins [2]twin
	{
		s := newSite(t, (&testClock{t: t0}).now, siteOptions{})
		rita, err := s.engine.Login("rita", ritaPassword)
		if err != nil {
			t.Fatal(err)
		}
		twins[0] = twin{api: s.engine, cli: core.CommandLine("test"), rit: rita}
	}
	{
		s := newSite(t, (&testClock{t: t0}).now, siteOptions{})
		srv := NewServer(s.engine, Options{})
		c := dial(t, serve(t, srv, trusted()))
		rc, rita := login(t, serve(t, srv, stranger()), "rita", ritaPassword)
		twins[1] = twin{api: c, cli: commandLine(t, c), rit: rita}
		// rita's calls go through her own connection.
		twins[1].api = &splitAPI{holidaysAPI: c, rita: rc, ritaActor: rita}
	}

	type step struct {
		name  string
		value any
		err   error
	}
	run := func(tw twin) []step {
		var out []step
		add := func(name string, v any, err error) { out = append(out, step{name, v, err}) }
		v1, err := tw.api.PublicHolidays(tw.cli, "US", 2027)
		add("PublicHolidays/US", v1, err)
		v1, err = tw.api.PublicHolidays(tw.cli, "XX", 1800)
		add("PublicHolidays/bad", v1, err)
		v1, err = tw.api.PublicHolidays(tw.rit, "FR", 2027)
		add("PublicHolidays/rita", v1, err)
		m, err := tw.api.AddPublicHolidays(tw.rit, "FR", 2027, false)
		add("AddPublicHolidays/rita", m, err)
		m, err = tw.api.AddPublicHolidays(tw.cli, "FR", 2201, false)
		add("AddPublicHolidays/bad", m, err)
		m, err = tw.api.AddPublicHolidays(tw.cli, "FR", 2027, true)
		add("AddPublicHolidays/dry", m, err)
		m, err = tw.api.AddPublicHolidays(tw.cli, "FR", 2027, false)
		add("AddPublicHolidays/FR", m, err)
		m, err = tw.api.AddPublicHolidays(tw.cli, "fr", 2027, false)
		add("AddPublicHolidays/again", m, err)
		hs, err := tw.api.Holidays(tw.cli)
		add("Holidays", hs, err)
		return out
	}
	local, remote := run(twins[0]), run(twins[1])
	for i := range local {
		l, r := local[i], remote[i]
		if d := sameError(r.err, l.err); d != "" {
			t.Errorf("%s: %s", l.name, d)
		}
		if d := sameValue(r.value, l.value); d != "" {
			t.Errorf("%s: %s", l.name, d)
		}
		if d := sameProblems(r.err, l.err); d != "" {
			t.Errorf("%s: %s", l.name, d)
		}
	}
	for _, i := range []int{2, 3} {
		if !errors.Is(local[i].err, core.ErrForbidden) || !errors.Is(local[1].err, core.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrForbidden", local[i].name, local[i].err)
		}
	}
	if m := local[6].value.(core.PublicHolidayMerge); len(m.Added) == 0 {
		t.Errorf("added nothing: %+v", m)
	}
	if m := local[7].value.(core.PublicHolidayMerge); len(m.Added) != 0 || len(m.Skipped) == 0 {
		t.Errorf("again: got %+v, want all skipped", m)
	}
}

// sameProblems says how the coded problems of got differ from want's.
func sameProblems(got, want error) string {
	g, w := core.ProblemsOf(got), core.ProblemsOf(want)
	if len(g) != len(w) {
		return "got problems " + got.Error() + ", want " + want.Error()
	}
	for i := range g {
		if g[i].Field != w[i].Field || g[i].Code != w[i].Code || g[i].Args["value"] != w[i].Args["value"] {
			return "got problem " + g[i].Field + " " + g[i].Code + ", want " + w[i].Field + " " + w[i].Code
		}
	}
	return ""
}

// splitAPI calls as rita through her own connection, as the command line
// through the other.
type splitAPI struct {
	holidaysAPI
	rita      *Client
	ritaActor core.Actor
}

func (s *splitAPI) pick(a core.Actor) holidaysAPI {
	if a == s.ritaActor {
		return s.rita
	}
	return s.holidaysAPI
}

func (s *splitAPI) Holidays(a core.Actor) ([]core.Holiday, error) { return s.pick(a).Holidays(a) }

func (s *splitAPI) PublicHolidays(a core.Actor, country string, year int) ([]core.Holiday, error) {
	return s.pick(a).PublicHolidays(a, country, year)
}

func (s *splitAPI) AddPublicHolidays(a core.Actor, country string, year int, dryRun bool) (core.PublicHolidayMerge, error) {
	return s.pick(a).AddPublicHolidays(a, country, year, dryRun)
}
