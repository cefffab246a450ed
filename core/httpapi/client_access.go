package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	"frontdesk/core"
)

// This file is the client's side of access rules, grants, the site file
// and objects by kind (routes_access.go).

// AccessLevels returns the site's access levels in id order.
func (c *Client) AccessLevels(a core.Actor) ([]core.AccessLevel, error) {
	return ask[[]core.AccessLevel](c, a, http.MethodGet, "/v1/access-levels", nil, nil)
}

// Schedules returns the site's schedules in id order.
func (c *Client) Schedules(a core.Actor) ([]core.Schedule, error) {
	return ask[[]core.Schedule](c, a, http.MethodGet, "/v1/schedules", nil, nil)
}

// Shifts returns the site's shifts in id order.
func (c *Client) Shifts(a core.Actor) ([]core.Shift, error) {
	return ask[[]core.Shift](c, a, http.MethodGet, "/v1/shifts", nil, nil)
}

// Holidays returns the site's holidays by date.
func (c *Client) Holidays(a core.Actor) ([]core.Holiday, error) {
	return ask[[]core.Holiday](c, a, http.MethodGet, "/v1/holidays", nil, nil)
}

// PublicHolidays returns country's public holidays in year, by date.
func (c *Client) PublicHolidays(a core.Actor, country string, year int) ([]core.Holiday, error) {
	return ask[[]core.Holiday](c, a, http.MethodGet, "/v1/public-holidays", holidayQuery(country, year), nil)
}

// AddPublicHolidays adds country's public holidays of year to the site's
// holidays, or with dryRun says what it would add and skip.
func (c *Client) AddPublicHolidays(a core.Actor, country string, year int, dryRun bool) (core.PublicHolidayMerge, error) {
	q := holidayQuery(country, year)
	if dryRun {
		q.Set("dry_run", "true")
	}
	return ask[core.PublicHolidayMerge](c, a, http.MethodPost, "/v1/public-holidays", q, nil)
}

func holidayQuery(country string, year int) url.Values {
	return url.Values{"country": {country}, "year": {strconv.Itoa(year)}}
}

// Grants lists the grants q selects, by id.
func (c *Client) Grants(a core.Actor, q core.GrantQuery) ([]core.Grant, error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	v := url.Values{}
	if q.Person != "" {
		v.Set("person", q.Person)
	}
	if q.Door != "" {
		v.Set("door", q.Door)
	}
	var out []core.Grant
	if err := c.call(http.MethodGet, "/v1/grants", v, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantablePeople returns the people, ids and names only, whose name or
// id text finds, at most limit, and how many matched in all.
func (c *Client) GrantablePeople(a core.Actor, text string, limit int) ([]core.PersonRef, int, error) {
	return c.peopleRefs(a, "/v1/grants/people", text, limit)
}

// AddGrant gives g.Person access to g.Door and returns the grant stored.
// Its From and Until are g's as given, in their time zone, as the engine
// returns them: JSON carries only their offset.
func (c *Client) AddGrant(a core.Actor, g core.Grant) (core.Grant, error) {
	if err := c.checkActor(a); err != nil {
		return core.Grant{}, err
	}
	var out core.Grant
	if err := c.send(http.MethodPost, "/v1/grants", nil, g, &out); err != nil {
		return core.Grant{}, err
	}
	if out.From.Equal(g.From) {
		out.From = g.From
	}
	if out.Until.Equal(g.Until) {
		out.Until = g.Until
	}
	return out, nil
}

// RevokeGrant removes grant id and returns what it was.
func (c *Client) RevokeGrant(a core.Actor, id string) (core.Grant, error) {
	seg, err := segment("grant", id)
	if err != nil {
		return core.Grant{}, err
	}
	return ask[core.Grant](c, a, http.MethodDelete, "/v1/grants/"+seg, nil, nil)
}

// Import applies a site file, all or nothing. The site's settings are
// read again afterwards: the file may change them.
func (c *Client) Import(a core.Actor, f *core.SiteFile) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	// Even a call that failed may have been applied before its answer
	// was lost.
	defer c.forgetSite()
	return c.send(http.MethodPost, "/v1/site-file", nil, f, nil)
}

// PutObject creates or changes the one object of f, audited as a change
// of that object. The site's settings are read again afterwards: f may
// be them.
func (c *Client) PutObject(a core.Actor, f *core.SiteFile) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	defer c.forgetSite()
	return c.send(http.MethodPost, "/v1/objects", nil, f, nil)
}

// Export returns the whole site as a site file.
func (c *Client) Export(a core.Actor) (*core.SiteFile, error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	var f core.SiteFile
	if err := c.call(http.MethodGet, "/v1/site-file", nil, nil, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// Count returns how many objects of kind the site holds.
func (c *Client) Count(a core.Actor, kind core.Kind) (int, error) {
	if err := c.checkActor(a); err != nil {
		return 0, err
	}
	seg, err := segment("kind", string(kind))
	if err != nil {
		return 0, err
	}
	var n Count
	if err := c.call(http.MethodGet, "/v1/count/"+seg, nil, nil, &n); err != nil {
		return 0, err
	}
	return n.Count, nil
}

// DeleteObject deletes an object of kind (zones, doors, devices,
// schedules, holidays, shifts, access levels).
func (c *Client) DeleteObject(a core.Actor, kind core.Kind, id string) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	kseg, err := segment("kind", string(kind))
	if err != nil {
		return err
	}
	seg, err := segment("id", id)
	if err != nil {
		return err
	}
	return c.call(http.MethodDelete, "/v1/objects/"+kseg+"/"+seg, nil, nil, nil)
}
