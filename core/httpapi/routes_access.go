package httpapi

import (
	"bytes"
	"encoding/json"

	"frontdesk/core"
)

// This file serves the site's access rules (levels, schedules, shifts,
// holidays, grants), the site file and objects by kind (core.API's
// "Access" and "The site file and objects by kind").

// routesAccess registers the routes of access rules, grants, the site
// file and objects by kind.
func (s *Server) routesAccess() {
	s.handle("GET /v1/access-levels", s.accessLevels)
	s.handle("GET /v1/schedules", s.schedules)
	s.handle("GET /v1/shifts", s.shifts)
	s.handle("GET /v1/holidays", s.holidays)
	s.handle("GET /v1/public-holidays", s.publicHolidays)
	s.handle("POST /v1/public-holidays", s.addPublicHolidays)
	s.handle("GET /v1/grants", s.grants)
	s.handle("GET /v1/grants/people", s.grantablePeople)
	s.handle("POST /v1/grants", s.addGrant)
	s.handle("DELETE /v1/grants/{id}", s.revokeGrant)
	s.handle("GET /v1/site-file", s.exportSite)
	s.handle("POST /v1/site-file", s.importSite)
	s.handle("GET /v1/count/{kind}", s.count)
	s.handle("POST /v1/objects", s.putObject)
	s.handle("DELETE /v1/objects/{kind}/{id}", s.deleteObject)
}

// Count is the answer of GET /v1/count/{kind}.
type Count struct {
	Count int `json:"count"`
}

// The body of POST /v1/grants is a core.Grant; DELETE /v1/grants/{id}
// answers the grant revoked. The body of POST /v1/site-file is a site
// file as `frontdesk import` reads it (docs/site-file.md), or null for
// none; GET /v1/site-file answers one as `frontdesk export` writes it.

func (s *Server) accessLevels(c *call) (any, error) { return s.engine.AccessLevels(c.actor) }
func (s *Server) schedules(c *call) (any, error)    { return s.engine.Schedules(c.actor) }
func (s *Server) shifts(c *call) (any, error)       { return s.engine.Shifts(c.actor) }
func (s *Server) holidays(c *call) (any, error)     { return s.engine.Holidays(c.actor) }

// publicHolidays is GET /v1/public-holidays?country=&year=.
func (s *Server) publicHolidays(c *call) (any, error) {
	year, err := c.intParam("year")
	if err != nil {
		return nil, err
	}
	return s.engine.PublicHolidays(c.actor, c.query("country"), year)
}

// addPublicHolidays is POST /v1/public-holidays?country=&year=&dry_run=:
// a core.PublicHolidayMerge.
func (s *Server) addPublicHolidays(c *call) (any, error) {
	year, err := c.intParam("year")
	if err != nil {
		return nil, err
	}
	dry, err := c.boolParam("dry_run")
	if err != nil {
		return nil, err
	}
	return s.engine.AddPublicHolidays(c.actor, c.query("country"), year, dry)
}

// grants is GET /v1/grants?person=&door=.
func (s *Server) grants(c *call) (any, error) {
	return s.engine.Grants(c.actor, core.GrantQuery{Person: c.query("person"), Door: c.query("door")})
}

// grantablePeople is GET /v1/grants/people?text=&limit=: a PeopleRefs.
func (s *Server) grantablePeople(c *call) (any, error) {
	limit, err := c.intParam("limit")
	if err != nil {
		return nil, err
	}
	people, total, err := s.engine.GrantablePeople(c.actor, c.query("text"), limit)
	if err != nil {
		return nil, err
	}
	return PeopleRefs{People: people, Total: total}, nil
}

func (s *Server) addGrant(c *call) (any, error) {
	var g core.Grant
	if err := c.decode(&g); err != nil {
		return nil, err
	}
	return s.engine.AddGrant(c.actor, g)
}

func (s *Server) revokeGrant(c *call) (any, error) {
	return s.engine.RevokeGrant(c.actor, c.r.PathValue("id"))
}

func (s *Server) exportSite(c *call) (any, error) {
	return s.engine.Export(c.actor)
}

// importSite applies the site file of the body, all or nothing. The file
// is read as `frontdesk import` reads it (core.ReadSiteFile), so that a
// key the file format does not have, or one given twice, is refused
// naming its path ("people[2].phon: unknown key").
func (s *Server) importSite(c *call) (any, error) {
	return s.withSiteFile(c, s.engine.Import)
}

// putObject saves the one object of the body, a site file read as
// importSite reads one.
func (s *Server) putObject(c *call) (any, error) {
	return s.withSiteFile(c, s.engine.PutObject)
}

// withSiteFile reads the body as a site file ("null" for none) and hands
// it to do.
func (s *Server) withSiteFile(c *call, do func(core.Actor, *core.SiteFile) error) (any, error) {
	var raw json.RawMessage
	if err := c.decode(&raw); err != nil {
		return nil, err
	}
	var f *core.SiteFile
	if !bytes.Equal(raw, []byte("null")) {
		var err error
		if f, err = core.ReadSiteFile(bytes.NewReader(raw)); err != nil {
			return nil, err
		}
	}
	if err := do(c.actor, f); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func (s *Server) count(c *call) (any, error) {
	n, err := s.engine.Count(c.actor, core.Kind(c.r.PathValue("kind")))
	if err != nil {
		return nil, err
	}
	return Count{Count: n}, nil
}

func (s *Server) deleteObject(c *call) (any, error) {
	if err := s.engine.DeleteObject(c.actor, core.Kind(c.r.PathValue("kind")), c.r.PathValue("id")); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
