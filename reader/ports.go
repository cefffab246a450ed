package reader

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// SerialPort is a serial port the kernel knows, as sysfs describes it. It is
// found without opening the port: opening a port to probe it can reset the
// board behind it (an Arduino restarts when DTR rises), and tarm/serial has
// no way to list ports anyway.
type SerialPort struct {
	// Path is the device node: /dev/ttyUSB0.
	Path string
	// ByID is the /dev/serial/by-id link that points to Path, or "". It is
	// the name to put in the site file, because ttyUSB numbers follow the
	// order in which adapters were plugged in.
	ByID string
	// Driver is the kernel driver behind the port: ch341-uart, ftdi_sio,
	// cp210x, pl2303, cdc_acm, or for built-in ports serial8250 or serial
	// (the PNP/ACPI 8250 driver).
	Driver string
	// VID and PID are the USB vendor and product ids in 4 lower-case hex
	// digits, "" when the port is not on USB.
	VID, PID string
	// Product, Manufacturer and Serial are the USB device's strings, ""
	// when the device has none (CH340 adapters have no serial number).
	Product, Manufacturer, Serial string
	// Known says what supported hardware the port is likely to be (see
	// Known), or "".
	Known string
}

// USBDevice is a device on a USB bus, as sysfs describes it: what the admin
// needs to fill in a usb-wedge's vid and pid or tell two relay boards apart,
// found without libusb and without opening anything.
type USBDevice struct {
	// Bus and Address are the bus number and the device number on it, as
	// lsusb prints them; the device node is /dev/bus/usb/BBB/AAA.
	Bus, Address int
	// VID and PID are the vendor and product ids in 4 lower-case hex digits.
	VID, PID string
	// Manufacturer, Product and Serial are the device's strings, "" when it
	// has none.
	Manufacturer, Product, Serial string
	// Known says what supported hardware the device is likely to be (see
	// Known), or "".
	Known string
}

// Host is where to look for devices: the sysfs and /dev roots. They are
// fields rather than constants so that tests can point them at a fake tree.
type Host struct {
	Sys string // sysfs root, "/sys"
	Dev string // device nodes root, "/dev"
}

// System is the machine Frontdesk runs on.
var System = Host{Sys: "/sys", Dev: "/dev"}

// SerialPorts lists the serial ports of the host, sorted by Path (ttyS2
// before ttyS10). It reads /sys/class/tty: a tty with a device link is
// hardware, one without (virtual consoles, ptmx) is not. Built-in 8250 ports
// whose type is 0 are skipped: the kernel creates ttyS0-ttyS3 whether or not
// a UART answers, and those phantoms only fail when opened. A host without
// /sys/class/tty or /dev/serial/by-id is not an error.
func (h Host) SerialPorts() ([]SerialPort, error) {
	ttyDir := filepath.Join(h.Sys, "class", "tty")
	entries, err := os.ReadDir(ttyDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list serial ports: %w", err)
	}
	stop := realPath(filepath.Join(h.Sys, "devices"))
	byID, err := h.byIDLinks()
	if err != nil {
		return nil, err
	}
	var ports []SerialPort
	for _, e := range entries {
		name := e.Name()
		dir := filepath.Join(ttyDir, name)
		dev, err := filepath.EvalSymlinks(filepath.Join(dir, "device"))
		if err != nil {
			continue // virtual: no device behind it
		}
		if strings.HasPrefix(name, "ttyS") && readAttr(dir, "type") == "0" {
			continue // a phantom 8250 port, no UART behind it
		}
		// sysfs writes a '/' in a device name as '!'.
		p := SerialPort{Path: filepath.Join(h.Dev, strings.ReplaceAll(name, "!", "/"))}
		p.ByID = byID[realPath(p.Path)]
		p.Driver = driverOf(dev, stop)
		if usb := usbAncestor(dev, stop); usb != "" {
			p.VID = strings.ToLower(readAttr(usb, "idVendor"))
			p.PID = strings.ToLower(readAttr(usb, "idProduct"))
			p.Manufacturer = readAttr(usb, "manufacturer")
			p.Product = readAttr(usb, "product")
			p.Serial = readAttr(usb, "serial")
			p.Known = Known(p.VID, p.PID)
		}
		ports = append(ports, p)
	}
	slices.SortFunc(ports, func(a, b SerialPort) int { return comparePaths(a.Path, b.Path) })
	return ports, nil
}

// USBDevices lists the devices on the host's USB buses, root hubs included,
// sorted by bus and address. It reads /sys/bus/usb/devices, skipping the
// interface entries (1-1:1.0), which have no idVendor. A host without
// /sys/bus/usb (no USB controller, a container) has none: not an error.
func (h Host) USBDevices() ([]USBDevice, error) {
	dir := filepath.Join(h.Sys, "bus", "usb", "devices")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list usb devices: %w", err)
	}
	var devs []USBDevice
	for _, e := range entries {
		d := filepath.Join(dir, e.Name())
		vid := strings.ToLower(readAttr(d, "idVendor"))
		if vid == "" {
			continue // an interface, not a device
		}
		u := USBDevice{
			VID:          vid,
			PID:          strings.ToLower(readAttr(d, "idProduct")),
			Manufacturer: readAttr(d, "manufacturer"),
			Product:      readAttr(d, "product"),
			Serial:       readAttr(d, "serial"),
		}
		// A number sysfs does not give stays 0: one odd device should not
		// hide the others.
		u.Bus, _ = strconv.Atoi(readAttr(d, "busnum"))
		u.Address, _ = strconv.Atoi(readAttr(d, "devnum"))
		u.Known = Known(u.VID, u.PID)
		devs = append(devs, u)
	}
	slices.SortFunc(devs, func(a, b USBDevice) int {
		return cmp.Or(cmp.Compare(a.Bus, b.Bus), cmp.Compare(a.Address, b.Address))
	})
	return devs, nil
}

// known names the hardware Frontdesk supports by USB vendor:product. The
// cheap boards share generic chips, so a match says what the device is
// likely to be, not what it is: a CH340 may be an LCUS relay, an RDM6300's
// adapter or an Arduino clone.
var known = map[string]string{
	"16c0:05df": "dcttech USB HID relay (usb-dcttech-relay)",
	"16c0:27db": "USB keyboard-wedge reader (usb-wedge)",
	"ffff:0035": "USB keyboard-wedge reader (usb-wedge)",
	"1a86:7523": "CH340 serial adapter (LCUS relay, RDM6300 adapters)",
	"0403:6001": "FTDI serial adapter",
	"10c4:ea60": "CP210x serial adapter",
	"067b:2303": "PL2303 serial adapter",
}

// knownVendors names the vendors whose every product is likely to be a
// supported kind, for the pairs known does not list.
var knownVendors = map[string]string{
	"2341": "Arduino board, serial bridge (serial-line)",
	"1a86": "WCH serial chip, Arduino-style serial bridge (serial-line)",
}

// Known says what supported hardware a USB vendor and product id (hex, any
// case) is likely to be, with the site file's kind in parentheses where the
// device is one, or "" when Frontdesk knows nothing of it. It helps the
// admin match what `frontdesk devices` lists to the site file.
func Known(vid, pid string) string {
	vid, pid = strings.ToLower(vid), strings.ToLower(pid)
	if k, ok := known[vid+":"+pid]; ok {
		return k
	}
	return knownVendors[vid]
}

// ResolvePort returns what a port path points to, for display: for
// /dev/serial/by-id/usb-1a86_USB_Serial-if00-port0 it returns /dev/ttyUSB0.
// It returns path unchanged when that is not a link or cannot be resolved
// (the adapter is unplugged).
func ResolvePort(path string) string {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return path
	}
	return target
}

// byIDLinks maps the real path of each port node to its first
// /dev/serial/by-id link, in name order. udev creates that folder with the
// first USB serial port, so it missing only means there is none.
func (h Host) byIDLinks() (map[string]string, error) {
	dir := filepath.Join(h.Dev, "serial", "by-id")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list serial port links: %w", err)
	}
	links := map[string]string{}
	for _, e := range entries { // ReadDir sorts by name
		link := filepath.Join(dir, e.Name())
		target, err := filepath.EvalSymlinks(link)
		if err != nil {
			continue // dangling: the port went away
		}
		if _, dup := links[target]; !dup {
			links[target] = link
		}
	}
	return links, nil
}

// driverOf names the driver of a tty's device dir. Since Linux 6.5 the 8250
// ports sit below serial-base "port" and "ctrl" devices, whose drivers say
// nothing about the hardware, so those are skipped up to the device that
// has the real driver (serial8250 for the platform ports, serial for the
// PNP ones). Other devices are not walked: an unbound device has no driver,
// and its parent's would be a wrong answer.
func driverOf(dev, stop string) string {
	for d := dev; within(d, stop); d = filepath.Dir(d) {
		target, _ := os.Readlink(filepath.Join(d, "driver"))
		if !isSerialBase(d, target) {
			if target == "" {
				return "" // unbound
			}
			return filepath.Base(target)
		}
	}
	return ""
}

// isSerialBase reports whether device dir d, whose driver link is target
// (or ""), is one of the serial-base layer's devices.
func isSerialBase(d, target string) bool {
	if strings.Contains(filepath.ToSlash(target), "/serial-base/") {
		return true
	}
	sub, err := os.Readlink(filepath.Join(d, "subsystem"))
	return err == nil && filepath.Base(sub) == "serial-base"
}

// usbAncestor returns the first of dev and its parents, below stop, that
// is a USB device (it has idVendor), or "". For a ttyUSB that is the
// grandparent of the usb-serial port dir, for a ttyACM the parent of the
// interface dir.
func usbAncestor(dev, stop string) string {
	for d := dev; within(d, stop); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "idVendor")); err == nil {
			return d
		}
	}
	return ""
}

// within reports whether d is strictly below stop, so that walking up from
// a device never leaves /sys/devices.
func within(d, stop string) bool {
	rel, err := filepath.Rel(stop, d)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// realPath resolves p's links, or returns p cleaned when it cannot be
// resolved (a node that does not exist).
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

// readAttr returns a sysfs attribute's value without its trailing newline,
// or "" when it is missing or unreadable: devices without a serial number
// simply have no serial file.
func readAttr(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// comparePaths orders paths by their text, but a trailing number by its
// value, so that ttyUSB2 comes before ttyUSB10 as an admin expects.
func comparePaths(a, b string) int {
	pa, na := splitNumber(a)
	pb, nb := splitNumber(b)
	return cmp.Or(strings.Compare(pa, pb), cmp.Compare(na, nb), strings.Compare(a, b))
}

// splitNumber splits s into its text and its trailing decimal number, -1
// when it has none (or one too long to be a port number).
func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || len(s)-i > 9 {
		return s, -1
	}
	return s[:i], n
}
