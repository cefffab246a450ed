package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"frontdesk/core"
	"frontdesk/core/procs"
)

// routesAttendance registers attendance, justifications, timesheets and
// reports.
func (s *Server) routesAttendance() {
	s.handle("POST /v1/timesheet", s.timesheet)
	s.handle("POST /v1/metrics", s.metrics)
	s.handle("POST /v1/attendance", s.attendance)
	s.handle("GET /v1/attendance/sheet", s.attendanceSheet)
	s.handle("GET /v1/attendance/departments", s.attendanceDepartments)
	s.handle("POST /v1/attendance/names", s.attendanceNames)
	s.handle("GET /v1/attendance/people", s.attendancePeople)
	s.handle("GET /v1/attendance/records", s.attendanceRecords)
	s.handle("POST /v1/attendance/records", s.addAttendance)
	s.handle("PUT /v1/attendance/records/{id}", s.updateAttendance)
	s.handle("DELETE /v1/attendance/records/{id}", s.deleteAttendance)
	s.handle("GET /v1/justifications", s.justifications)
	s.handle("POST /v1/justifications", s.addJustification)
	s.handle("PUT /v1/justifications/{id}", s.updateJustification)
	s.handle("DELETE /v1/justifications/{id}", s.deleteJustification)
	s.handle("PUT /v1/justifications/{id}/state", s.setJustificationState)
	s.handle("POST /v1/justifications/{id}/files", s.attachFile)
	s.handle("GET /v1/justifications/{id}/files/{fid}", s.fileContent)
	s.handle("DELETE /v1/justifications/{id}/files/{fid}", s.deleteFile)
	s.handle("POST /v1/reports", s.report)
	s.handle("GET /v1/presence", s.presence)
	s.handle("GET /v1/balance", s.balanceAdjustments)
	s.handle("POST /v1/balance", s.adjustBalance)
	s.handle("DELETE /v1/balance/{id}", s.deleteBalanceAdjustment)
}

// TimesheetRequest is core.TimesheetQuery on the wire (the body of POST
// /v1/timesheet, /v1/metrics and /v1/attendance). A zero date is left
// out: core.Date writes only valid dates.
type TimesheetRequest struct {
	From       core.Date `json:"from,omitzero"`
	To         core.Date `json:"to,omitzero"`
	Person     string    `json:"person,omitempty"`
	Department string    `json:"department,omitempty"`
	// Site is whose events count at the central site of a company: ""
	// this site's, "all", or another site's id.
	Site string `json:"site,omitempty"`
}

func timesheetRequest(q core.TimesheetQuery) TimesheetRequest {
	return TimesheetRequest{From: q.From, To: q.To, Person: q.Person, Department: q.Department, Site: q.Site}
}

// query is the request's query. Both days are required: the engine
// would count a zero date as a day, whose JSON cannot be written.
func (r TimesheetRequest) query() (core.TimesheetQuery, error) {
	switch {
	case r.From == (core.Date{}):
		return core.TimesheetQuery{}, invalid("body.from", "missing: want a date YYYY-MM-DD")
	case r.To == (core.Date{}):
		return core.TimesheetQuery{}, invalid("body.to", "missing: want a date YYYY-MM-DD")
	}
	return core.TimesheetQuery{From: r.From, To: r.To, Person: r.Person, Department: r.Department, Site: r.Site}, nil
}

// decodeTimesheet reads the body of a timesheet, metrics or attendance
// request.
func (c *call) decodeTimesheet() (core.TimesheetQuery, error) {
	var req TimesheetRequest
	if err := c.decode(&req); err != nil {
		return core.TimesheetQuery{}, err
	}
	return req.query()
}

// TimesheetPerson is core.PersonTimesheet on the wire: its JSON (the
// command line's, DESIGN §4) has the person's id only; the name and
// department the engine returns with it are carried beside it.
type TimesheetPerson struct {
	core.PersonTimesheet
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
}

func wirePeople(ps []core.PersonTimesheet) []TimesheetPerson {
	if ps == nil {
		return nil
	}
	out := make([]TimesheetPerson, len(ps))
	for i, p := range ps {
		out[i] = TimesheetPerson{PersonTimesheet: p, Name: p.Name, Department: p.Department}
	}
	return out
}

func corePeople(ps []TimesheetPerson) []core.PersonTimesheet {
	if ps == nil {
		return nil
	}
	out := make([]core.PersonTimesheet, len(ps))
	for i, p := range ps {
		out[i] = p.PersonTimesheet
		out[i].Name, out[i].Department = p.Name, p.Department
	}
	return out
}

func (s *Server) timesheet(c *call) (any, error) {
	q, err := c.decodeTimesheet()
	if err != nil {
		return nil, err
	}
	ts, err := s.engine.Timesheet(c.actor, q)
	if err != nil {
		return nil, err
	}
	uses, err := json.Marshal(wireUses(ts.Uses))
	if err != nil {
		return nil, err
	}
	c.w.Header().Set(usesHeader, string(uses))
	// One line per person (a month of a thousand people is megabytes),
	// encoded on as many cores as the calls may keep busy (core.Spread);
	// the client decodes them likewise as they arrive.
	people := wirePeople(ts.People)
	lines := make([]rawLine, len(people))
	errs := make([]error, len(people))
	parts := procs.Cores()
	core.Spread(parts, func(k int) {
		for i := k; i < len(people); i += parts {
			lines[i], errs[i] = json.Marshal(people[i])
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("encode the timesheet: %w", err)
	}
	return c.stream(false, func(send func(any) error) error {
		for _, l := range lines {
			if err := send(l); err != nil {
				return err
			}
		}
		return nil
	})
}

// usesHeader is the header of a timesheet's answer that says which
// optional columns the site uses (TimesheetUses, in JSON): the lines are
// the people alone.
const usesHeader = "Frontdesk-Timesheet-Uses"

// TimesheetUses is core.TimesheetUses on the wire.
type TimesheetUses struct {
	Paid    bool `json:"paid,omitempty"`
	Night   bool `json:"night,omitempty"`
	Balance bool `json:"balance,omitempty"`
}

func wireUses(u core.TimesheetUses) TimesheetUses {
	return TimesheetUses{Paid: u.Paid, Night: u.Night, Balance: u.Balance}
}

func (u TimesheetUses) core() core.TimesheetUses {
	return core.TimesheetUses{Paid: u.Paid, Night: u.Night, Balance: u.Balance}
}

func (s *Server) metrics(c *call) (any, error) {
	q, err := c.decodeTimesheet()
	if err != nil {
		return nil, err
	}
	return s.engine.Metrics(c.actor, q)
}

func (s *Server) attendance(c *call) (any, error) {
	q, err := c.decodeTimesheet()
	if err != nil {
		return nil, err
	}
	return s.engine.Attendance(c.actor, q)
}

// attendanceSheet is GET /v1/attendance/sheet?at=&department=.
func (s *Server) attendanceSheet(c *call) (any, error) {
	at, err := c.timeParam("at")
	if err != nil {
		return nil, err
	}
	return s.engine.AttendanceSheet(c.actor, at, c.query("department"))
}

func (s *Server) attendanceDepartments(c *call) (any, error) {
	return s.engine.AttendanceDepartments(c.actor)
}

// NamesRequest is the body of POST /v1/attendance/names: the ids whose
// names are asked (a screen's whole page of them: too many for a URL).
type NamesRequest struct {
	IDs []string `json:"ids"`
}

func (s *Server) attendanceNames(c *call) (any, error) {
	var req NamesRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.AttendanceNames(c.actor, req.IDs)
}

// PeopleRefs is the answer of GET /v1/attendance/people?text=&limit=:
// the people found, at most limit, and how many matched in all.
type PeopleRefs struct {
	People []core.PersonRef `json:"people"`
	Total  int              `json:"total"`
}

func (s *Server) attendancePeople(c *call) (any, error) {
	limit, err := c.intParam("limit")
	if err != nil {
		return nil, err
	}
	people, total, err := s.engine.AttendancePeople(c.actor, c.query("text"), limit)
	if err != nil {
		return nil, err
	}
	return PeopleRefs{People: people, Total: total}, nil
}

// period reads the person, from and to of a list of records or
// justifications.
func (c *call) period() (person string, from, to time.Time, err error) {
	if from, err = c.timeParam("from"); err != nil {
		return "", from, to, err
	}
	if to, err = c.timeParam("to"); err != nil {
		return "", from, to, err
	}
	return c.query("person"), from, to, nil
}

// attendanceRecords is GET /v1/attendance/records?person=&from=&to=.
func (s *Server) attendanceRecords(c *call) (any, error) {
	person, from, to, err := c.period()
	if err != nil {
		return nil, err
	}
	return s.engine.AttendanceRecords(c.actor, person, from, to)
}

func (s *Server) addAttendance(c *call) (any, error) {
	var rec core.AttendanceRecord
	if err := c.decode(&rec); err != nil {
		return nil, err
	}
	return s.engine.AddAttendance(c.actor, rec)
}

// pathID puts the path's {id} in the body's id: a body that names
// another is refused.
func (c *call) pathID(body *string) error {
	id := c.r.PathValue("id")
	if *body != "" && *body != id {
		return invalid("body.id", "\""+*body+"\" is not the id of the path, \""+id+"\"")
	}
	*body = id
	return nil
}

func (s *Server) updateAttendance(c *call) (any, error) {
	var rec core.AttendanceRecord
	if err := c.decode(&rec); err != nil {
		return nil, err
	}
	if err := c.pathID(&rec.ID); err != nil {
		return nil, err
	}
	return s.engine.UpdateAttendance(c.actor, rec)
}

func (s *Server) deleteAttendance(c *call) (any, error) {
	return s.engine.DeleteAttendance(c.actor, c.r.PathValue("id"))
}

// justifications is GET /v1/justifications?person=&from=&to=.
func (s *Server) justifications(c *call) (any, error) {
	person, from, to, err := c.period()
	if err != nil {
		return nil, err
	}
	return s.engine.Justifications(c.actor, person, from, to)
}

func (s *Server) addJustification(c *call) (any, error) {
	var j core.Justification
	if err := c.decode(&j); err != nil {
		return nil, err
	}
	return s.engine.AddJustification(c.actor, j)
}

func (s *Server) updateJustification(c *call) (any, error) {
	var j core.Justification
	if err := c.decode(&j); err != nil {
		return nil, err
	}
	if err := c.pathID(&j.ID); err != nil {
		return nil, err
	}
	return s.engine.UpdateJustification(c.actor, j)
}

// JustifStateRequest is the body of PUT /v1/justifications/{id}/state.
type JustifStateRequest struct {
	State core.JustifState `json:"state"`
}

func (s *Server) setJustificationState(c *call) (any, error) {
	var req JustifStateRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.SetJustificationState(c.actor, c.r.PathValue("id"), req.State)
}

func (s *Server) deleteJustification(c *call) (any, error) {
	return s.engine.DeleteJustification(c.actor, c.r.PathValue("id"))
}

// FileUpload is the body of POST /v1/justifications/{id}/files: the
// file's name as given and its content (base64 in JSON).
type FileUpload struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

func (s *Server) attachFile(c *call) (any, error) {
	var req FileUpload
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.AttachFile(c.actor, c.r.PathValue("id"), req.Name, req.Data)
}

// FileDownload is the answer of GET /v1/justifications/{id}/files/{fid}:
// the file's trace line and its content (base64 in JSON).
type FileDownload struct {
	File core.JustifFile `json:"file"`
	Data []byte          `json:"data"`
}

func (s *Server) fileContent(c *call) (any, error) {
	data, f, err := s.engine.FileContent(c.actor, c.r.PathValue("id"), c.r.PathValue("fid"))
	if err != nil {
		return nil, err
	}
	return FileDownload{File: f, Data: data}, nil
}

func (s *Server) deleteFile(c *call) (any, error) {
	return s.engine.DeleteFile(c.actor, c.r.PathValue("id"), c.r.PathValue("fid"))
}

// ReportRequest is core.ReportQuery on the wire, the body of POST
// /v1/reports. Zero dates and instants are left out.
type ReportRequest struct {
	Kind       core.ReportKind `json:"kind"`
	From       core.Date       `json:"from,omitzero"`
	To         core.Date       `json:"to,omitzero"`
	At         time.Time       `json:"at,omitzero"`
	Person     string          `json:"person,omitempty"`
	Department string          `json:"department,omitempty"`
	Door       string          `json:"door,omitempty"`
	Site       string          `json:"site,omitempty"`
}

func reportRequest(q core.ReportQuery) ReportRequest {
	return ReportRequest{Kind: q.Kind, From: q.From, To: q.To, At: q.At, Person: q.Person, Department: q.Department, Door: q.Door, Site: q.Site}
}

func (r ReportRequest) query() core.ReportQuery {
	return core.ReportQuery{Kind: r.Kind, From: r.From, To: r.To, At: r.At, Person: r.Person, Department: r.Department, Door: r.Door, Site: r.Site}
}

// ReportReply is core.Report on the wire, the answer of POST /v1/reports:
// the report's JSON (the command line's) and what it leaves out, so that
// the client prints the same PDF as the service would. Its Location is
// the time zone Zone names, loaded again by the client.
type ReportReply struct {
	core.Report
	Generated   time.Time `json:"generated"`
	By          string    `json:"by"`
	Fingerprint string    `json:"fingerprint"`
	// People are the names and departments of the timesheet's people,
	// group by group, in the order of the groups' People.
	People [][]PersonName `json:"timesheet_people,omitempty"`
}

// PersonName is a timesheet person's name and department id.
type PersonName struct {
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
}

func wireReport(r core.Report) ReportReply {
	w := ReportReply{Report: r, Generated: r.Generated, By: r.By, Fingerprint: r.Fingerprint}
	if r.Timesheet != nil {
		w.People = make([][]PersonName, len(r.Timesheet.Groups))
		for i, g := range r.Timesheet.Groups {
			w.People[i] = make([]PersonName, len(g.People))
			for j, p := range g.People {
				w.People[i][j] = PersonName{Name: p.Name, Department: p.Department}
			}
		}
	}
	return w
}

func (s *Server) report(c *call) (any, error) {
	var req ReportRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	r, err := s.engine.Report(c.actor, req.query())
	if err != nil {
		return nil, err
	}
	return wireReport(r), nil
}

// presence is GET /v1/presence?site=: who is inside this site, or the
// latest presence of another site ("all": every site's).
func (s *Server) presence(c *call) (any, error) {
	return s.engine.Presence(c.actor, c.query("site"))
}

// dateParam reads a YYYY-MM-DD query parameter; absent is the zero Date.
func (c *call) dateParam(name string) (core.Date, error) {
	s := c.query(name)
	if s == "" {
		return core.Date{}, nil
	}
	d, err := core.ParseDate(s)
	if err != nil {
		return core.Date{}, invalid("query."+name, fmt.Sprintf("%q is not a date YYYY-MM-DD", s))
	}
	return d, nil
}

// balanceAdjustments is GET /v1/balance?person=&from=&to=: the
// corrections of time banks dated from to to.
func (s *Server) balanceAdjustments(c *call) (any, error) {
	from, err := c.dateParam("from")
	if err != nil {
		return nil, err
	}
	to, err := c.dateParam("to")
	if err != nil {
		return nil, err
	}
	return s.engine.BalanceAdjustments(c.actor, c.query("person"), from, to)
}

func (s *Server) adjustBalance(c *call) (any, error) {
	var adj core.BalanceAdjustment
	if err := c.decode(&adj); err != nil {
		return nil, err
	}
	return s.engine.AdjustBalance(c.actor, adj)
}

func (s *Server) deleteBalanceAdjustment(c *call) (any, error) {
	return s.engine.DeleteBalanceAdjustment(c.actor, c.r.PathValue("id"))
}
