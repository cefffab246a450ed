package reader

import (
	"sync"
	"time"

	"frontdesk/core"
)

// rejectLogEvery limits the log to one line per device this often for
// rejected frames: a reader at the wrong baud rate rejects every frame, and
// its health counts them all.
const rejectLogEvery = 10 * time.Second

// health keeps one device's core.DeviceHealth, reports every change to the
// engine and logs the changes people act on: connected, disconnected,
// failing, faulty.
type health struct {
	s         *Supervisor
	id, kind  string
	mu        sync.Mutex
	h         core.DeviceHealth
	rejectLog time.Time
}

func newHealth(s *Supervisor, d core.Device) *health {
	h := &health{s: s, id: d.ID, kind: d.Kind, h: core.DeviceHealth{Device: d.ID, Kind: d.Kind, Since: time.Now().UTC()}}
	s.Engine.ReportHealth(h.h)
	return h
}

// update changes the health under the lock and reports it.
func (h *health) update(fn func(*core.DeviceHealth)) {
	h.mu.Lock()
	fn(&h.h)
	snap := h.h
	h.mu.Unlock()
	h.s.Engine.ReportHealth(snap)
}

func (h *health) connect() {
	h.update(func(d *core.DeviceHealth) {
		d.Connected = true
		d.Since = time.Now().UTC()
	})
	h.s.Log.Info("device connected", "device", h.id, "kind", h.kind)
}

func (h *health) disconnect(err error) {
	h.update(func(d *core.DeviceHealth) {
		d.Connected = false
		d.Since = time.Now().UTC()
		if err != nil {
			d.LastError, d.ErrorAt = err.Error(), d.Since
		}
	})
	h.s.Log.Warn("device disconnected", "device", h.id, "err", err)
}

// failed records an error that does not change the connection: an open
// that failed again, or a tap the engine refused. The log gets it only when
// it differs from the last one, so a missing reader is one line, not one a
// second.
func (h *health) failed(err error) {
	var repeat bool
	h.update(func(d *core.DeviceHealth) {
		repeat = d.LastError == err.Error()
		d.LastError, d.ErrorAt = err.Error(), time.Now().UTC()
	})
	if !repeat {
		h.s.Log.Warn("device failing", "device", h.id, "err", err)
	}
}

func (h *health) frame(ok bool) {
	h.update(func(d *core.DeviceHealth) {
		d.Frames++
		if ok {
			d.LastFrame = time.Now().UTC()
		}
	})
}

func (h *health) reject(err error) {
	var log bool
	h.update(func(d *core.DeviceHealth) {
		d.Rejected++
		d.LastError, d.ErrorAt = err.Error(), time.Now().UTC()
		if d.ErrorAt.Sub(h.rejectLog) >= rejectLogEvery {
			h.rejectLog, log = d.ErrorAt, true
		}
	})
	if log {
		h.s.Log.Warn("frame rejected", "device", h.id, "err", err)
	}
}

// setFaulty names the doors whose relay did not switch off (nil when all
// are locked again).
func (h *health) setFaulty(doors []string) {
	var was []string
	h.update(func(d *core.DeviceHealth) {
		was = d.Faulty
		d.Faulty = doors
	})
	switch {
	case len(doors) > 0:
		h.s.Log.Error("door faulty: its relay did not switch off", "device", h.id, "doors", doors)
	case len(was) > 0:
		h.s.Log.Info("door locked again", "device", h.id, "doors", was)
	}
}
