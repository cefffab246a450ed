package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/core/httpapi"
)

// These tests never run the real commands: tests run as root on CI, and
// an install there would change the machine. fakeMachine answers them.

// fakeMachine is a machine for service install and uninstall: it records
// the commands run, in order, and answers them from its users, groups
// and unit state as the real ones would.
type fakeMachine struct {
	mu      sync.Mutex
	calls   []string
	groups  map[string]bool
	users   map[string][]string // user → its groups
	enabled bool
	active  bool
	euid    int
	exe     string
}

func newFakeMachine(exe string) *fakeMachine {
	return &fakeMachine{groups: map[string]bool{"dialout": true}, users: map[string][]string{}, euid: 1000, exe: exe}
}

// errExit is a command's failure with nothing printed.
var errExit = errors.New("exit status 2")

func (f *fakeMachine) run(name string, args ...string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := strings.Join(append([]string{name}, args...), " ")
	f.calls = append(f.calls, line)
	last := args[len(args)-1]
	switch {
	case line == "getent group "+last:
		if f.groups[last] {
			return last + ":x:20:\n", nil
		}
		return "", errExit
	case line == "getent passwd "+last:
		if _, ok := f.users[last]; ok {
			// The test's own ids: the temporary folder is then already
			// the account's, and chown needs no privilege.
			return fmt.Sprintf("%s:x:%d:%d::/var/lib/frontdesk:/usr/sbin/nologin\n", last, os.Getuid(), os.Getgid()), nil
		}
		return "", errExit
	case name == "groupadd":
		f.groups[last] = true
	case name == "useradd":
		f.users[last] = []string{last}
		f.groups[last] = true
	case name == "usermod":
		f.users[last] = append(f.users[last], strings.Split(args[len(args)-2], ",")...)
	case line == "id -nG "+last:
		if g, ok := f.users[last]; ok {
			return strings.Join(g, " ") + "\n", nil
		}
		return "", errExit
	case line == "systemctl is-enabled frontdesk":
		if f.enabled {
			return "enabled\n", nil
		}
		return "disabled\n", errExit
	case line == "systemctl is-active frontdesk":
		if f.active {
			return "active\n", nil
		}
		return "inactive\n", errExit
	case line == "systemctl enable --now frontdesk":
		f.enabled, f.active = true, true
	case line == "systemctl disable --now frontdesk":
		f.enabled, f.active = false, false
	case line == "systemctl daemon-reload", line == "systemctl restart frontdesk", line == "udevadm control --reload-rules":
	default:
		return "", fmt.Errorf("%s: unexpected command", line)
	}
	return "", nil
}

// took returns the commands run since the last call.
func (f *fakeMachine) took() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

// at is the machine as service's subcommands take it.
func (f *fakeMachine) at(root string) *host {
	return &host{root: root, run: f.run, euid: func() int { return f.euid },
		exe: func() (string, error) { return f.exe, nil }}
}

// serviceCLI runs `frontdesk service SUB args` on the fake machine and
// returns its error and output.
func serviceCLI(f *fakeMachine, sub string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	c := &command{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	var err error
	switch sub {
	case "install":
		err = c.serviceInstall(args, f.at)
	case "uninstall":
		err = c.serviceUninstall(args, f.at)
	case "status":
		err = c.serviceStatus(args, f.at)
	}
	return out.String(), err
}

// fakeProgram is a program file to install with --binary.
func fakeProgram(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "frontdesk")
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServiceUnit: the unit holds every setting the service needs, and
// systemd-analyze verify finds nothing to say about it, also for a
// program in a folder whose name has a space.
func TestServiceUnit(t *testing.T) {
	unit := unitFile("/usr/local/bin/frontdesk", serviceDB)
	for _, want := range []string{
		"[Unit]", "Description=Frontdesk access control and attendance",
		"[Service]",
		"ExecStart=/usr/local/bin/frontdesk serve --db /var/lib/frontdesk/frontdesk.db",
		"User=frontdesk", "Group=frontdesk", "SupplementaryGroups=dialout plugdev",
		"Restart=on-failure", "RestartSec=2", "UMask=0007", "LimitRTPRIO=1",
		"NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/frontdesk",
		"ProtectHome=yes", "PrivateTmp=yes",
		"[Install]", "WantedBy=multi-user.target",
	} {
		if !slices.Contains(strings.Split(unit, "\n"), want) {
			t.Errorf("the unit lacks the line %q:\n%s", want, unit)
		}
	}
	// Readers and relays come and go: nothing may fence the devices off.
	for _, banned := range []string{"DeviceAllow=", "PrivateDevices=", "DevicePolicy="} {
		if strings.Contains(unit, banned) {
			t.Errorf("the unit sets %s, which would cut the service from readers plugged in later", banned)
		}
	}
	// The devices' threads take the real-time priority LimitRTPRIO allows.
	if strings.Contains(unit, "RestrictRealtime=") {
		t.Error("the unit sets RestrictRealtime, which would keep the devices' threads ordinary")
	}
	if got := unitDB(unit); got != serviceDB {
		t.Errorf("unitDB: got %q, want %q", got, serviceDB)
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (package systemd): the unit is not verified by systemd")
	}
	dir := filepath.Join(t.TempDir(), "with space")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "front%desk")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, exe := range []string{exe, fakeProgram(t, "#!/bin/sh\n")} {
		path := filepath.Join(t.TempDir(), "frontdesk.service")
		if err := os.WriteFile(path, []byte(unitFile(exe, serviceDB)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(analyze, "verify", path).CombinedOutput()
		if err != nil || strings.Contains(string(out), "frontdesk.service") {
			t.Errorf("systemd-analyze verify, program %q: %v\n%s", exe, err, out)
		}
	}
}

// TestServiceInstall installs into a temporary root: the commands in
// order, the files and their modes, one line per step; then again,
// changing nothing; then with a new program, restarting the service.
func TestServiceInstall(t *testing.T) {
	root := t.TempDir()
	program := fakeProgram(t, "version 1")
	f := newFakeMachine("/opt/frontdesk/frontdesk")
	out, err := serviceCLI(f, "install", "--root", root, "--binary", program)
	if err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	want := []string{
		"getent group dialout",
		"getent group plugdev",
		"groupadd --system plugdev",
		"getent passwd frontdesk",
		"useradd --system --user-group --home-dir /var/lib/frontdesk --no-create-home --shell /usr/sbin/nologin frontdesk",
		"id -nG frontdesk",
		"usermod --append --groups dialout,plugdev frontdesk",
		"getent passwd frontdesk",
		"systemctl daemon-reload",
		"systemctl is-enabled frontdesk",
		"systemctl is-active frontdesk",
		"systemctl enable --now frontdesk",
		"udevadm control --reload-rules",
	}
	if got := f.took(); !slices.Equal(got, want) {
		t.Errorf("commands:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, line := range []string{
		"copied " + program + " to /usr/local/bin/frontdesk",
		"created the system group plugdev",
		"created the system user frontdesk (home /var/lib/frontdesk, no login)",
		"added frontdesk to the groups dialout, plugdev",
		"/var/lib/frontdesk: created, mode 0750",
		"wrote /etc/systemd/system/frontdesk.service",
		"wrote /etc/udev/rules.d/99-frontdesk.rules",
		"wrote /usr/share/applications/frontdesk.desktop",
		"wrote /usr/share/icons/hicolor/256x256/apps/frontdesk.png",
		"systemd read the new unit",
		"enabled and started frontdesk.service: it starts with the PC",
		"udev read the new rules",
		"installed: frontdesk service status shows the service",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the output lacks %q:\n%s", line, out)
		}
	}

	files := map[string]struct {
		mode os.FileMode
		data []byte
	}{
		unitPath:      {0o644, []byte(unitFile(copiedBinary, serviceDB))},
		udevRulesPath: {0o644, assets.UdevRules},
		desktopPath:   {0o644, []byte(desktopEntry(copiedBinary, serviceDB))},
		copiedBinary:  {0o755, []byte("version 1")},
		iconPath:      {0o644, nil},
	}
	for p, w := range files {
		fi, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if fi.Mode().Perm() != w.mode {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), w.mode)
		}
		if got, _ := os.ReadFile(filepath.Join(root, p)); w.data != nil && !bytes.Equal(got, w.data) {
			t.Errorf("%s holds\n%s\nwant\n%s", p, got, w.data)
		}
	}
	desktop, _ := os.ReadFile(filepath.Join(root, desktopPath))
	if !strings.Contains(string(desktop), "\nExec=/usr/local/bin/frontdesk --db /var/lib/frontdesk/frontdesk.db\n") {
		t.Errorf("the menu entry does not open the service's database:\n%s", desktop)
	}
	icon, err := os.Open(filepath.Join(root, iconPath))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(icon)
	icon.Close()
	if err != nil || cfg.Width != 256 || cfg.Height != 256 {
		t.Errorf("icon: %dx%d, %v; want a 256x256 PNG", cfg.Width, cfg.Height, err)
	}
	if fi, err := os.Stat(filepath.Join(root, serviceDataDir)); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
		t.Errorf("%s: %v, %v; want a folder, mode 0750", serviceDataDir, fi.Mode(), err)
	}

	// Again: nothing changes, and it says so.
	before := snapshot(t, root)
	out, err = serviceCLI(f, "install", "--root", root, "--binary", program)
	if err != nil {
		t.Fatalf("second install: %v\n%s", err, out)
	}
	for _, c := range f.took() {
		if !strings.HasPrefix(c, "getent ") && !strings.HasPrefix(c, "id ") && !strings.HasPrefix(c, "systemctl is-") {
			t.Errorf("the second install ran %q", c)
		}
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("the second install changed files:\n%s\nwas\n%s", after, before)
	}
	if !strings.HasSuffix(out, "nothing changed: the service was installed already\n") ||
		!strings.Contains(out, "frontdesk.service is enabled and running") {
		t.Errorf("the second install says:\n%s", out)
	}
	out, err = serviceCLI(f, "install", "--root", root, "--binary", program, "--json")
	var j struct {
		Changed bool     `json:"changed"`
		Steps   []string `json:"steps"`
	}
	if err != nil || json.Unmarshal([]byte(out), &j) != nil || j.Changed || len(j.Steps) < 8 {
		t.Errorf("install --json: %v, %+v from\n%s", err, j, out)
	}
	f.took()

	// A new program: copied, and the running service restarted on it.
	if err := os.WriteFile(program, []byte("version 2"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err = serviceCLI(f, "install", "--root", root, "--binary", program)
	if err != nil {
		t.Fatalf("install of a new program: %v\n%s", err, out)
	}
	if got := f.took(); !slices.Contains(got, "systemctl restart frontdesk") || slices.Contains(got, "systemctl daemon-reload") {
		t.Errorf("install of a new program ran %q; want a restart and no reload", got)
	}
	if !strings.Contains(out, "restarted frontdesk.service: its unit or its program changed") {
		t.Errorf("install of a new program says:\n%s", out)
	}
}

// snapshot lists the files under root with their modes and contents'
// sizes and digests, to compare.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		data := []byte{}
		if !fi.IsDir() {
			data, _ = os.ReadFile(p)
		}
		fmt.Fprintf(&b, "%s %v %d %s %x\n", strings.TrimPrefix(p, root), fi.Mode(), len(data), fi.ModTime(), data[:min(len(data), 16)])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestServiceProgramHidden: this program in a home folder, which the
// unit hides from the service, is copied to /usr/local/bin; one in
// /opt is run where it is.
func TestServiceProgramHidden(t *testing.T) {
	root := t.TempDir()
	f := newFakeMachine("/opt/frontdesk/bin/frontdesk")
	if _, err := serviceCLI(f, "install", "--root", root); err != nil {
		t.Fatal(err)
	}
	unit, _ := os.ReadFile(filepath.Join(root, unitPath))
	if !strings.Contains(string(unit), "\nExecStart=/opt/frontdesk/bin/frontdesk serve --db /var/lib/frontdesk/frontdesk.db\n") {
		t.Errorf("unit for a program in /opt:\n%s", unit)
	}
	if _, err := os.Stat(filepath.Join(root, copiedBinary)); err == nil {
		t.Error("a program in /opt was copied")
	}
	// A program in a hidden folder is copied: the copy is tried (this
	// test makes no file in those folders, so it fails on reading it).
	h := f.at(root)
	for _, dir := range hiddenFromService {
		exe := filepath.Join(dir, "no-such-user", "frontdesk")
		h.exe = func() (string, error) { return exe, nil }
		if _, _, err := h.program(""); err == nil || !strings.Contains(err.Error(), "read the program to copy") || !strings.Contains(err.Error(), exe) {
			t.Errorf("%s: %v; want the copy of %s tried", dir, err, exe)
		}
	}
}

// TestServiceUninstall removes what install wrote, keeps the data and the
// account and says how to remove them, and says when there is nothing
// left to remove.
func TestServiceUninstall(t *testing.T) {
	root := t.TempDir()
	f := newFakeMachine("/opt/frontdesk/frontdesk")
	if out, err := serviceCLI(f, "install", "--root", root, "--binary", fakeProgram(t, "x")); err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	f.took()
	db := filepath.Join(root, serviceDB)
	if err := os.WriteFile(db, []byte("the data"), 0o660); err != nil {
		t.Fatal(err)
	}
	out, err := serviceCLI(f, "uninstall", "--root", root)
	if err != nil {
		t.Fatalf("uninstall: %v\n%s", err, out)
	}
	want := []string{"systemctl disable --now frontdesk", "systemctl daemon-reload", "udevadm control --reload-rules"}
	if got := f.took(); !slices.Equal(got, want) {
		t.Errorf("commands: %q, want %q", got, want)
	}
	for _, p := range []string{unitPath, udevRulesPath, desktopPath, iconPath} {
		if _, err := os.Stat(filepath.Join(root, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there: %v", p, err)
		}
		if !strings.Contains(out, "removed "+p+"\n") {
			t.Errorf("the output does not say %s was removed:\n%s", p, out)
		}
	}
	if data, err := os.ReadFile(db); err != nil || string(data) != "the data" {
		t.Errorf("the database: %q, %v; want it kept", data, err)
	}
	for _, line := range []string{
		"stopped and disabled frontdesk.service",
		"kept /var/lib/frontdesk (the database) and the user frontdesk: sudo userdel frontdesk && sudo rm -r /var/lib/frontdesk removes them",
		"kept /usr/local/bin/frontdesk: sudo rm /usr/local/bin/frontdesk removes it",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the output lacks %q:\n%s", line, out)
		}
	}
	if _, ok := f.users["frontdesk"]; !ok {
		t.Error("the account is gone")
	}
	out, err = serviceCLI(f, "uninstall", "--root", root)
	if err != nil || !strings.HasSuffix(out, "nothing to remove: the service was not installed\n") {
		t.Errorf("second uninstall: %v\n%s", err, out)
	}
	if got := f.took(); len(got) != 0 {
		t.Errorf("the second uninstall ran %q", got)
	}
}

// TestServiceNeedsRoot: on this machine (--root /) install and uninstall
// refuse to run without root's rights, in one line saying to use sudo
// (exit status 4, as every refusal), before they run anything.
func TestServiceNeedsRoot(t *testing.T) {
	for _, sub := range []string{"install", "uninstall"} {
		f := newFakeMachine("/usr/bin/frontdesk")
		out, err := serviceCLI(f, sub)
		if !errors.Is(err, core.ErrForbidden) || !strings.Contains(err.Error(), "sudo frontdesk service "+sub) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s as uid 1000: %v; want forbidden, run it with sudo", sub, err)
		}
		if out != "" {
			t.Errorf("%s as uid 1000 printed %q", sub, out)
		}
		if got := f.took(); len(got) != 0 {
			t.Errorf("%s as uid 1000 ran %q", sub, got)
		}
		// Under another root nothing of this machine changes: no root
		// needed.
		args := []string{"--root", t.TempDir()}
		if sub == "install" {
			args = append(args, "--binary", fakeProgram(t, "x"))
		}
		if out, err := serviceCLI(f, sub, args...); err != nil {
			t.Errorf("%s --root as uid 1000: %v\n%s", sub, err, out)
		}
	}
	// A database outside the service's folder would hand that folder
	// to the account: refused.
	f := newFakeMachine("/usr/bin/frontdesk")
	f.euid = 0
	if _, err := serviceCLI(f, "install", "--db", "/var/lib/site.db"); err == nil || !strings.Contains(err.Error(), "--db: the service's database is a file in /var/lib/frontdesk") {
		t.Errorf("install --db /var/lib/site.db: %v", err)
	}
	if got := f.took(); len(got) != 0 {
		t.Errorf("a refused install ran %q", got)
	}
}

// TestServiceStatus: installed or not, the database the unit serves, its
// socket, and whether a service answers there, in text and JSON.
func TestServiceStatus(t *testing.T) {
	root := t.TempDir()
	f := newFakeMachine("/opt/frontdesk/frontdesk")
	status := func() serviceStatusJSON {
		t.Helper()
		out, err := serviceCLI(f, "status", "--root", root, "--json")
		var st serviceStatusJSON
		if err != nil || json.Unmarshal([]byte(out), &st) != nil {
			t.Fatalf("status --json: %v\n%s", err, out)
		}
		return st
	}
	st := status()
	if st.Installed || st.Enabled != "disabled" || st.Active != "inactive" || st.Answers || st.DB != serviceDB ||
		st.Socket != serviceDB+".sock" || !strings.HasPrefix(st.Problem, "no socket") {
		t.Errorf("before install: %+v", st)
	}

	const db = "/var/lib/frontdesk/site.db"
	if out, err := serviceCLI(f, "install", "--root", root, "--db", db); err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	// A service on the database, answering on its socket under the root.
	m := &Main{DBPath: filepath.Join(root, db), ConfigDir: t.TempDir()}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	site, err := core.ReadSiteFile(strings.NewReader(`{"site": {"name": "Status HQ", "timezone": "Europe/Paris"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Engine.Import(core.CommandLine("test"), site); err != nil {
		t.Fatal(err)
	}
	ln, err := httpapi.Listen(filepath.Join(root, httpapi.SocketPath(db)), -1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		srv := httpapi.NewServer(m.Engine, httpapi.Options{Version: "1.2.3"})
		served <- srv.Serve(ctx, ln, httpapi.PeerPolicy{Unix: true, OwnerUID: os.Getuid(), GroupGID: os.Getgid()})
	}()
	defer func() {
		cancel()
		<-served
	}()
	st = status()
	want := serviceStatusJSON{Unit: unitPath, Installed: true, Enabled: "enabled", Active: "active", DB: db,
		Socket: db + ".sock", Answers: true, Site: "Status HQ", Version: "1.2.3"}
	if st != want {
		t.Errorf("installed and running: %+v, want %+v", st, want)
	}
	out, err := serviceCLI(f, "status", "--root", root)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"unit      /etc/systemd/system/frontdesk.service (installed)\n",
		"enabled   enabled\n", "active    active\n",
		"database  /var/lib/frontdesk/site.db\n",
		"socket    /var/lib/frontdesk/site.db.sock\n",
		"service   answers: site \"Status HQ\", Frontdesk 1.2.3\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("status lacks %q:\n%s", line, out)
		}
	}
}
