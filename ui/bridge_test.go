package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

func TestBridgeAfter(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newEngine(t)
	ui := make(uiThread, 8)
	b := watchingBridge(t, e, core.CommandLine("test"), ui)
	startBridge(t, b)

	ran := false
	b.after(10*time.Millisecond, func() { ran = true })
	ui.until(t, "the timer", func() bool { return ran })

	late := false
	b.after(50*time.Millisecond, func() { late = true })
	b.close()
	time.Sleep(100 * time.Millisecond)
	for len(ui) > 0 {
		(<-ui)()
	}
	if late {
		t.Error("a timer ran after the bridge was closed")
	}
}
