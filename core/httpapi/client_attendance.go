package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"time"

	"frontdesk/core"
)

// Timesheet computes the timesheet q selects, with each person's name
// and department as the engine gives them.
func (c *Client) Timesheet(a core.Actor, q core.TimesheetQuery) (core.Timesheet, error) {
	if err := c.checkActor(a); err != nil {
		return core.Timesheet{}, err
	}
	// The people arrive one a line; they are decoded on every core as
	// they come.
	type line struct {
		at int
		b  []byte
	}
	type decoded struct {
		at int
		p  TimesheetPerson
	}
	lines := make(chan line, 64)
	parts := runtime.NumCPU()
	done := make([][]decoded, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() {
			for l := range lines {
				var p TimesheetPerson
				if err := json.Unmarshal(l.b, &p); err != nil {
					errs[k] = fmt.Errorf("person %d of the timesheet: %w", l.at+1, err)
					continue
				}
				done[k] = append(done[k], decoded{l.at, p})
			}
		})
	}
	n := 0
	var uses TimesheetUses
	var usesErr error
	head := func(h http.Header) {
		if v := h.Get(usesHeader); v != "" {
			if err := json.Unmarshal([]byte(v), &uses); err != nil {
				usesErr = fmt.Errorf("the timesheet's %s: %w", usesHeader, err)
			}
		}
	}
	err := c.streamHead(context.Background(), http.MethodPost, "/v1/timesheet", nil, timesheetRequest(q), head, func(b []byte) error {
		lines <- line{n, bytes.Clone(b)}
		n++
		return nil
	})
	close(lines)
	wg.Wait()
	if err != nil {
		return core.Timesheet{}, err
	}
	if err := errors.Join(append(errs, usesErr)...); err != nil {
		return core.Timesheet{}, c.lost(err)
	}
	people := make([]TimesheetPerson, n)
	for _, d := range done {
		for _, p := range d {
			people[p.at] = p.p
		}
	}
	return core.Timesheet{People: corePeople(people), Uses: uses.core()}, nil
}

// Metrics computes the figures of the records q selects.
func (c *Client) Metrics(a core.Actor, q core.TimesheetQuery) (core.Metrics, error) {
	if err := c.checkActor(a); err != nil {
		return core.Metrics{}, err
	}
	var m core.Metrics
	err := c.call(http.MethodPost, "/v1/metrics", nil, timesheetRequest(q), &m)
	return m, err
}

// Attendance returns the attendance records of the days q selects, by
// person.
func (c *Client) Attendance(a core.Actor, q core.TimesheetQuery) (map[string][]core.AttendanceEntry, error) {
	return ask[map[string][]core.AttendanceEntry](c, a, http.MethodPost, "/v1/attendance", nil, timesheetRequest(q))
}

// AttendanceSheet is the attendance sheet at at (zero: now) of everyone
// or of a department.
func (c *Client) AttendanceSheet(a core.Actor, at time.Time, department string) (*core.SheetReport, error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	v := url.Values{}
	setTime(v, "at", at)
	if department != "" {
		v.Set("department", department)
	}
	var r core.SheetReport
	if err := c.call(http.MethodGet, "/v1/attendance/sheet", v, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// AttendanceDepartments returns the departments, by name then id.
func (c *Client) AttendanceDepartments(a core.Actor) ([]core.Department, error) {
	return ask[[]core.Department](c, a, http.MethodGet, "/v1/attendance/departments", nil, nil)
}

// AttendanceNames returns the names of the people ids, by id.
func (c *Client) AttendanceNames(a core.Actor, ids []string) (map[string]string, error) {
	return ask[map[string]string](c, a, http.MethodPost, "/v1/attendance/names", nil, NamesRequest{IDs: ids})
}

// AttendancePeople returns the people text finds, at most limit, and how
// many matched in all.
func (c *Client) AttendancePeople(a core.Actor, text string, limit int) ([]core.PersonRef, int, error) {
	return c.peopleRefs(a, "/v1/attendance/people", text, limit)
}

// peopleRefs asks path for the people text finds, ids and names, at most
// limit, and how many matched in all.
func (c *Client) peopleRefs(a core.Actor, path, text string, limit int) ([]core.PersonRef, int, error) {
	if err := c.checkActor(a); err != nil {
		return nil, 0, err
	}
	v := url.Values{}
	if text != "" {
		v.Set("text", text)
	}
	if limit != 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	var r PeopleRefs
	if err := c.call(http.MethodGet, path, v, nil, &r); err != nil {
		return nil, 0, err
	}
	return r.People, r.Total, nil
}

// periodQuery is the query of a list of records or justifications.
func periodQuery(person string, from, to time.Time) url.Values {
	v := url.Values{}
	if person != "" {
		v.Set("person", person)
	}
	setTime(v, "from", from)
	setTime(v, "to", to)
	return v
}

// AttendanceRecords returns the records entered by hand for person ("" for
// everyone) that overlap [from, to).
func (c *Client) AttendanceRecords(a core.Actor, person string, from, to time.Time) ([]core.AttendanceRecord, error) {
	return ask[[]core.AttendanceRecord](c, a, http.MethodGet, "/v1/attendance/records", periodQuery(person, from, to), nil)
}

// AddAttendance stores a record entered by hand.
func (c *Client) AddAttendance(a core.Actor, rec core.AttendanceRecord) (core.AttendanceRecord, error) {
	return recordCall[core.AttendanceRecord](c, a, http.MethodPost, "/v1/attendance/records", rec)
}

// UpdateAttendance changes record rec.ID.
func (c *Client) UpdateAttendance(a core.Actor, rec core.AttendanceRecord) (core.AttendanceRecord, error) {
	return recordCall[core.AttendanceRecord](c, a, http.MethodPut, "/v1/attendance/records/"+url.PathEscape(rec.ID), rec)
}

// DeleteAttendance removes record id and returns what it was.
func (c *Client) DeleteAttendance(a core.Actor, id string) (core.AttendanceRecord, error) {
	return recordCall[core.AttendanceRecord](c, a, http.MethodDelete, "/v1/attendance/records/"+url.PathEscape(id), nil)
}

// recordCall is a call about one record or justification, which answers
// it (or its file); body may be nil.
func recordCall[T any](c *Client, a core.Actor, method, path string, body any) (T, error) {
	var out T
	if err := c.checkActor(a); err != nil {
		return out, err
	}
	if err := c.call(method, path, nil, body, &out); err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// Justifications returns the justifications of person ("" for everyone)
// that overlap [from, to), as the caller may see them.
func (c *Client) Justifications(a core.Actor, person string, from, to time.Time) ([]core.Justification, error) {
	return ask[[]core.Justification](c, a, http.MethodGet, "/v1/justifications", periodQuery(person, from, to), nil)
}

// AddJustification stores a new justification.
func (c *Client) AddJustification(a core.Actor, j core.Justification) (core.Justification, error) {
	return recordCall[core.Justification](c, a, http.MethodPost, "/v1/justifications", j)
}

// UpdateJustification changes the period and reason of justification
// j.ID.
func (c *Client) UpdateJustification(a core.Actor, j core.Justification) (core.Justification, error) {
	return recordCall[core.Justification](c, a, http.MethodPut, "/v1/justifications/"+url.PathEscape(j.ID), j)
}

// SetJustificationState sets the state of justification id.
func (c *Client) SetJustificationState(a core.Actor, id string, state core.JustifState) (core.Justification, error) {
	return recordCall[core.Justification](c, a, http.MethodPut, "/v1/justifications/"+url.PathEscape(id)+"/state", JustifStateRequest{State: state})
}

// DeleteJustification removes justification id and returns what it was.
func (c *Client) DeleteJustification(a core.Actor, id string) (core.Justification, error) {
	return recordCall[core.Justification](c, a, http.MethodDelete, "/v1/justifications/"+url.PathEscape(id), nil)
}

// filePath is the path of file fid of justification jid.
func filePath(jid, fid string) string {
	return "/v1/justifications/" + url.PathEscape(jid) + "/files/" + url.PathEscape(fid)
}

// AttachFile attaches a file to justification id.
func (c *Client) AttachFile(a core.Actor, id, name string, data []byte) (core.JustifFile, error) {
	return recordCall[core.JustifFile](c, a, http.MethodPost, "/v1/justifications/"+url.PathEscape(id)+"/files", FileUpload{Name: name, Data: data})
}

// FileContent returns the content of file fid of justification jid and
// its trace line.
func (c *Client) FileContent(a core.Actor, jid, fid string) ([]byte, core.JustifFile, error) {
	r, err := recordCall[FileDownload](c, a, http.MethodGet, filePath(jid, fid), nil)
	if err != nil {
		return nil, core.JustifFile{}, err
	}
	return r.Data, r.File, nil
}

// DeleteFile deletes the content of file fid of justification jid.
func (c *Client) DeleteFile(a core.Actor, jid, fid string) (core.JustifFile, error) {
	return recordCall[core.JustifFile](c, a, http.MethodDelete, filePath(jid, fid), nil)
}

// Report builds the data of a report on the service. It is what the
// engine returns, Location, Generated, By and Fingerprint included, so
// that core/report prints the same PDF from it.
func (c *Client) Report(a core.Actor, q core.ReportQuery) (core.Report, error) {
	if err := c.checkActor(a); err != nil {
		return core.Report{}, err
	}
	var w ReportReply
	if err := c.call(http.MethodPost, "/v1/reports", nil, reportRequest(q), &w); err != nil {
		return core.Report{}, err
	}
	r := w.Report
	r.Generated, r.By, r.Fingerprint = w.Generated, w.By, w.Fingerprint
	loc, err := time.LoadLocation(r.Zone)
	if err != nil {
		return core.Report{}, fmt.Errorf("report: the service's time zone %q is unknown here: %w", r.Zone, err)
	}
	r.Location = loc
	if r.Timesheet != nil {
		if len(w.People) != len(r.Timesheet.Groups) {
			return core.Report{}, fmt.Errorf("report from %s: %d groups of names for %d groups", c.where, len(w.People), len(r.Timesheet.Groups))
		}
		for i := range r.Timesheet.Groups {
			g := &r.Timesheet.Groups[i]
			if len(w.People[i]) != len(g.People) {
				return core.Report{}, fmt.Errorf("report from %s: %d names for %d people", c.where, len(w.People[i]), len(g.People))
			}
			for j, n := range w.People[i] {
				g.People[j].Name, g.People[j].Department = n.Name, n.Department
			}
		}
	}
	return r, nil
}

// BalanceAdjustments returns the corrections of time banks of person (""
// for everyone) dated from to to, a zero bound open.
func (c *Client) BalanceAdjustments(a core.Actor, person string, from, to core.Date) ([]core.BalanceAdjustment, error) {
	v := url.Values{}
	if person != "" {
		v.Set("person", person)
	}
	if from != (core.Date{}) {
		v.Set("from", from.String())
	}
	if to != (core.Date{}) {
		v.Set("to", to.String())
	}
	return ask[[]core.BalanceAdjustment](c, a, http.MethodGet, "/v1/balance", v, nil)
}

// AdjustBalance stores a correction of a person's time bank.
func (c *Client) AdjustBalance(a core.Actor, adj core.BalanceAdjustment) (core.BalanceAdjustment, error) {
	return recordCall[core.BalanceAdjustment](c, a, http.MethodPost, "/v1/balance", adj)
}

// DeleteBalanceAdjustment removes correction id and returns what it was.
func (c *Client) DeleteBalanceAdjustment(a core.Actor, id string) (core.BalanceAdjustment, error) {
	return recordCall[core.BalanceAdjustment](c, a, http.MethodDelete, "/v1/balance/"+url.PathEscape(id), nil)
}

// Presence asks the service who is inside this site, or the latest
// presence of another site of the company it holds.
func (c *Client) Presence(a core.Actor, site string) ([]core.SitePresence, error) {
	var v url.Values
	if site != "" {
		v = url.Values{"site": {site}}
	}
	return ask[[]core.SitePresence](c, a, http.MethodGet, "/v1/presence", v, nil)
}
