package httpapi

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"frontdesk/core"
)

// This file is the client's side of people, cards and departments
// (routes_people.go), and the helpers every client_*.go uses to put
// values in paths and bodies.
//
// Values come back as the engine gives them (api_people_test.go checks
// it with reflect.DeepEqual), with one difference no caller can use: an
// empty list in a field that JSON leaves out when empty (omitempty) comes
// back as none (nil). The engine gives none there anyway, as it reads
// such fields back from the store.

// segment escapes v as one segment of a path (a person's id, a card code
// such as "em:0102B0A5FD" or "uid:04 A2 2B 1A"). Ids may be "." or "..",
// which a path would read as a step up: they are escaped too. An empty v
// cannot be a segment; it is refused as a malformed request (the engine
// would answer that no such object exists, or that the id is required).
func segment(what, v string) (string, error) {
	if v == "" {
		return "", &Error{Kind: KindInvalid, Field: "path", Message: "invalid request: " + what + ": empty"}
	}
	s := url.PathEscape(v)
	if s == "." || s == ".." {
		s = strings.ReplaceAll(s, ".", "%2E")
	}
	return s, nil
}

// send is call for a request with a body: it first refuses text that JSON
// cannot carry (see badText) rather than send something else.
func (c *Client) send(method, path string, query url.Values, in, out any) error {
	if p, bad := badText(reflect.ValueOf(in), ""); bad {
		return &Error{Kind: KindInvalid, Field: strings.TrimSuffix("body."+p, "."),
			Message: strings.TrimPrefix(p+": ", ": ") + "is not valid UTF-8 text"}
	}
	return c.call(method, path, query, in, out)
}

// badText finds a string in v that is not valid UTF-8: encoding/json
// would replace its bad bytes with U+FFFD, and the service would store
// text nobody wrote where the engine refuses it (the text rule). It
// returns the JSON path of the first one ("name", "people[2].phone").
func badText(v reflect.Value, path string) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return path, !utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return badText(v.Elem(), path)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			if p, bad := badText(v.Field(i), name); bad {
				return p, true
			}
		}
	case reflect.Slice, reflect.Array:
		if k := v.Type().Elem().Kind(); k >= reflect.Bool && k <= reflect.Complex128 {
			return "", false // numbers and bytes
		}
		for i := range v.Len() {
			if p, bad := badText(v.Index(i), path+"["+strconv.Itoa(i)+"]"); bad {
				return p, true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			k := it.Key()
			if k.Kind() == reflect.String && !utf8.ValidString(k.String()) {
				return path, true
			}
			if p, bad := badText(it.Value(), path+"."+k.String()); bad {
				return p, true
			}
		}
	}
	return "", false
}

// People returns the people q selects and how many match in all.
func (c *Client) People(a core.Actor, q core.PeopleQuery) ([]core.Person, int, error) {
	if err := c.checkActor(a); err != nil {
		return nil, 0, err
	}
	v := url.Values{}
	if q.Text != "" {
		v.Set("text", q.Text)
	}
	if q.Department != "" {
		v.Set("department", q.Department)
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var page PeoplePage
	if err := c.call(http.MethodGet, "/v1/people", v, nil, &page); err != nil {
		return nil, 0, err
	}
	return page.People, page.Total, nil
}

// Person returns the person id.
func (c *Client) Person(a core.Actor, id string) (core.Person, error) {
	seg, err := segment("person", id)
	if err != nil {
		return core.Person{}, err
	}
	return ask[core.Person](c, a, http.MethodGet, "/v1/people/"+seg, nil, nil)
}

// PeopleChoices returns the departments, access levels and shifts a
// person's form chooses among.
func (c *Client) PeopleChoices(a core.Actor) (core.PeopleChoices, error) {
	if err := c.checkActor(a); err != nil {
		return core.PeopleChoices{}, err
	}
	var pc PeopleChoices
	if err := c.call(http.MethodGet, "/v1/people-choices", nil, nil, &pc); err != nil {
		return core.PeopleChoices{}, err
	}
	return core.PeopleChoices{Departments: pc.Departments, AccessLevels: pc.AccessLevels, Shifts: pc.Shifts}, nil
}

// AddPerson stores a new person.
func (c *Client) AddPerson(a core.Actor, p core.Person) (core.Person, error) {
	return ask[core.Person](c, a, http.MethodPost, "/v1/people", nil, p)
}

// PutPerson stores p, new or changed.
func (c *Client) PutPerson(a core.Actor, p core.Person) (core.Person, error) {
	seg, err := segment("id", p.ID)
	if err != nil {
		return core.Person{}, err
	}
	return ask[core.Person](c, a, http.MethodPut, "/v1/people/"+seg, nil, p)
}

// DeletePerson removes person id and returns what they were.
func (c *Client) DeletePerson(a core.Actor, id string) (core.Person, error) {
	seg, err := segment("person", id)
	if err != nil {
		return core.Person{}, err
	}
	return ask[core.Person](c, a, http.MethodDelete, "/v1/people/"+seg, nil, nil)
}

// CardsOf returns person's cards.
func (c *Client) CardsOf(a core.Actor, person string) ([]core.Card, error) {
	seg, err := segment("person", person)
	if err != nil {
		return nil, err
	}
	return ask[[]core.Card](c, a, http.MethodGet, "/v1/people/"+seg+"/cards", nil, nil)
}

// CardHolder returns the card a read matches and its holder.
func (c *Client) CardHolder(a core.Actor, code string) (core.Card, core.Person, error) {
	if err := c.checkActor(a); err != nil {
		return core.Card{}, core.Person{}, err
	}
	seg, err := segment("card code", code)
	if err != nil {
		return core.Card{}, core.Person{}, err
	}
	var h CardHolder
	if err := c.call(http.MethodGet, "/v1/cards/"+seg, nil, nil, &h); err != nil {
		return core.Card{}, core.Person{}, err
	}
	return h.Card, h.Person, nil
}

// EnrollCard gives person the card code.
func (c *Client) EnrollCard(a core.Actor, person, code string) (core.Card, error) {
	seg, err := segment("person", person)
	if err != nil {
		return core.Card{}, err
	}
	return ask[core.Card](c, a, http.MethodPost, "/v1/people/"+seg+"/cards", nil, EnrollRequest{Code: code})
}

// ReplaceCard marks card oldCode lost and enrols newCode for its holder.
func (c *Client) ReplaceCard(a core.Actor, oldCode, newCode string) (core.Card, error) {
	seg, err := segment("card code", oldCode)
	if err != nil {
		return core.Card{}, err
	}
	return ask[core.Card](c, a, http.MethodPost, "/v1/cards/"+seg+"/replace", nil, ReplaceCardRequest{NewCode: newCode})
}

// SetCardState makes card code active, lost or revoked.
func (c *Client) SetCardState(a core.Actor, code string, state core.CardState) (core.Card, error) {
	seg, err := segment("card code", code)
	if err != nil {
		return core.Card{}, err
	}
	return ask[core.Card](c, a, http.MethodPut, "/v1/cards/"+seg+"/state", nil, CardStateRequest{State: state})
}

// UsableCards returns up to limit codes of active cards of active people.
func (c *Client) UsableCards(a core.Actor, limit int) ([]string, error) {
	return ask[[]string](c, a, http.MethodGet, "/v1/usable-cards", url.Values{"limit": {strconv.Itoa(limit)}}, nil)
}

// AmbiguousCards returns the pairs of cards of different people that
// readers of the site cannot tell apart.
func (c *Client) AmbiguousCards(a core.Actor) ([]core.CardPair, error) {
	return ask[[]core.CardPair](c, a, http.MethodGet, "/v1/ambiguous-cards", nil, nil)
}

// Departments returns the site's departments by name.
func (c *Client) Departments(a core.Actor) ([]core.Department, error) {
	return ask[[]core.Department](c, a, http.MethodGet, "/v1/departments", nil, nil)
}

// PutDepartment stores d, new or changed.
func (c *Client) PutDepartment(a core.Actor, d core.Department) (core.Department, error) {
	seg, err := segment("id", d.ID)
	if err != nil {
		return core.Department{}, err
	}
	return ask[core.Department](c, a, http.MethodPut, "/v1/departments/"+seg, nil, d)
}

// DeleteDepartment removes department id.
func (c *Client) DeleteDepartment(a core.Actor, id string) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	seg, err := segment("department", id)
	if err != nil {
		return err
	}
	return c.call(http.MethodDelete, "/v1/departments/"+seg, nil, nil, nil)
}

// ImportPeople merges the people of f into the site, all or nothing;
// with dryRun nothing is written.
func (c *Client) ImportPeople(a core.Actor, f *core.PeopleCSV, dryRun bool) (core.PeopleImport, error) {
	if err := c.checkActor(a); err != nil {
		return core.PeopleImport{}, err
	}
	var q url.Values
	if dryRun {
		q = url.Values{"dry_run": {"true"}}
	}
	var out core.PeopleImport
	if err := c.send(http.MethodPost, "/v1/people/import-csv", q, f, &out); err != nil {
		return core.PeopleImport{}, err
	}
	return out, nil
}
