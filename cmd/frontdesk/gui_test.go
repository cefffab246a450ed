package main

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdesk/core"
)

// TestMain runs the children of the tests that start the program as a
// process of its own: Fyne must run on the main goroutine, which only
// TestMain has.
func TestMain(m *testing.M) {
	if path := os.Getenv("FRONTDESK_GUI_DB"); path != "" {
		os.Exit(run([]string{"--demo", "--db", path}, nil, os.Stdout, os.Stderr))
	}
	if path := os.Getenv("FRONTDESK_CRASH_DB"); path != "" {
		tapStorm(path)
	}
	if args := os.Getenv("FRONTDESK_CHILD_ARGS"); args != "" {
		// The program itself, with these arguments (unit-separated).
		setUpChild()
		os.Exit(run(strings.Split(args, "\x1f"), nil, os.Stdout, os.Stderr))
	}
	// The checkpoint key and files of this run go to a folder of its own,
	// never to the user's config folder; the children inherit it.
	config, err := os.MkdirTemp("", "frontdesk-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", config)
	code := m.Run()
	os.RemoveAll(config)
	os.Exit(code)
}

// TestGUISmoke starts the real program with --demo on a display, lets the
// simulated readers tap for a few seconds, stops it with SIGTERM as a
// service manager would, and checks that it stopped cleanly, that its
// window was drawn, and that the demo's taps are in a log that verifies.
func TestGUISmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the smoke test starts the app")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no display: run under xvfb-run (make test does)")
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FRONTDESK_GUI_DB="+path)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The demo taps every 4 s once its readers run; give it two taps. A
	// busy machine may take a while to start it.
	for start := time.Now(); !strings.Contains(stderr.String(), "device connected"); {
		if time.Since(start) > time.Minute {
			cmd.Process.Kill()
			t.Fatalf("no reader ran within a minute\n%s", stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(9 * time.Second)
	if cmd.ProcessState != nil {
		t.Fatalf("the app ended early: %s", stderr.String())
	}
	checkScreenDrawn(t)
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the app did not stop cleanly on SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the app did not stop within 5 s of SIGTERM\n%s", stderr.String())
	}
	m := &Main{DBPath: path}
	if err := m.Open(); err != nil {
		t.Fatalf("reopen after the app: %v", err)
	}
	defer m.Close()
	var taps int
	m.Engine.Events(core.CommandLine("test"), core.EventQuery{}, func(e core.Event) error {
		if e.Reader != "" {
			taps++
		}
		return nil
	})
	if taps == 0 {
		t.Fatalf("the demo's readers logged no tap\n%s", stderr.String())
	}
	if rep, err := m.DB.Verify(); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Fatalf("the app panicked:\n%s", stderr.String())
	}
}

// checkScreenDrawn takes a screenshot with ImageMagick's import (make deps
// installs it) and checks that something was drawn: an empty X screen is
// one colour, a window with text has many.
func checkScreenDrawn(t *testing.T) {
	if _, err := exec.LookPath("import"); err != nil {
		t.Log("ImageMagick's import is not installed (make deps installs it): screen not checked")
		return
	}
	shot, err := exec.Command("import", "-window", "root", "png:-").Output()
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	colours := map[color.RGBA]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			colours[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
		}
	}
	if len(colours) < 16 {
		t.Errorf("the screen shows %d colours: the window was not drawn", len(colours))
	}
}

func TestGUIWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, _, errs := cli(t, filepath.Join(t.TempDir(), "x.db"), "--demo")
	if code != 1 || !strings.Contains(errs, "no display") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("got exit %d %q, want one line saying there is no display", code, errs)
	}
}
