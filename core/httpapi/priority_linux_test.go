package httpapi

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// threadPriority is the calling goroutine's thread's scheduling class
// and nice value (Linux reads both per thread).
type threadPriority struct {
	Policy uint32 `json:"policy"`
	Nice   int    `json:"nice"`
}

func priorityHere(t *testing.T) threadPriority {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	attr, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		t.Error(err)
		return threadPriority{}
	}
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Error(err)
	}
	return threadPriority{Policy: attr.Policy, Nice: 20 - p}
}

// TestCallsRunAtTheProcessPriority: a call runs on a thread of the
// process's own priority. A call on a thread of lower priority (the idle
// class, nice 19) holds up every stop of the garbage collector until the
// kernel gives that thread a processor, and the doors' taps stop with it:
// with other programs keeping the processors busy, for up to 470 ms.
func TestCallsRunAtTheProcessPriority(t *testing.T) {
	s := newSite(t, (&testClock{t: t0}).now, siteOptions{})
	srv := NewServer(s.engine, Options{})
	srv.handle("GET /v1/test/priority", func(*call) (any, error) { return priorityHere(t), nil })
	path := serve(t, srv, trusted())
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}}
	want := priorityHere(t)
	for i := range 20 { // calls at once and one after another
		resp, err := hc.Get("http://frontdesk/v1/test/priority")
		if err != nil {
			t.Fatal(err)
		}
		var got threadPriority
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("call %d: %s, %v", i, resp.Status, err)
		}
		if got != want {
			t.Fatalf("call %d ran at %+v, the process at %+v", i, got, want)
		}
	}
}
