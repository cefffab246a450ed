package httpapi

import (
	"fmt"

	"frontdesk/core"
)

// This file serves people, their cards and departments (core.API's
// "People, cards and departments"). Bodies are decoded strictly (decode):
// a key the type does not have is a 400.

// routesPeople registers the routes of people, cards and departments.
func (s *Server) routesPeople() {
	s.handle("GET /v1/people", s.people)
	s.handle("POST /v1/people", s.addPerson)
	s.handle("POST /v1/people/import-csv", s.importPeople)
	s.handle("GET /v1/people/{id}", s.person)
	s.handle("PUT /v1/people/{id}", s.putPerson)
	s.handle("DELETE /v1/people/{id}", s.deletePerson)
	s.handle("GET /v1/people/{id}/cards", s.cardsOf)
	s.handle("POST /v1/people/{id}/cards", s.enrollCard)
	s.handle("GET /v1/people-choices", s.peopleChoices)
	s.handle("GET /v1/cards/{code}", s.cardHolder)
	s.handle("PUT /v1/cards/{code}/state", s.setCardState)
	s.handle("POST /v1/cards/{code}/replace", s.replaceCard)
	s.handle("GET /v1/usable-cards", s.usableCards)
	s.handle("GET /v1/ambiguous-cards", s.ambiguousCards)
	s.handle("GET /v1/departments", s.departments)
	s.handle("PUT /v1/departments/{id}", s.putDepartment)
	s.handle("DELETE /v1/departments/{id}", s.deleteDepartment)
}

// PeoplePage is the answer of GET /v1/people?text=&department=&limit=
// (core.API.People): the people selected, and how many match in all.
type PeoplePage struct {
	People []core.Person `json:"people"`
	Total  int           `json:"total"`
}

// PeopleChoices is the answer of GET /v1/people-choices: what a person's
// form chooses among (core.PeopleChoices, whose fields have no JSON names).
type PeopleChoices struct {
	Departments  []core.Department  `json:"departments"`
	AccessLevels []core.AccessLevel `json:"access_levels"`
	Shifts       []core.Shift       `json:"shifts"`
}

// CardHolder is the answer of GET /v1/cards/{code}: the card a read
// matches and its holder.
type CardHolder struct {
	Card   core.Card   `json:"card"`
	Person core.Person `json:"person"`
}

// EnrollRequest is the body of POST /v1/people/{id}/cards: the card to
// give the person, in any form core.ParseCode reads.
type EnrollRequest struct {
	Code string `json:"code"`
}

// CardStateRequest is the body of PUT /v1/cards/{code}/state.
type CardStateRequest struct {
	State core.CardState `json:"state"`
}

// ReplaceCardRequest is the body of POST /v1/cards/{code}/replace: the
// new card, which the old one's holder gets while the old one is marked
// lost.
type ReplaceCardRequest struct {
	NewCode string `json:"new_code"`
}

// The bodies of POST /v1/people and PUT /v1/people/{id} are a
// core.Person, of PUT /v1/departments/{id} a core.Department, and of
// POST /v1/people/import-csv?dry_run= a core.PeopleCSV (its JSON form:
// columns, ignored, rows, headers), or null for none.

// sameID refuses a body whose id is not the one its path names: the path
// says which object the call changes.
func sameID(field, path, body string) error {
	if path != body {
		return invalid("body."+field, fmt.Sprintf("%q is not the path's %q", body, path))
	}
	return nil
}

func (s *Server) people(c *call) (any, error) {
	limit, err := c.intParam("limit")
	if err != nil {
		return nil, err
	}
	q := core.PeopleQuery{Text: c.query("text"), Department: c.query("department"), Limit: limit}
	people, total, err := s.engine.People(c.actor, q)
	if err != nil {
		return nil, err
	}
	return PeoplePage{People: people, Total: total}, nil
}

func (s *Server) person(c *call) (any, error) {
	return s.engine.Person(c.actor, c.r.PathValue("id"))
}

func (s *Server) addPerson(c *call) (any, error) {
	var p core.Person
	if err := c.decode(&p); err != nil {
		return nil, err
	}
	return s.engine.AddPerson(c.actor, p)
}

func (s *Server) putPerson(c *call) (any, error) {
	var p core.Person
	if err := c.decode(&p); err != nil {
		return nil, err
	}
	if err := sameID("id", c.r.PathValue("id"), p.ID); err != nil {
		return nil, err
	}
	return s.engine.PutPerson(c.actor, p)
}

func (s *Server) deletePerson(c *call) (any, error) {
	return s.engine.DeletePerson(c.actor, c.r.PathValue("id"))
}

func (s *Server) peopleChoices(c *call) (any, error) {
	pc, err := s.engine.PeopleChoices(c.actor)
	if err != nil {
		return nil, err
	}
	return PeopleChoices{Departments: pc.Departments, AccessLevels: pc.AccessLevels, Shifts: pc.Shifts}, nil
}

func (s *Server) cardsOf(c *call) (any, error) {
	return s.engine.CardsOf(c.actor, c.r.PathValue("id"))
}

func (s *Server) enrollCard(c *call) (any, error) {
	var req EnrollRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.EnrollCard(c.actor, c.r.PathValue("id"), req.Code)
}

func (s *Server) cardHolder(c *call) (any, error) {
	card, p, err := s.engine.CardHolder(c.actor, c.r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	return CardHolder{Card: card, Person: p}, nil
}

func (s *Server) setCardState(c *call) (any, error) {
	var req CardStateRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.SetCardState(c.actor, c.r.PathValue("code"), req.State)
}

func (s *Server) replaceCard(c *call) (any, error) {
	var req ReplaceCardRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.ReplaceCard(c.actor, c.r.PathValue("code"), req.NewCode)
}

// usableCards is GET /v1/usable-cards?limit=N.
func (s *Server) usableCards(c *call) (any, error) {
	limit, err := c.intParam("limit")
	if err != nil {
		return nil, err
	}
	return s.engine.UsableCards(c.actor, limit)
}

func (s *Server) ambiguousCards(c *call) (any, error) {
	return s.engine.AmbiguousCards(c.actor)
}

func (s *Server) departments(c *call) (any, error) {
	return s.engine.Departments(c.actor)
}

func (s *Server) putDepartment(c *call) (any, error) {
	var d core.Department
	if err := c.decode(&d); err != nil {
		return nil, err
	}
	if err := sameID("id", c.r.PathValue("id"), d.ID); err != nil {
		return nil, err
	}
	return s.engine.PutDepartment(c.actor, d)
}

func (s *Server) deleteDepartment(c *call) (any, error) {
	if err := s.engine.DeleteDepartment(c.actor, c.r.PathValue("id")); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// importPeople is POST /v1/people/import-csv?dry_run=true.
func (s *Server) importPeople(c *call) (any, error) {
	dryRun, err := c.boolParam("dry_run")
	if err != nil {
		return nil, err
	}
	var f *core.PeopleCSV
	if err := c.decode(&f); err != nil {
		return nil, err
	}
	return s.engine.ImportPeople(c.actor, f, dryRun)
}
