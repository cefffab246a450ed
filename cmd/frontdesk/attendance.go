package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"frontdesk/core"
)

// attendanceJSON is an attendance record as the command line prints it.
type attendanceJSON struct {
	ID          string               `json:"id"`
	Person      string               `json:"person"`
	From        string               `json:"from"`
	Until       string               `json:"until"`
	State       core.AttendanceState `json:"state"`
	Description string               `json:"description,omitempty"`
	EnteredBy   string               `json:"entered_by"`
	EnteredAt   string               `json:"entered_at"`
	// Derived and Justified are set by list --from --to, which shows the
	// records derived from taps too.
	Derived   bool `json:"derived,omitempty"`
	Justified bool `json:"justified,omitempty"`
}

func (c *command) attendanceJSON(r core.AttendanceRecord) attendanceJSON {
	return attendanceJSON{ID: r.ID, Person: r.Person, From: c.stamp(r.From), Until: c.stamp(r.Until), State: r.State,
		Description: r.Description, EnteredBy: r.EnteredBy, EnteredAt: c.stamp(r.EnteredAt)}
}

func (c *command) attendance(args []string) error {
	if len(args) == 0 {
		return usagef("attendance: want add, list or delete")
	}
	switch args[0] {
	case "add":
		return c.attendanceAdd(args[1:])
	case "list":
		return c.attendanceList(args[1:])
	case "delete":
		return c.attendanceDelete(args[1:])
	}
	return usagef("attendance: unknown subcommand %q: want add, list or delete", args[0])
}

// period parses --from and --to, a DATE as --to meaning the end of that
// day; with both required, neither may be missing; given both, from must
// be before to.
func (c *command) period(from, to string, required bool) (time.Time, time.Time, error) {
	f, err := c.time("from", from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, err := c.end("to", to)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if required && (f.IsZero() || t.IsZero()) {
		return time.Time{}, time.Time{}, usagef("--from and --to are required")
	}
	if !f.IsZero() && !t.IsZero() && !f.Before(t) {
		return time.Time{}, time.Time{}, usagef("--to must be after --from")
	}
	return f, t, nil
}

func (c *command) attendanceAdd(args []string) error {
	fs := c.flags("attendance add", "--person ID --from TIME --to TIME --state present|late|absent [--description TEXT]")
	person := fs.String("person", "", "person `ID`")
	from := fs.String("from", "", "start `TIME` (RFC 3339, local 2026-11-24T09:00, or a DATE for that day's start)")
	to := fs.String("to", "", "end `TIME`, exclusive (or a DATE: through the end of that day)")
	state := fs.String("state", "", "`STATE`: present, late or absent")
	desc := fs.String("description", "", "free `TEXT`")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *person == "" || *from == "" || *to == "" || *state == "" {
		return usagef("attendance add: --person, --from, --to and --state are required")
	}
	st, err := core.ParseAttendanceState(*state)
	if err != nil {
		return usagef("--state: %v", err)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	rec := core.AttendanceRecord{Person: *person, State: st, Description: *desc}
	if rec.From, rec.Until, err = c.period(*from, *to, true); err != nil {
		return err
	}
	rec, err = c.api.AddAttendance(c.actor(), rec)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.attendanceJSON(rec))
	}
	fmt.Fprintln(c.stdout, rec.ID)
	return nil
}

func (c *command) attendanceList(args []string) error {
	fs := c.flags("attendance list", "[--person ID] [--from TIME] [--to TIME]")
	person := fs.String("person", "", "only the person `ID`")
	from := fs.String("from", "", "records ending after `TIME` (or DATE: that day's start)")
	to := fs.String("to", "", "records starting before `TIME` (or DATE: through the end of that day)")
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	f, t, err := c.period(*from, *to, false)
	if err != nil {
		return err
	}
	if !f.IsZero() && !t.IsZero() {
		return c.attendanceSheet(*person, f, t)
	}
	recs, err := c.api.AttendanceRecords(c.actor(), *person, f, t)
	if err != nil {
		return err
	}
	if c.json {
		out := make([]attendanceJSON, len(recs))
		for i, r := range recs {
			out[i] = c.attendanceJSON(r)
		}
		return c.printJSON(out)
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	c.header(tab, "ID", "PERSON", "FROM", "UNTIL", "STATE", "ENTERED BY", "DETAILS")
	for _, r := range recs {
		tab.row(r.ID, r.Person, c.local(r.From), c.local(r.Until), r.State, r.EnteredBy, r.Description)
	}
	return tab.flush()
}

// attendanceSheet lists the records of the days from f to t: derived from
// the taps (DESIGN §2.4) and entered by hand, with whether each is
// justified.
func (c *command) attendanceSheet(person string, f, t time.Time) error {
	loc := c.api.Location()
	q := core.TimesheetQuery{Person: person, From: core.DateOf(f, loc), To: core.DateOf(t.Add(-time.Nanosecond), loc)}
	byPerson, err := c.api.Attendance(c.actor(), q)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(byPerson))
	for id := range byPerson {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var entries []core.AttendanceEntry
	for _, id := range ids {
		entries = append(entries, byPerson[id]...)
	}
	if c.json {
		out := make([]attendanceJSON, len(entries))
		for i, r := range entries {
			out[i] = c.attendanceJSON(r.AttendanceRecord)
			out[i].Derived, out[i].Justified = r.Derived, r.Justified
			if r.Derived {
				out[i].EnteredBy, out[i].EnteredAt = "", ""
			}
		}
		return c.printJSON(nonNilSlice(out))
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	c.header(tab, "ID", "PERSON", "FROM", "UNTIL", "STATE", "JUSTIFIED", "ENTERED BY", "DETAILS")
	for _, r := range entries {
		id, by := r.ID, r.EnteredBy
		if r.Derived {
			id, by = "-", "(from taps)"
		}
		just := ""
		if r.Justified {
			just = "yes"
		}
		tab.row(id, r.Person, c.local(r.From), c.local(r.Until), r.State, just, by, r.Description)
	}
	return tab.flush()
}

// nonNilSlice prints [] rather than null for no records.
func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (c *command) attendanceDelete(args []string) error {
	fs := c.flags("attendance delete", "ID")
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	r, err := c.api.DeleteAttendance(c.actor(), pos[0])
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]any{"deleted": c.attendanceJSON(r)})
	}
	c.say("deleted %s (%s %s of %s)", r.ID, c.tr().T(string(r.State)), c.local(r.From), printable(r.Person))
	return nil
}

// justifJSON is a justification as the command line prints it, with the
// trace of its files.
type justifJSON struct {
	ID          string           `json:"id"`
	Person      string           `json:"person"`
	From        string           `json:"from"`
	Until       string           `json:"until"`
	State       core.JustifState `json:"state"`
	Reason      string           `json:"reason,omitempty"`
	Withheld    bool             `json:"withheld,omitempty"`
	DepositedBy string           `json:"deposited_by"`
	DepositedAt string           `json:"deposited_at"`
	Files       []fileJSON       `json:"files"`
}

// fileJSON is one line of a justification's file trace.
type fileJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ServerName  string `json:"server_name"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	DepositedBy string `json:"deposited_by"`
	DepositedAt string `json:"deposited_at"`
	DeletedBy   string `json:"deleted_by,omitempty"`
	DeletedAt   string `json:"deleted_at,omitempty"`
}

func (c *command) fileJSON(f core.JustifFile) fileJSON {
	return fileJSON{ID: f.ID, Name: f.Name, ServerName: f.ServerName, Size: f.Size, SHA256: f.SHA256,
		DepositedBy: f.DepositedBy, DepositedAt: c.stamp(f.DepositedAt), DeletedBy: f.DeletedBy, DeletedAt: c.stamp(f.DeletedAt)}
}

func (c *command) justifJSON(j core.Justification) justifJSON {
	out := justifJSON{ID: j.ID, Person: j.Person, From: c.stamp(j.From), Until: c.stamp(j.Until), State: j.State,
		Reason: j.Reason, Withheld: j.Withheld, DepositedBy: j.DepositedBy, DepositedAt: c.stamp(j.DepositedAt),
		Files: []fileJSON{}}
	for _, f := range j.Files {
		out.Files = append(out.Files, c.fileJSON(f))
	}
	return out
}

func (c *command) justif(args []string) error {
	const want = "want add, set-state, attach, list, get-file or delete-file"
	if len(args) == 0 {
		return usagef("justif: %s", words(want))
	}
	switch args[0] {
	case "add":
		return c.justifAdd(args[1:])
	case "set-state":
		return c.justifSetState(args[1:])
	case "attach":
		return c.justifAttach(args[1:])
	case "list":
		return c.justifList(args[1:])
	case "get-file":
		return c.justifGetFile(args[1:])
	case "delete-file":
		return c.justifDeleteFile(args[1:])
	}
	return usagef("justif: unknown subcommand %q: %s", args[0], words(want))
}

func (c *command) justifAdd(args []string) error {
	fs := c.flags("justif add", "--person ID --from TIME --to TIME --reason TEXT [--state STATE]")
	person := fs.String("person", "", "person `ID`")
	from := fs.String("from", "", "start `TIME` (RFC 3339, local 2026-11-24T09:00, or a DATE for that day's start)")
	to := fs.String("to", "", "end `TIME`, exclusive (or a DATE: through the end of that day)")
	reason := fs.String("reason", "", "the reason, as `TEXT`")
	state := fs.String("state", "", "`STATE`: pending (default), valid, invalid or modified; other than pending needs justif.validate")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *person == "" || *from == "" || *to == "" || *reason == "" {
		return usagef("justif add: --person, --from, --to and --reason are required")
	}
	j := core.Justification{Person: *person, Reason: *reason}
	if *state != "" {
		st, err := core.ParseJustifState(*state)
		if err != nil {
			return usagef("--state: %v", err)
		}
		j.State = st
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	var err error
	if j.From, j.Until, err = c.period(*from, *to, true); err != nil {
		return err
	}
	j, err = c.api.AddJustification(c.actor(), j)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.justifJSON(j))
	}
	fmt.Fprintln(c.stdout, j.ID)
	return nil
}

func (c *command) justifSetState(args []string) error {
	fs := c.flags("justif set-state", "ID pending|valid|invalid|modified")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	st, err := core.ParseJustifState(pos[1])
	if err != nil {
		return usagef("STATE: %v", err)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	j, err := c.api.SetJustificationState(c.actor(), pos[0], st)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.justifJSON(j))
	}
	c.say("%s is %s", j.ID, c.tr().T(string(j.State)))
	return nil
}

// readJustifFile reads a file to attach, refusing before reading one that
// is empty or too large.
func readJustifFile(path string) ([]byte, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("FILE: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, usagef("FILE: %v", err)
	}
	if st.IsDir() {
		return nil, usagef("FILE: %s is a folder", path)
	}
	if st.Mode().IsRegular() {
		if err := core.CheckJustifFileSize(name, st.Size()); err != nil {
			return nil, usagef("%v", err)
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, core.MaxJustifFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := core.CheckJustifFileSize(name, int64(len(data))); err != nil {
		return nil, usagef("%v", err)
	}
	return data, nil
}

func (c *command) justifAttach(args []string) error {
	fs := c.flags("justif attach", "ID FILE")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	data, err := readJustifFile(pos[1])
	if err != nil {
		return err
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	f, err := c.api.AttachFile(c.actor(), pos[0], filepath.Base(pos[1]), data)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.fileJSON(f))
	}
	fmt.Fprintf(c.stdout, "%s %s\n", f.ID, printable(f.ServerName))
	return nil
}

func (c *command) justifList(args []string) error {
	fs := c.flags("justif list", "[--person ID] [--from TIME] [--to TIME]")
	person := fs.String("person", "", "only the person `ID`")
	from := fs.String("from", "", "justifications ending after `TIME` (or DATE: that day's start)")
	to := fs.String("to", "", "justifications starting before `TIME` (or DATE: through the end of that day)")
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	f, t, err := c.period(*from, *to, false)
	if err != nil {
		return err
	}
	js, err := c.api.Justifications(c.actor(), *person, f, t)
	if err != nil {
		return err
	}
	if c.json {
		out := make([]justifJSON, len(js))
		for i, j := range js {
			out[i] = c.justifJSON(j)
		}
		return c.printJSON(out)
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	c.header(tab, "ID", "PERSON", "FROM", "UNTIL", "STATE", "DEPOSITED BY", "REASON")
	tr := c.tr()
	for _, j := range js {
		reason := j.Reason
		if j.Withheld && reason == "" {
			reason = "(" + tr.T("withheld") + ")"
		}
		tab.row(j.ID, j.Person, c.local(j.From), c.local(j.Until), tr.T(string(j.State)), j.DepositedBy, reason)
		for _, f := range j.Files {
			line := fmt.Sprintf("  %s %s (%s, %d bytes), deposited %s by %s", f.ID, f.Name, f.ServerName, f.Size,
				c.local(f.DepositedAt), f.DepositedBy)
			if f.Deleted() {
				line += fmt.Sprintf(", deleted %s by %s", c.local(f.DeletedAt), f.DeletedBy)
			}
			tab.row(line)
		}
	}
	return tab.flush()
}

func (c *command) justifGetFile(args []string) error {
	fs := c.flags("justif get-file", "JUSTIF FILE --out PATH")
	out := fs.String("out", "", "write the file to `PATH` (- for standard output)")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("justif get-file: --out is required")
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	data, f, err := c.api.FileContent(c.actor(), pos[0], pos[1])
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err := c.stdout.Write(data)
		return err
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if c.json {
		return c.printJSON(map[string]any{"file": c.fileJSON(f), "out": *out})
	}
	c.say("%s (%s, %s) written to %s", f.ID, printable(f.Name),
		c.tr().N("{{.Count}} bytes", "{{.Count}} byte", "{{.Count}} bytes", len(data)), printable(*out))
	return nil
}

func (c *command) justifDeleteFile(args []string) error {
	fs := c.flags("justif delete-file", "JUSTIF FILE")
	pos, err := c.start(fs, args, 2, 2)
	if err != nil {
		return err
	}
	defer c.close()
	f, err := c.api.DeleteFile(c.actor(), pos[0], pos[1])
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]any{"deleted": c.fileJSON(f)})
	}
	c.say("deleted %s (%s) of %s; its trace is kept", f.ID, printable(f.Name), printable(pos[0]))
	return nil
}
