package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"frontdesk/core"
)

// DeskReader reports whether device id is a desk reader; false when the
// service does not answer.
func (c *Client) DeskReader(id string) bool {
	var r DeskReply
	if err := c.call(http.MethodGet, "/v1/readers/"+url.PathEscape(id)+"/desk", nil, nil, &r); err != nil {
		return false
	}
	return r.Desk
}

// Tap records a tap by hand, as the command line's tap does: through the
// service it needs taps.replay (the service's readers tap in its own
// process).
func (c *Client) Tap(tap core.Tap) (core.Event, error) {
	var ev core.Event
	err := c.call(http.MethodPost, "/v1/taps", nil, TapRequest{Reader: tap.Reader, Code: tap.Code, At: tap.At}, &ev)
	return ev, err
}

// CheckinPhone checks a person in by mobile number.
func (c *Client) CheckinPhone(a core.Actor, phone string, at time.Time) (core.Event, error) {
	if err := c.checkActor(a); err != nil {
		return core.Event{}, err
	}
	var ev core.Event
	err := c.call(http.MethodPost, "/v1/checkins", nil, CheckinRequest{Phone: phone, At: at}, &ev)
	return ev, err
}

// CloseDay runs the automatic check-out as of at; on a failure after
// some check-outs were written it returns them with the error, as the
// engine does.
func (c *Client) CloseDay(a core.Actor, at time.Time) ([]core.Event, error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	var r CloseDayReply
	if err := c.call(http.MethodPost, "/v1/close-day", nil, CloseDayRequest{At: at}, &r); err != nil {
		return nil, err
	}
	if r.Error != nil {
		return r.Events, r.Error
	}
	return r.Events, nil
}

// OpenDoor opens door id from the screen.
func (c *Client) OpenDoor(a core.Actor, id string) (core.Event, error) {
	if err := c.checkActor(a); err != nil {
		return core.Event{}, err
	}
	var ev core.Event
	err := c.call(http.MethodPost, "/v1/doors/"+url.PathEscape(id)+"/open", nil, struct{}{}, &ev)
	return ev, err
}

// SetDoorMode puts door id in mode.
func (c *Client) SetDoorMode(a core.Actor, id string, mode core.DoorMode) (core.Door, error) {
	if err := c.checkActor(a); err != nil {
		return core.Door{}, err
	}
	var d core.Door
	err := c.call(http.MethodPut, "/v1/doors/"+url.PathEscape(id)+"/mode", nil, DoorModeRequest{Mode: mode}, &d)
	return d, err
}

// Door returns door id; ok is false when there is none, the caller may
// not see doors, or the service does not answer.
func (c *Client) Door(a core.Actor, id string) (core.Door, bool) {
	if c.checkActor(a) != nil {
		return core.Door{}, false
	}
	var d core.Door
	if err := c.call(http.MethodGet, "/v1/doors/"+url.PathEscape(id), nil, nil, &d); err != nil {
		return core.Door{}, false
	}
	return d, true
}

// Doors returns the site's doors in id order; nil when the caller may not
// see them or the service does not answer.
func (c *Client) Doors(a core.Actor) []core.Door {
	return listOrNil[core.Door](c, a, "/v1/doors")
}

// GrantableDoors returns the doors on which the caller may give grants;
// nil when none or when the service does not answer.
func (c *Client) GrantableDoors(a core.Actor) []core.Door {
	return listOrNil[core.Door](c, a, "/v1/doors/grantable")
}

// Devices returns the site's readers and relays; nil when the caller may
// not see them or the service does not answer.
func (c *Client) Devices(a core.Actor) []core.Device {
	return listOrNil[core.Device](c, a, "/v1/devices")
}

// Health returns the last reported health of every device; nil when the
// caller may not see it or the service does not answer.
func (c *Client) Health(a core.Actor) []core.DeviceHealth {
	return listOrNil[core.DeviceHealth](c, a, "/v1/health")
}

// listOrNil reads a list the engine gives without an error: nil for any
// failure.
func listOrNil[T any](c *Client, a core.Actor, path string) []T {
	if c.checkActor(a) != nil {
		return nil
	}
	var out []T
	if err := c.call(http.MethodGet, path, nil, nil, &out); err != nil {
		return nil
	}
	return out
}

// Zones returns the site's zones in id order.
func (c *Client) Zones(a core.Actor) ([]core.Zone, error) {
	return ask[[]core.Zone](c, a, http.MethodGet, "/v1/zones", nil, nil)
}

// CaptureDesk puts the desk readers in enrolment mode until release: the
// service holds the capture for as long as a request of this client
// stays open, so a client that dies releases it by itself. release ends
// it on the service before it returns, so that the next desk tap checks
// in, as in process; it may be called more than once.
func (c *Client) CaptureDesk(a core.Actor) (release func(), err error) {
	if err := c.checkActor(a); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan string, 1)
	ended := make(chan error, 1)
	go func() {
		var once sync.Once
		err := c.stream(ctx, http.MethodGet, "/v1/desk/capture", nil, nil, func(b []byte) error {
			var l CaptureLine
			if err := json.Unmarshal(b, &l); err != nil {
				return fmt.Errorf("desk capture: %w", err)
			}
			if l.Capture != "" {
				once.Do(func() { first <- l.Capture })
			}
			return nil
		})
		ended <- err
	}()
	var id string
	select {
	case id = <-first:
	case err := <-ended:
		cancel()
		if err == nil {
			err = c.lost(errors.New("the desk capture ended before it began"))
		}
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// Best effort: when the service does not answer, the capture
			// ends with the request below anyway.
			_ = c.call(http.MethodDelete, "/v1/desk/capture/"+url.PathEscape(id), nil, nil, nil)
			cancel()
		})
	}, nil
}
