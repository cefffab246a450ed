package reader

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/gousb"
)

// usbControlTimeout bounds every control transfer: gousb's default is no
// timeout, and a board that stops answering must not hang a door.
const usbControlTimeout = time.Second

// USB opens the USB devices the product drives, through libusb (gousb).
// It only opens and releases them: what the devices say is decoded by
// Wedge and Dcttech, which are tested with fakes. The zero USB is ready to
// use; libusb is initialised on first use, so a machine without USB
// devices costs nothing until one is configured.
type USB struct {
	mu  sync.Mutex
	ctx *gousb.Context
}

// context returns the libusb context, creating it on first use.
func (u *USB) context() (c *gousb.Context, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ctx != nil {
		return u.ctx, nil
	}
	// gousb.NewContext panics when libusb cannot initialise (no usbfs in a
	// container, for one): that is an error for this device, not a crash of
	// the program.
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("init libusb: %w", e)
			} else {
				err = fmt.Errorf("init libusb: %v", r)
			}
		}
	}()
	u.ctx = gousb.NewContext()
	return u.ctx, nil
}

// Close releases libusb. Close the readers and relays opened through u
// first: libusb refuses to close while devices are open, and then u stays
// usable.
func (u *USB) Close() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ctx == nil {
		return nil
	}
	if err := u.ctx.Close(); err != nil {
		return fmt.Errorf("close libusb: %w", err)
	}
	u.ctx = nil
	return nil
}

// Present reports whether a device vid:pid is plugged in, without opening
// it: gousb has no hotplug events, so the supervisor polls this about once
// a second before it opens the device.
func (u *USB) Present(vid, pid uint16) (bool, error) {
	c, err := u.context()
	if err != nil {
		return false, fmt.Errorf("find usb %04x:%04x: %w", vid, pid, err)
	}
	found := false
	_, err = c.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		if desc.Vendor == gousb.ID(vid) && desc.Product == gousb.ID(pid) {
			found = true
		}
		return false
	})
	if err != nil && !found {
		return false, fmt.Errorf("find usb %04x:%04x: %w", vid, pid, err)
	}
	return found, nil
}

// OpenWedge opens the keyboard-wedge reader vid:pid and claims its
// keyboard interface, which detaches it from the kernel's keyboard driver:
// it no longer types into the focused window. It returns an error wrapping
// ErrNoDevice when no such device is plugged in, and one wrapping
// core.ErrInvalid, before it opens anything, for a format a wedge does not
// have. The lines typed are read in format (see NewWedge). The Reader is a
// *Wedge; it is returned as a Reader, never a nil *Wedge, to fit USBBus.
func (u *USB) OpenWedge(vid, pid uint16, format string) (Reader, error) {
	if _, err := wedgeParser(format); err != nil {
		return nil, fmt.Errorf("open wedge %04x:%04x: %w", vid, pid, err)
	}
	c, err := u.context()
	if err != nil {
		return nil, fmt.Errorf("open wedge %04x:%04x: %w", vid, pid, err)
	}
	dev, err := c.OpenDeviceWithVIDPID(gousb.ID(vid), gousb.ID(pid))
	if dev == nil {
		if err == nil {
			err = ErrNoDevice
		}
		return nil, fmt.Errorf("open wedge %04x:%04x: %w", vid, pid, err)
	}
	intf, closer, err := claim(dev)
	if err != nil {
		return nil, fmt.Errorf("open wedge %04x:%04x: %w", vid, pid, err)
	}
	ep, ok := interruptIn(intf.Setting)
	if !ok {
		err = fmt.Errorf("open wedge %04x:%04x: interface 0 has no interrupt IN endpoint", vid, pid)
		return nil, errors.Join(err, closer())
	}
	in, err := intf.InEndpoint(ep.Number)
	if err != nil {
		err = fmt.Errorf("open wedge %04x:%04x: %w", vid, pid, err)
		return nil, errors.Join(err, closer())
	}
	w, err := NewWedge(in, ep.MaxPacketSize, format, closer)
	if err != nil {
		return nil, errors.Join(err, closer())
	}
	return w, nil
}

// OpenDcttech opens the dcttech relay board whose serial (as the board
// reports it in its state) is serial, or the first board found when serial
// is "". Boards share VID and PID, so it opens each in turn to read its
// serial and closes the others. It returns an error wrapping ErrNoDevice,
// naming the serials it saw, when no board matches. The Relay is a
// *Dcttech (Serial, Channels); it is returned as a Relay, never a nil
// *Dcttech, to fit USBBus.
func (u *USB) OpenDcttech(serial string) (Relay, error) {
	want := strings.TrimSpace(serial)
	what := "dcttech relay " + want
	if want == "" {
		what = "dcttech relay"
	}
	c, err := u.context()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", what, err)
	}
	devs, enumErr := c.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		return desc.Vendor == dcttechVendor && desc.Product == dcttechProduct
	})
	var (
		found  *Dcttech
		seen   []string
		failed []error
	)
	for _, dev := range devs {
		if found != nil {
			dev.Close()
			continue
		}
		d, err := openDcttech(dev)
		if err != nil {
			failed = append(failed, fmt.Errorf("board %s: %w", dev, err))
			continue
		}
		if want == "" || strings.EqualFold(d.Serial(), want) {
			found = d
			continue
		}
		seen = append(seen, d.Serial())
		if err := d.Close(); err != nil {
			failed = append(failed, err)
		}
	}
	if found != nil {
		return found, nil
	}
	msg := "none plugged in"
	if len(seen) > 0 {
		msg = "boards plugged in: " + strings.Join(seen, ", ")
	}
	err = fmt.Errorf("open %s: %w (%s)", what, ErrNoDevice, msg)
	if enumErr != nil {
		failed = append(failed, enumErr)
	}
	return nil, errors.Join(append([]error{err}, failed...)...)
}

// openDcttech claims a board OpenDevices opened and reads its state; on
// failure it has released the device.
func openDcttech(dev *gousb.Device) (*Dcttech, error) {
	// Interface 0 stays claimed while the board is open: the HID requests
	// are addressed to it.
	_, closer, err := claim(dev)
	if err != nil {
		return nil, err
	}
	product, _ := dev.Product() // no product string: dcttechChannels assumes 8
	d, err := NewDcttech(dev, dcttechChannels(product), closer)
	if err != nil {
		return nil, errors.Join(err, closer())
	}
	return d, nil
}

// claim sets dev's control timeout and claims interface 0 of config 1,
// detaching the kernel driver (otherwise libusb says busy). The closer it
// returns releases interface, config and device, in that order, as gousb
// requires. When claim fails, it has closed dev.
func claim(dev *gousb.Device) (*gousb.Interface, func() error, error) {
	dev.ControlTimeout = usbControlTimeout
	if err := dev.SetAutoDetach(true); err != nil {
		return nil, nil, errors.Join(fmt.Errorf("auto-detach: %w", err), dev.Close())
	}
	cfg, err := dev.Config(1)
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("config 1: %w", err), dev.Close())
	}
	intf, err := cfg.Interface(0, 0)
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("interface 0: %w", err), cfg.Close(), dev.Close())
	}
	closer := func() error {
		intf.Close()
		return errors.Join(cfg.Close(), dev.Close())
	}
	return intf, closer, nil
}

// interruptIn returns the interrupt IN endpoint of s with the lowest
// address, where a keyboard sends its reports.
func interruptIn(s gousb.InterfaceSetting) (gousb.EndpointDesc, bool) {
	addrs := make([]gousb.EndpointAddress, 0, len(s.Endpoints))
	for a := range s.Endpoints {
		addrs = append(addrs, a)
	}
	slices.Sort(addrs)
	for _, a := range addrs {
		ep := s.Endpoints[a]
		if ep.Direction == gousb.EndpointDirectionIn && ep.TransferType == gousb.TransferTypeInterrupt {
			return ep, true
		}
	}
	return gousb.EndpointDesc{}, false
}
