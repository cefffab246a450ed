package reader_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"frontdesk/reader"
)

// tree builds files and symlinks under a root, failing the test on error.
type tree struct {
	t    *testing.T
	root string
}

// file writes a file of content (sysfs values end with a newline).
func (tr tree) file(path, content string) {
	tr.t.Helper()
	p := filepath.Join(tr.root, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tr.t.Fatal(err)
	}
}

// attrs writes sysfs attributes into dir, one file each.
func (tr tree) attrs(dir string, kv ...string) {
	tr.t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		tr.file(filepath.Join(dir, kv[i]), kv[i+1]+"\n")
	}
}

// dir makes a folder.
func (tr tree) dir(path string) {
	tr.t.Helper()
	if err := os.MkdirAll(filepath.Join(tr.root, path), 0o755); err != nil {
		tr.t.Fatal(err)
	}
}

// link makes path a symlink to target, relative like the kernel's.
func (tr tree) link(path, target string) {
	tr.t.Helper()
	p := filepath.Join(tr.root, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		tr.t.Fatal(err)
	}
}

// fakeHost builds a sysfs and /dev the way Linux 6.x lays them out:
//
//   - ttyUSB0: a CH340 (1a86:7523, no serial number) on bus 1, whose tty's
//     device is the usb-serial port dir below the interface, driver
//     ch341-uart, with a /dev/serial/by-id link;
//   - ttyACM0: an Arduino Uno (2341:0043) on bus 1, whose tty's device is
//     the interface dir itself, driver cdc_acm, no by-id link;
//   - ttyS0: a real PNP 8250 port (type 4) behind serial-base port and ctrl
//     devices, as on this kind of machine since Linux 6.5;
//   - ttyS1: a phantom platform 8250 port (type 0);
//   - ttyS4: a real platform 8250 port (type 4), the layout before 6.5;
//   - tty1, console: virtual, no device link;
//   - a dcttech relay (16c0:05df) on bus 2 with no tty, and the root hub.
func fakeHost(t *testing.T) reader.Host {
	t.Helper()
	tr := tree{t, t.TempDir()}
	const pci = "sys/devices/pci0000:00/0000:00:14.0"

	// USB bus 1: the root hub and two devices, with their interfaces.
	tr.attrs(pci+"/usb1", "idVendor", "1d6b", "idProduct", "0002", "busnum", "1", "devnum", "1",
		"manufacturer", "Linux 6.1.0-28-amd64 xhci-hcd", "product", "xHCI Host Controller", "serial", "0000:00:14.0")
	tr.attrs(pci+"/usb1/1-3", "idVendor", "1a86", "idProduct", "7523", "busnum", "1", "devnum", "7",
		"product", "USB Serial")
	tr.attrs(pci+"/usb1/1-3/1-3:1.0", "bInterfaceNumber", "00", "bInterfaceClass", "ff")
	tr.link(pci+"/usb1/1-3/1-3:1.0/driver", "../../../../../../bus/usb/drivers/ch341")
	tr.dir(pci + "/usb1/1-3/1-3:1.0/ttyUSB0/tty/ttyUSB0")
	tr.attrs(pci+"/usb1/1-3/1-3:1.0/ttyUSB0/tty/ttyUSB0", "dev", "188:0")
	tr.link(pci+"/usb1/1-3/1-3:1.0/ttyUSB0/driver", "../../../../../../../bus/usb-serial/drivers/ch341-uart")
	tr.link(pci+"/usb1/1-3/1-3:1.0/ttyUSB0/subsystem", "../../../../../../../bus/usb-serial")
	tr.link(pci+"/usb1/1-3/1-3:1.0/ttyUSB0/tty/ttyUSB0/device", "../../../ttyUSB0")

	tr.attrs(pci+"/usb1/1-2", "idVendor", "2341", "idProduct", "0043", "busnum", "1", "devnum", "4",
		"manufacturer", "Arduino (www.arduino.cc)", "serial", "75833353035351E0C1E1")
	tr.attrs(pci+"/usb1/1-2/1-2:1.0", "bInterfaceNumber", "00", "bInterfaceClass", "02")
	tr.link(pci+"/usb1/1-2/1-2:1.0/driver", "../../../../../../bus/usb/drivers/cdc_acm")
	tr.link(pci+"/usb1/1-2/1-2:1.0/subsystem", "../../../../../../bus/usb")
	tr.attrs(pci+"/usb1/1-2/1-2:1.0/tty/ttyACM0", "dev", "166:0")
	tr.link(pci+"/usb1/1-2/1-2:1.0/tty/ttyACM0/device", "../../../1-2:1.0")

	// USB bus 2: a relay board, which is HID and has no tty.
	tr.attrs(pci+"/usb2/2-1", "idVendor", "16C0", "idProduct", "05DF", "busnum", "2", "devnum", "3",
		"manufacturer", "www.dcttech.com", "product", "USBRelay2")
	tr.attrs(pci+"/usb2/2-1/2-1:1.0", "bInterfaceNumber", "00", "bInterfaceClass", "03")
	for _, d := range []string{"usb1", "usb1/1-3", "usb1/1-3/1-3:1.0", "usb1/1-2", "usb1/1-2/1-2:1.0", "usb2/2-1", "usb2/2-1/2-1:1.0"} {
		tr.link("sys/bus/usb/devices/"+filepath.Base(d), "../../../devices/pci0000:00/0000:00:14.0/"+d)
	}

	// ttyS0: PNP port below serial-base ctrl and port devices (Linux 6.5+).
	const pnp = "sys/devices/pnp0/00:00"
	tr.link(pnp+"/driver", "../../../bus/pnp/drivers/serial")
	tr.link(pnp+"/subsystem", "../../../bus/pnp")
	tr.link(pnp+"/00:00:0/driver", "../../../../bus/serial-base/drivers/ctrl")
	tr.link(pnp+"/00:00:0/subsystem", "../../../../bus/serial-base")
	tr.link(pnp+"/00:00:0/00:00:0.0/driver", "../../../../../bus/serial-base/drivers/port")
	tr.link(pnp+"/00:00:0/00:00:0.0/subsystem", "../../../../../bus/serial-base")
	tr.attrs(pnp+"/00:00:0/00:00:0.0/tty/ttyS0", "type", "4", "dev", "4:64")
	tr.link(pnp+"/00:00:0/00:00:0.0/tty/ttyS0/device", "../../../00:00:0.0")

	// ttyS1: phantom port of the platform 8250 driver, same layering.
	const plat = "sys/devices/platform/serial8250"
	tr.link(plat+"/driver", "../../../bus/platform/drivers/serial8250")
	tr.link(plat+"/serial8250:0/driver", "../../../../bus/serial-base/drivers/ctrl")
	tr.link(plat+"/serial8250:0/serial8250:0.1/driver", "../../../../../bus/serial-base/drivers/port")
	tr.attrs(plat+"/serial8250:0/serial8250:0.1/tty/ttyS1", "type", "0", "dev", "4:65")
	tr.link(plat+"/serial8250:0/serial8250:0.1/tty/ttyS1/device", "../../../serial8250:0.1")

	// ttyS4: a real port straight below the platform device (before 6.5).
	tr.attrs(plat+"/tty/ttyS4", "type", "4", "dev", "4:68")
	tr.link(plat+"/tty/ttyS4/device", "../../../serial8250")

	// Virtual ttys: no device link.
	tr.attrs("sys/devices/virtual/tty/tty1", "dev", "4:1")
	tr.attrs("sys/devices/virtual/tty/console", "dev", "5:1")

	for name, dir := range map[string]string{
		"ttyUSB0": "pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/ttyUSB0/tty/ttyUSB0",
		"ttyACM0": "pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/tty/ttyACM0",
		"ttyS0":   "pnp0/00:00/00:00:0/00:00:0.0/tty/ttyS0",
		"ttyS1":   "platform/serial8250/serial8250:0/serial8250:0.1/tty/ttyS1",
		"ttyS4":   "platform/serial8250/tty/ttyS4",
		"tty1":    "virtual/tty/tty1",
		"console": "virtual/tty/console",
	} {
		tr.link("sys/class/tty/"+name, "../../devices/"+dir)
		tr.file("dev/"+name, "")
	}

	// udev's links: one for the CH340, one left dangling by an unplugged
	// adapter.
	tr.link("dev/serial/by-id/usb-1a86_USB_Serial-if00-port0", "../../ttyUSB0")
	tr.link("dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0", "../../ttyUSB1")

	return reader.Host{Sys: filepath.Join(tr.root, "sys"), Dev: filepath.Join(tr.root, "dev")}
}

func TestSerialPorts(t *testing.T) {
	h := fakeHost(t)
	got, err := h.SerialPorts()
	if err != nil {
		t.Fatal(err)
	}
	dev := func(name string) string { return filepath.Join(h.Dev, name) }
	want := []reader.SerialPort{
		{Path: dev("ttyACM0"), Driver: "cdc_acm", VID: "2341", PID: "0043",
			Manufacturer: "Arduino (www.arduino.cc)", Serial: "75833353035351E0C1E1",
			Known: "Arduino board, serial bridge (serial-line)"},
		{Path: dev("ttyS0"), Driver: "serial"},
		{Path: dev("ttyS4"), Driver: "serial8250"},
		{Path: dev("ttyUSB0"), ByID: dev("serial/by-id/usb-1a86_USB_Serial-if00-port0"), Driver: "ch341-uart",
			VID: "1a86", PID: "7523", Product: "USB Serial",
			Known: "CH340 serial adapter (LCUS relay, RDM6300 adapters)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SerialPorts:\n got %+v\nwant %+v", got, want)
	}
}

func TestSerialPortsWithoutByID(t *testing.T) {
	h := fakeHost(t)
	if err := os.RemoveAll(filepath.Join(h.Dev, "serial")); err != nil {
		t.Fatal(err)
	}
	got, err := h.SerialPorts()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d ports, want 4: %+v", len(got), got)
	}
	for _, p := range got {
		if p.ByID != "" {
			t.Errorf("%s: ByID %q without /dev/serial/by-id", p.Path, p.ByID)
		}
	}
}

func TestUSBDevices(t *testing.T) {
	got, err := fakeHost(t).USBDevices()
	if err != nil {
		t.Fatal(err)
	}
	want := []reader.USBDevice{
		{Bus: 1, Address: 1, VID: "1d6b", PID: "0002", Manufacturer: "Linux 6.1.0-28-amd64 xhci-hcd",
			Product: "xHCI Host Controller", Serial: "0000:00:14.0"},
		{Bus: 1, Address: 4, VID: "2341", PID: "0043", Manufacturer: "Arduino (www.arduino.cc)",
			Serial: "75833353035351E0C1E1", Known: "Arduino board, serial bridge (serial-line)"},
		{Bus: 1, Address: 7, VID: "1a86", PID: "7523", Product: "USB Serial",
			Known: "CH340 serial adapter (LCUS relay, RDM6300 adapters)"},
		{Bus: 2, Address: 3, VID: "16c0", PID: "05df", Manufacturer: "www.dcttech.com", Product: "USBRelay2",
			Known: "dcttech USB HID relay (usb-dcttech-relay)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("USBDevices:\n got %+v\nwant %+v", got, want)
	}
}

func TestPortsAndUSBDevicesMissingRoots(t *testing.T) {
	root := t.TempDir()
	for _, h := range []reader.Host{
		{Sys: filepath.Join(root, "nosys"), Dev: filepath.Join(root, "nodev")},
		{Sys: root, Dev: root}, // exists, but holds no class/tty, bus/usb or serial/by-id
	} {
		ports, err := h.SerialPorts()
		if err != nil || len(ports) != 0 {
			t.Errorf("%+v: SerialPorts = %v, %v; want none, nil", h, ports, err)
		}
		devs, err := h.USBDevices()
		if err != nil || len(devs) != 0 {
			t.Errorf("%+v: USBDevices = %v, %v; want none, nil", h, devs, err)
		}
	}
}

func TestSerialPortsSortsNumbers(t *testing.T) {
	tr := tree{t, t.TempDir()}
	for _, n := range []string{"ttyUSB10", "ttyUSB2", "ttyACM1", "ttyUSB0"} {
		dir := "sys/devices/virtual/fake/" + n
		tr.dir(dir + "/dev")
		tr.link("sys/devices/virtual/fake/"+n+"/device", "dev")
		tr.link("sys/class/tty/"+n, "../../devices/virtual/fake/"+n)
	}
	h := reader.Host{Sys: filepath.Join(tr.root, "sys"), Dev: "/dev"}
	ports, err := h.SerialPorts()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ports {
		got = append(got, p.Path)
	}
	want := []string{"/dev/ttyACM1", "/dev/ttyUSB0", "/dev/ttyUSB2", "/dev/ttyUSB10"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestKnown(t *testing.T) {
	for _, c := range []struct{ vid, pid, want string }{
		{"16c0", "05df", "dcttech USB HID relay (usb-dcttech-relay)"},
		{"16C0", "05DF", "dcttech USB HID relay (usb-dcttech-relay)"},
		{"16c0", "27db", "USB keyboard-wedge reader (usb-wedge)"},
		{"ffff", "0035", "USB keyboard-wedge reader (usb-wedge)"},
		{"1a86", "7523", "CH340 serial adapter (LCUS relay, RDM6300 adapters)"},
		{"1a86", "55d4", "WCH serial chip, Arduino-style serial bridge (serial-line)"},
		{"0403", "6001", "FTDI serial adapter"},
		{"10c4", "ea60", "CP210x serial adapter"},
		{"067b", "2303", "PL2303 serial adapter"},
		{"2341", "0043", "Arduino board, serial bridge (serial-line)"},
		{"16c0", "0483", ""}, // same vendor, not a supported product
		{"1d6b", "0002", ""},
		{"", "", ""},
	} {
		if got := reader.Known(c.vid, c.pid); got != c.want {
			t.Errorf("Known(%q, %q) = %q, want %q", c.vid, c.pid, got, c.want)
		}
	}
}

func TestResolvePort(t *testing.T) {
	tr := tree{t, t.TempDir()}
	tr.file("dev/ttyUSB0", "")
	tr.link("dev/serial/by-id/usb-1a86_USB_Serial-if00-port0", "../../ttyUSB0")
	tr.link("dev/serial/by-id/gone", "../../ttyUSB9")
	dev := filepath.Join(tr.root, "dev")
	for _, c := range []struct{ in, want string }{
		{dev + "/serial/by-id/usb-1a86_USB_Serial-if00-port0", dev + "/ttyUSB0"},
		{dev + "/ttyUSB0", dev + "/ttyUSB0"},
		{dev + "/serial/by-id/gone", dev + "/serial/by-id/gone"},
		{dev + "/nothing", dev + "/nothing"},
	} {
		if got := reader.ResolvePort(c.in); got != c.want {
			t.Errorf("ResolvePort(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSystemPortsAndUSBDevices runs on the real machine, whatever it has
// plugged in: it only checks that reading the real sysfs does not fail.
func TestSystemPortsAndUSBDevices(t *testing.T) {
	ports, err := reader.System.SerialPorts()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ports {
		t.Logf("port %+v", p)
	}
	devs, err := reader.System.USBDevices()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		t.Logf("usb %+v", d)
	}
	t.Logf("%d serial ports, %d USB devices", len(ports), len(devs))
}
