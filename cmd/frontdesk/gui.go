package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/reader"
	"frontdesk/ui"
)

// runGUI opens the desktop app: on the database of --db, or with --demo on
// the demo database, filled with the demo site the first time and tapped
// by simulated readers.
func runGUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("frontdesk", flag.ContinueOnError)
	fs.SetOutput(stdout)
	demo := fs.Bool("demo", false, "open the demo site with simulated readers")
	db := fs.String("db", "", "database `PATH` (default: the user's data folder)")
	connect := fs.String("connect", os.Getenv("FRONTDESK_CONNECT"), "the Frontdesk service at `HOST:PORT`, over TLS (default $FRONTDESK_CONNECT)")
	fingerprint := fs.String("fingerprint", "", "trust the service of --connect whose certificate has this `SHA256:...` fingerprint")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "usage: frontdesk [--demo] [--db PATH]   the desktop app; frontdesk help lists the commands")
		fs.PrintDefaults()
	}
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := checkDisplay(); err != nil {
		return err
	}
	if *db == "" {
		*db = defaultDB("frontdesk.db")
		if *demo {
			*db = defaultDB("demo.db")
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// A service runs this database's doors (or one on another PC is
	// named): the window is its client, and closing it stops nothing.
	var cl *httpapi.Client
	var err error
	clientOptions := func() ui.Options {
		opts := ui.Options{Log: log, Version: buildVersion(),
			Backup: func(w io.Writer) error { return cl.Backup(core.Actor{}, w) },
			Checkpoint: func() string {
				line, err := cl.ReportCheckpoint(core.Actor{})
				if err != nil {
					log.Warn("no new checkpoint for the report", "err", err)
				}
				return line
			}}
		if *demo {
			opts.LoginHint = demoLoginHint
		}
		return opts
	}
	if *connect != "" {
		known, kerr := httpapi.UserKnownHosts()
		if kerr != nil {
			return kerr
		}
		// A service not known yet: the window shows its fingerprint and
		// asks, before anything is sent to it.
		var presented string
		ask := func(_, fp string) (bool, error) { presented = fp; return false, errAskInWindow }
		cl, err = httpapi.DialTLS(*connect, httpapi.TLSOptions{Fingerprint: *fingerprint, Known: known, Ask: ask})
		if errors.Is(err, errAskInWindow) {
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			defer func() {
				if cl != nil {
					cl.Close()
				}
			}()
			return ui.RunTrusting(ctx, ui.Trust{Addr: *connect, Fingerprint: presented, Connect: func() (core.API, error) {
				c, err := httpapi.DialTLS(*connect, httpapi.TLSOptions{Fingerprint: presented, Known: known})
				if err != nil {
					return nil, err
				}
				cl = c
				log.Info("the window is a client of the service", "service", cl.Where(), "trusted", presented)
				return c, nil
			}}, clientOptions())
		}
		if err != nil {
			return fmt.Errorf("--connect %s: %w", *connect, err)
		}
	} else if cl, err = httpapi.DialUnix(httpapi.SocketPath(*db)); err != nil && !errors.Is(err, httpapi.ErrNoService) {
		return err
	}
	if cl != nil {
		defer cl.Close()
		log.Info("the window is a client of the service", "service", cl.Where())
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		opts := clientOptions()
		if h := cl.Hello(); h.CommandLine {
			// This OS user acts as the command line on the socket: the
			// login screen's muster list needs no login.
			opts.Owner = core.CommandLine(h.User)
		}
		return ui.Run(ctx, cl, opts)
	}
	m := &Main{DBPath: *db, Log: log}
	if err := m.Open(); err != nil {
		return err
	}
	defer m.Close()
	// sup is the running supervisor, for the demo's tap panel.
	var sup atomic.Pointer[reader.Supervisor]
	// Staff log in; a database without accounts offers to create the
	// first administrator or to open the demo.
	opts := ui.Options{Log: m.Log, OpenDemo: func() { openDemo(m.Log) }, Backup: func(w io.Writer) error { return backupTo(m, w) },
		Restore: func(r io.Reader) error { return restoreAndRestart(m, r) }, Checkpoint: reportCheckpoint(m),
		Version: buildVersion()}
	if *demo {
		if err := loadDemo(m.Engine); err != nil {
			return err
		}
		opts.OpenDemo = nil
		opts.LoginHint = demoLoginHint
		opts.DemoTap = func(readerID, code string) error {
			s := sup.Load()
			if s == nil {
				return errors.New("the simulated readers are not started yet")
			}
			return s.Inject(readerID, code)
		}
	}
	// The window runs the site's readers and relays; in the demo, its
	// simulated readers tap cards at random. So closing it asks first, and
	// it may keep running in the tray, whose muster list acts as the
	// process's owner, as a command would.
	opts.RunsDoors, opts.Owner = true, core.CommandLine(osUser())
	opts.OnStart = func(ctx context.Context) {
		if err := runDevices(ctx, m, *demo, func(s *reader.Supervisor) { sup.Store(s) }); err != nil && ctx.Err() == nil {
			m.Log.Error("devices stopped", "err", err)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return ui.Run(ctx, m.Engine, opts)
}

// errAskInWindow stops a first connection to a service not known yet,
// so that the window asks whether to trust it.
var errAskInWindow = errors.New("ask in the window")

// demoLoginHint tells the demo's accounts (assets/demo-site.json).
const demoLoginHint = "Demo accounts, password frontdesk-demo: admin, manager, claire (a boss who owns the lab and the server room), desk (a receptionist)."

// openDemo starts the program again on the demo database; the window
// that asked closes.
func openDemo(log *slog.Logger) {
	exe, err := os.Executable()
	if err != nil {
		log.Error("open the demo", "err", err)
		return
	}
	cmd := exec.Command(exe, "--demo")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		log.Error("open the demo", "err", err)
		return
	}
	go cmd.Wait()
	ui.Quit()
}

// backupTo writes a hot backup of the database to w (the window's save
// dialog): a copy beside the database, streamed, then removed.
func backupTo(m *Main, w io.Writer) error {
	tmp := m.DBPath + ".backup-tmp"
	defer os.Remove(tmp)
	if err := m.DB.Backup(tmp); err != nil {
		return err
	}
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// loadDemo imports the demo site into a database that has no people yet.
func loadDemo(e *core.Engine) error {
	system := core.Actor{Kind: core.ActorSystem}
	people, err := e.Count(system, core.KindPerson)
	if err != nil || (people > 0 && e.HasAccounts()) {
		return err
	}
	f, err := core.ReadSiteFile(bytes.NewReader(assets.DemoSite))
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	if people > 0 {
		// A demo database from before the demo had accounts: add them.
		return e.Import(system, &core.SiteFile{Accounts: f.Accounts})
	}
	if err := e.Import(system, f); err != nil {
		return err
	}
	return demoJustifications(e, system)
}

// demoJustifications gives the demo's manager something to validate: a
// pending justification of yesterday's absence and a valid one of a
// late arrival.
func demoJustifications(e *core.Engine, system core.Actor) error {
	loc := e.Location()
	today := core.DateOf(e.Now(), loc)
	for _, j := range []core.Justification{
		{Person: "julien.moreau", From: today.AddDays(-1).At(0, loc), Until: today.At(0, loc),
			Reason: "Arrêt maladie (certificat médical joint)", State: core.JustifPending},
		{Person: "anna.smirnova", From: today.AddDays(-2).At(8*60, loc), Until: today.AddDays(-2).At(10*60, loc),
			Reason: "Train en retard", State: core.JustifValid},
	} {
		if _, err := e.AddJustification(system, j); err != nil {
			return fmt.Errorf("demo justification: %w", err)
		}
	}
	return nil
}

// checkDisplay tells, instead of a crash deep in the graphics library,
// that the window needs a display: on a headless PC the subcommands work,
// and the window needs X11 or Wayland.
func checkDisplay() error {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no display: the window needs X11 or Wayland (DISPLAY is not set); the subcommands work without one, see frontdesk help")
	}
	return nil
}
