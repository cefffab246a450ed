package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/i18n"
	"frontdesk/core/procs"
	"frontdesk/reader"
	"frontdesk/storage"
)

// serve runs the site's readers and relays without a window, until SIGTERM
// or Ctrl-C.
func (c *command) serve(ctx context.Context, args []string) error {
	fs := c.flags("serve", "[--db PATH] [--listen HOST:PORT] [--hub nats://HOST:PORT --site-id ID [--central] --hub-creds FILE]")
	listen := fs.String("listen", "", "also serve the API to other PCs over TLS on `HOST:PORT` (staff logins only)")
	var fed core.FederationSettings
	fs.StringVar(&fed.Hub, "hub", "", "join the company's hub at `nats://HOST:PORT` (kept in the site settings)")
	fs.StringVar(&fed.SiteID, "site-id", "", "this site's `ID` among the company's sites")
	fs.BoolVar(&fed.Central, "central", false, "this is the central site, which owns the directory")
	fs.StringVar(&fed.Creds, "hub-creds", "", "the site's credentials `FILE` (frontdesk hub add-site)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if fed != (core.FederationSettings{}) && (fed.Hub == "" || fed.SiteID == "" || fed.Creds == "") {
		return usagef("serve: --hub, --site-id and --hub-creds go together")
	}
	if c.connect != "" {
		return usagef("serve runs the doors of a database on this PC: --connect does not apply")
	}
	// A live service of this database answers on its socket: say so at
	// once rather than wait for the file's lock.
	if cl, err := httpapi.DialUnix(httpapi.SocketPath(c.db)); err == nil {
		cl.Close()
		return fmt.Errorf("%w: %s", httpapi.ErrServed, c.db)
	}
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	m := &Main{DBPath: c.db, Log: log}
	if err := m.Open(); err != nil {
		return err
	}
	defer m.Close()
	if fed.Hub != "" {
		if err := joinCompany(m, c.actor(), fed); err != nil {
			return err
		}
	}
	if *listen != "" {
		tl, err := listenTLS(c.db, *listen)
		if err != nil {
			return err
		}
		m.tls = tl
		log.Info("api: serving over TLS", "listen", tl.ln.Addr().String(), "fingerprint", tl.fingerprint)
		fmt.Fprintf(c.stdout, "API over TLS on %s; certificate fingerprint %s\n", tl.ln.Addr(), tl.fingerprint)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info("serving", "db", c.db, "devices", len(m.Engine.Devices(c.actor())))
	err := runDevices(ctx, m, false, nil)
	log.Info("stopped")
	return err
}

// runDevices runs the supervisor, the automatic check-out and the daily
// checkpoint on m's engine until ctx ends, and publishes the devices'
// health beside the database for `frontdesk devices`, which cannot open
// the database meanwhile. ready, when set, is given the supervisor before
// it starts: the window's demo tap panel injects taps through it.
func runDevices(ctx context.Context, m *Main, simulate bool, ready func(*reader.Supervisor)) error {
	// The doors share this process with the API's calls (procs).
	defer procs.Reserve()()
	st := &stateFile{path: statePath(m.DBPath), engine: m.Engine, log: m.Log}
	done := make(chan struct{}, 5)
	// The API on the database's socket: every other command and window
	// works through it while the doors run. Without it (a folder where no
	// socket can be made) the doors still run.
	go func() {
		defer func() { done <- struct{}{} }()
		if err := serveAPI(ctx, m); err != nil {
			m.Log.Warn("api: not served; other commands cannot reach this database while it runs", "err", err)
		}
	}()
	// A signed checkpoint at start, every day, and at a clean stop, once
	// nothing else writes (checkpoint.go).
	go func() {
		defer func() { done <- struct{}{} }()
		runCheckpoints(ctx, m)
	}()
	defer stopCheckpoint(m)
	go func() {
		defer func() { done <- struct{}{} }()
		st.run(ctx)
	}()
	// The link to the company's other sites, when the site has one: it
	// runs beside the doors, which never wait for it.
	go func() {
		defer func() { done <- struct{}{} }()
		runLink(ctx, m)
	}()
	// The automatic check-out runs wherever the devices run: serve or the
	// window.
	go func() {
		defer func() { done <- struct{}{} }()
		runAutoCheckout(ctx, m)
	}()
	sup := &reader.Supervisor{Engine: m.Engine, Log: m.Log, Simulate: simulate}
	if ready != nil {
		ready(sup)
	}
	err := sup.Run(ctx)
	for range cap(done) {
		<-done
	}
	return err
}

// statePath is the file beside the database where the process holding it
// publishes its devices' health.
func statePath(db string) string { return db + ".devices.json" }

// deviceState is the state file's content.
type deviceState struct {
	PID     int                 `json:"pid"`
	Updated time.Time           `json:"updated"`
	Devices []core.Device       `json:"devices"`
	Health  []core.DeviceHealth `json:"health"`
}

// stateFile writes the health of the devices at most every
// stateFileEvery after a change, and removes the file on the way out.
type stateFile struct {
	path   string
	engine *core.Engine
	log    *slog.Logger
}

const stateFileEvery = 500 * time.Millisecond

func (s *stateFile) run(ctx context.Context) {
	changed := make(chan struct{}, 1)
	cancel := s.engine.SubscribeHealth(func(core.DeviceHealth) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	defer os.Remove(s.path)
	s.write()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
		s.write()
		select {
		case <-ctx.Done():
			return
		case <-time.After(stateFileEvery):
		}
	}
}

func (s *stateFile) write() {
	a := core.Actor{Kind: core.ActorSystem}
	st := deviceState{PID: os.Getpid(), Updated: time.Now().UTC(), Devices: s.engine.Devices(a), Health: s.engine.Health(a)}
	err := writeFileAtomic(s.path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	})
	if err != nil {
		s.log.Warn("device state file", "err", err)
	}
}

// devicesJSON is what `devices --json` prints.
type devicesJSON struct {
	SerialPorts []reader.SerialPort `json:"serial_ports"`
	USBDevices  []reader.USBDevice  `json:"usb_devices"`
	// Configured is null when the database could not be read.
	Configured []configuredJSON `json:"configured"`
	// ServedBy is the process running the devices, 0 when none is.
	ServedBy int    `json:"served_by"`
	Note     string `json:"note,omitempty"`
}

type configuredJSON struct {
	ID      string             `json:"id"`
	Kind    string             `json:"kind"`
	Format  string             `json:"format,omitempty"`
	Where   string             `json:"where"`
	Present bool               `json:"present"`
	Health  *core.DeviceHealth `json:"health,omitempty"`
}

// devices lists what serial ports and USB devices the PC has and the state
// of the configured devices.
func (c *command) devices(args []string) error {
	fs := c.flags("devices", "[--db PATH] [--json]")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	out := devicesJSON{}
	var err error
	if out.SerialPorts, err = reader.System.SerialPorts(); err != nil {
		return err
	}
	if out.USBDevices, err = reader.System.USBDevices(); err != nil {
		return err
	}
	out.Configured, out.ServedBy, out.Note = c.configured(out)
	if c.json {
		return c.printJSON(out)
	}
	c.printDevices(out)
	return nil
}

// configured reads the configured devices: from the database when no
// other process holds it, else from the state file its holder publishes.
func (c *command) configured(seen devicesJSON) ([]configuredJSON, int, string) {
	var devs []core.Device
	var health map[string]core.DeviceHealth
	pid := 0
	if c.connect != "" {
		// A service on another PC: its devices, with their health, as
		// the account of --user may see them; the ports listed above are
		// this PC's.
		if err := c.open(); err != nil {
			return nil, 0, err.Error()
		}
		health = map[string]core.DeviceHealth{}
		for _, h := range c.api.Health(c.actor()) {
			health[h.Device] = h
		}
		out := make([]configuredJSON, 0)
		for _, d := range c.api.Devices(c.actor()) {
			cj := configuredJSON{ID: d.ID, Kind: d.Kind, Format: d.Format, Where: "at " + c.connect}
			if h, ok := health[d.ID]; ok {
				cj.Health, cj.Present = &h, h.Connected
			}
			out = append(out, cj)
		}
		return out, 0, c.tr().F("the devices of the service at %s; the ports and USB devices above are this PC's", c.connect)
	}
	if _, err := os.Stat(c.db); err != nil {
		// Opening would create an empty database.
		return nil, 0, c.tr().F("no database at %s", c.db)
	}
	m := &Main{DBPath: c.db, OpenTimeout: 200 * time.Millisecond}
	switch err := m.Open(); {
	case err == nil:
		devs = m.Engine.Devices(c.actor())
		m.Close()
	case errors.Is(err, storage.ErrInUse):
		b, rerr := os.ReadFile(statePath(c.db))
		var st deviceState
		if rerr != nil || json.Unmarshal(b, &st) != nil {
			return nil, 0, c.tr().T("the database is open in another Frontdesk that publishes no device state")
		}
		devs, pid = st.Devices, st.PID
		health = map[string]core.DeviceHealth{}
		for _, h := range st.Health {
			health[h.Device] = h
		}
	default:
		return nil, 0, err.Error()
	}
	out := make([]configuredJSON, 0, len(devs))
	for _, d := range devs {
		cj := configuredJSON{ID: d.ID, Kind: d.Kind, Format: d.Format}
		cj.Where, cj.Present = where(d, seen)
		if h, ok := health[d.ID]; ok {
			cj.Health = &h
		}
		out = append(out, cj)
	}
	note := ""
	if pid == 0 {
		note = c.tr().T("no Frontdesk is running the devices (frontdesk serve, or the window)")
	}
	return out, pid, note
}

// where says where a device is plugged and whether it is there now.
func where(d core.Device, seen devicesJSON) (string, bool) {
	usb := func(vid, pid string) bool {
		for _, u := range seen.USBDevices {
			if strings.EqualFold(u.VID, vid) && strings.EqualFold(u.PID, pid) {
				return true
			}
		}
		return false
	}
	switch {
	case d.Kind == "sim":
		return "software", true
	case d.Kind == "usb-wedge":
		return "usb " + strings.ToLower(d.VID+":"+d.PID), usb(d.VID, d.PID)
	case d.Kind == "usb-dcttech-relay":
		w := "usb 16c0:05df"
		if d.Serial != "" {
			w += " serial " + d.Serial
		}
		return w, usb("16c0", "05df")
	}
	_, err := os.Stat(d.Port)
	w := d.Port
	if r := reader.ResolvePort(d.Port); r != d.Port {
		w += " (" + r + ")"
	}
	return w, err == nil
}

func (c *command) printDevices(out devicesJSON) {
	tr := c.tr()
	tab := newTable(c.stdout, 2, 8, 2, 0)
	tab.row(tr.T("Serial ports"))
	if len(out.SerialPorts) == 0 {
		tab.row("  " + tr.T("none"))
	} else {
		tab.row("  "+tr.T("PORT"), tr.T("USB ID"), tr.T("DRIVER"), tr.T("WHAT"), tr.T("STABLE NAME"))
	}
	for _, p := range out.SerialPorts {
		usb := "-"
		if p.VID != "" {
			usb = p.VID + ":" + p.PID
		}
		tab.row("  "+p.Path, usb, orDash(p.Driver, ""), orDash(p.Known, p.Product), orDash(p.ByID, ""))
	}
	tab.row(tr.T("USB devices"))
	if len(out.USBDevices) == 0 {
		tab.row("  " + tr.T("none"))
	} else {
		tab.row("  "+tr.T("BUS:ADDR"), tr.T("USB ID"), tr.T("PRODUCT"), tr.T("WHAT"))
	}
	for _, u := range out.USBDevices {
		tab.row(fmt.Sprintf("  %03d:%03d", u.Bus, u.Address), u.VID+":"+u.PID, orDash(u.Product, ""), orDash(u.Known, ""))
	}
	title := tr.T("Configured devices")
	if out.ServedBy != 0 {
		title = tr.F("Configured devices (run by process %d)", out.ServedBy)
	}
	tab.row(title)
	if out.Note != "" {
		tab.row("  " + out.Note)
	}
	if len(out.Configured) > 0 {
		tab.row("  ID", tr.T("KIND"), tr.T("WHERE"), tr.T("PRESENT"), tr.T("STATE"))
	}
	for _, d := range out.Configured {
		present := tr.T("yes")
		if !d.Present {
			present = tr.T("NOT FOUND")
		}
		kind := d.Kind
		if d.Format != "" {
			kind += " (" + d.Format + ")"
		}
		where := d.Where
		if d.Kind == "sim" {
			where = tr.T(where) // "software"
		}
		tab.row("  "+d.ID, kind, where, present, healthText(tr, d.Health))
	}
	tab.flush()
}

// healthText says a device's health in one line, in tr's language.
func healthText(tr *i18n.Translator, h *core.DeviceHealth) string {
	if h == nil {
		return "-"
	}
	since := h.Since.Local().Format("15:04:05")
	state := tr.F("disconnected since %s", since)
	if h.Connected {
		state = tr.F("connected since %s", since)
	}
	state += ", " + tr.N("{{.Count}} frames", "{{.Count}} frame", "{{.Count}} frames", h.Frames)
	state += ", " + tr.N("{{.Count}} rejected", "{{.Count}} rejected", "{{.Count}} rejected", h.Rejected)
	if len(h.Faulty) > 0 {
		state += ", " + tr.F("FAULTY (relay did not switch off): %s", strings.Join(h.Faulty, " "))
	}
	if h.LastError != "" {
		state += ", " + tr.F("last error at %s: %s", h.ErrorAt.Local().Format("15:04:05"), h.LastError)
	}
	return state
}

func orDash(s, alt string) string {
	switch {
	case s != "":
		return s
	case alt != "":
		return alt
	}
	return "-"
}
