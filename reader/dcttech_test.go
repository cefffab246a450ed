package reader_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"frontdesk/reader"
	"frontdesk/reader/readertest"
)

// openDcttech opens a Dcttech on board and checks, when the test ends, that
// the board saw no request the real one would refuse.
func openDcttech(t *testing.T, board *readertest.FakeRelayBoard, channels int) *reader.Dcttech {
	t.Helper()
	d, err := reader.NewDcttech(board, channels, board.Close)
	if err != nil {
		t.Fatalf("NewDcttech: %v", err)
	}
	t.Cleanup(func() {
		if len(board.Unexpected) > 0 {
			t.Errorf("requests the board would refuse: %q", board.Unexpected)
		}
	})
	return d
}

func TestDcttechSetBytes(t *testing.T) {
	tests := []struct {
		channel int
		on      bool
		before  byte
		want    [8]byte
		after   byte
	}{
		{1, true, 0x00, [8]byte{0xFF, 0x01, 0, 0, 0, 0, 0, 0}, 0x01},
		{1, false, 0x01, [8]byte{0xFD, 0x01, 0, 0, 0, 0, 0, 0}, 0x00},
		{8, true, 0x01, [8]byte{0xFF, 0x08, 0, 0, 0, 0, 0, 0}, 0x81},
		{8, false, 0xFF, [8]byte{0xFD, 0x08, 0, 0, 0, 0, 0, 0}, 0x7F},
		{3, true, 0x04, [8]byte{0xFF, 0x03, 0, 0, 0, 0, 0, 0}, 0x04}, // already on
	}
	for _, tt := range tests {
		board := &readertest.FakeRelayBoard{Serial: "HURTM", State: tt.before}
		d := openDcttech(t, board, 8)
		if err := d.Set(tt.channel, tt.on); err != nil {
			t.Errorf("Set(%d, %v): %v", tt.channel, tt.on, err)
		}
		if want := [][8]byte{tt.want}; !slices.Equal(board.Commands, want) {
			t.Errorf("Set(%d, %v) sent % X, want % X", tt.channel, tt.on, board.Commands, want)
		}
		if board.State != tt.after {
			t.Errorf("Set(%d, %v): state %08b, want %08b", tt.channel, tt.on, board.State, tt.after)
		}
	}
}

func TestDcttechChannelRange(t *testing.T) {
	tests := []struct {
		channels, channel int
	}{
		{8, 0}, {8, 9}, {8, -1}, {2, 3}, {1, 2},
	}
	for _, tt := range tests {
		board := &readertest.FakeRelayBoard{Serial: "HURTM"}
		d := openDcttech(t, board, tt.channels)
		for _, on := range []bool{true, false} {
			if err := d.Set(tt.channel, on); err == nil {
				t.Errorf("%d-relay board: Set(%d, %v): got nil, want an error", tt.channels, tt.channel, on)
			}
		}
		if len(board.Commands) > 0 {
			t.Errorf("%d-relay board: Set(%d): sent % X, want nothing", tt.channels, tt.channel, board.Commands)
		}
	}
	for _, channels := range []int{0, 9, -1} {
		board := &readertest.FakeRelayBoard{Serial: "HURTM"}
		if _, err := reader.NewDcttech(board, channels, nil); err == nil {
			t.Errorf("NewDcttech with %d channels: got nil, want an error", channels)
		}
	}
}

func TestDcttechStuck(t *testing.T) {
	for _, on := range []bool{true, false} {
		board := &readertest.FakeRelayBoard{Serial: "HURTM", State: 0x02, Stuck: true}
		if on {
			board.State = 0
		}
		d := openDcttech(t, board, 8)
		err := d.Set(2, on)
		want := "relay 2 did not switch off"
		if on {
			want = "relay 2 did not switch on"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("stuck relay: got %v, want %q", err, want)
		}
		if len(board.Commands) != 1 {
			t.Errorf("stuck relay: sent % X, want one command", board.Commands)
		}
	}
}

func TestDcttechFailures(t *testing.T) {
	failed := errors.New("libusb: i/o error")
	board := &readertest.FakeRelayBoard{Serial: "HURTM"}
	d := openDcttech(t, board, 8)

	board.FailSet = failed
	if err := d.Set(1, true); !errors.Is(err, failed) {
		t.Errorf("Set with a failing command: got %v, want an error wrapping %v", err, failed)
	}
	board.FailSet = nil
	board.FailGet = failed
	if err := d.Set(1, true); !errors.Is(err, failed) {
		t.Errorf("Set with a failing state read: got %v, want an error wrapping %v", err, failed)
	}

	board = &readertest.FakeRelayBoard{Serial: "HURTM", FailGet: failed}
	if _, err := reader.NewDcttech(board, 8, board.Close); !errors.Is(err, failed) {
		t.Errorf("NewDcttech on a board that does not answer: got %v, want an error wrapping %v", err, failed)
	}
	if board.Closes != 0 {
		t.Errorf("failed NewDcttech called the closer %d times, want 0: the caller owns the device", board.Closes)
	}
}

// controlFunc is a USBControl answering with a function, for what
// FakeRelayBoard does not do: short and negative counts.
type controlFunc func(rType, request uint8, val, idx uint16, data []byte) (int, error)

func (f controlFunc) Control(rType, request uint8, val, idx uint16, data []byte) (int, error) {
	return f(rType, request, val, idx, data)
}

func TestDcttechShortTransfers(t *testing.T) {
	board := &readertest.FakeRelayBoard{Serial: "HURTM"}
	getN, setN := 8, 8
	var getErr error
	dev := controlFunc(func(rType, request uint8, val, idx uint16, data []byte) (int, error) {
		n, err := board.Control(rType, request, val, idx, data)
		if err != nil {
			return n, err
		}
		if rType == 0xA1 {
			return getN, getErr
		}
		return setN, nil
	})
	d, err := reader.NewDcttech(dev, 8, nil)
	if err != nil {
		t.Fatal(err)
	}

	getN = 5
	if err := d.Set(1, true); err == nil {
		t.Error("Set with a 5-byte state: got nil, want an error")
	}
	getN, getErr = -1, errors.New("libusb: pipe error")
	if err := d.Set(1, true); !errors.Is(err, getErr) {
		t.Errorf("Set with n = -1 and an error: got %v, want that error", err)
	}
	getN, getErr, setN = 8, nil, 4
	if err := d.Set(1, true); err == nil {
		t.Error("Set with a 4-byte command sent: got nil, want an error")
	}
	getN = 5
	if _, err := reader.NewDcttech(dev, 8, nil); err == nil {
		t.Error("NewDcttech with a 5-byte state: got nil, want an error")
	}
	if len(board.Unexpected) > 0 {
		t.Errorf("requests the board would refuse: %q", board.Unexpected)
	}
}

func TestDcttechSerial(t *testing.T) {
	tests := []struct{ serial, want string }{
		{"HURTM", "HURTM"},
		{"QW12", "QW12"},  // padded with a NUL
		{"QW12 ", "QW12"}, // padded with a space
		{"", ""},
	}
	for _, tt := range tests {
		board := &readertest.FakeRelayBoard{Serial: tt.serial, State: 0x05}
		d := openDcttech(t, board, 8)
		if got := d.Serial(); got != tt.want {
			t.Errorf("serial %q: got %q, want %q", tt.serial, got, tt.want)
		}
		if len(board.Commands) > 0 {
			t.Errorf("opening sent % X, want nothing: opening must not move relays", board.Commands)
		}
	}
}

func TestDcttechClose(t *testing.T) {
	board := &readertest.FakeRelayBoard{Serial: "HURTM"}
	d := openDcttech(t, board, 8)
	for range 2 {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if board.Closes != 1 {
		t.Errorf("closer called %d times, want 1", board.Closes)
	}
	if err := d.Set(1, true); err == nil {
		t.Error("Set after Close: got nil, want an error")
	}
	if len(board.Commands) > 0 {
		t.Errorf("Set after Close sent % X, want nothing", board.Commands)
	}
}

func TestDcttechChannels(t *testing.T) {
	tests := []struct {
		product string
		want    int
	}{
		{"USBRelay1", 1},
		{"USBRelay2", 2},
		{"USBRelay4", 4},
		{"USBRelay8", 8},
		{" USBRelay2 ", 2},
		{"USBRelay0", 8},
		{"USBRelay9", 8},
		{"USBRelay16", 8},
		{"usbrelay2", 8},
		{"USBRelay", 8},
		{"", 8},
		{"HIDRelay", 8},
	}
	for _, tt := range tests {
		if got := reader.DcttechChannels(tt.product); got != tt.want {
			t.Errorf("%q: got %d, want %d", tt.product, got, tt.want)
		}
	}
}

// TestDcttechFakeRefuses checks the fake refuses what the real board
// would, so that the tests above mean something.
func TestDcttechFakeRefuses(t *testing.T) {
	tests := []struct {
		name       string
		rType, req uint8
		val, idx   uint16
		data       []byte
	}{
		{"set with a report id byte", 0x21, 0x09, 0x0300, 0, make([]byte, 9)},
		{"set output report", 0x21, 0x09, 0x0200, 0, make([]byte, 8)},
		{"set on interface 1", 0x21, 0x09, 0x0300, 1, make([]byte, 8)},
		{"get 7 bytes", 0xA1, 0x01, 0x0300, 0, make([]byte, 7)},
		{"vendor request", 0x40, 0x09, 0x0300, 0, make([]byte, 8)},
		{"unknown command", 0x21, 0x09, 0x0300, 0, []byte{0xF0, 1, 0, 0, 0, 0, 0, 0}},
		{"relay 9", 0x21, 0x09, 0x0300, 0, []byte{0xFF, 9, 0, 0, 0, 0, 0, 0}},
		{"relay 0", 0x21, 0x09, 0x0300, 0, []byte{0xFD, 0, 0, 0, 0, 0, 0, 0}},
		{"trailing bytes", 0x21, 0x09, 0x0300, 0, []byte{0xFF, 1, 0, 0, 0, 0, 0, 1}},
	}
	for _, tt := range tests {
		board := &readertest.FakeRelayBoard{Serial: "HURTM"}
		if _, err := board.Control(tt.rType, tt.req, tt.val, tt.idx, tt.data); err == nil {
			t.Errorf("%s: got nil, want an error", tt.name)
		}
		if len(board.Unexpected) != 1 || len(board.Commands) != 0 || board.State != 0 {
			t.Errorf("%s: unexpected %q, commands % X, state %08b: want one unexpected and nothing done",
				tt.name, board.Unexpected, board.Commands, board.State)
		}
	}
	board := &readertest.FakeRelayBoard{State: 0x0F}
	for _, cmd := range [][]byte{{0xFE, 0, 0, 0, 0, 0, 0, 0}, {0xFC, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := board.Control(0x21, 0x09, 0x0300, 0, cmd); err != nil {
			t.Errorf("% X: %v", cmd, err)
		}
	}
	if board.State != 0 || len(board.Commands) != 2 {
		t.Errorf("all on, all off: state %08b, commands % X", board.State, board.Commands)
	}
}

func TestDcttechCheck(t *testing.T) {
	board := &readertest.FakeRelayBoard{Serial: "QWERT"}
	d, err := reader.NewDcttech(board, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Check(); err != nil {
		t.Errorf("Check on a present board: %v", err)
	}
	board.FailGet = errors.New("no device")
	if err := d.Check(); err == nil {
		t.Error("Check on a board that does not answer: nil error")
	}
	board.FailGet = nil
	d.Close()
	if err := d.Check(); err == nil {
		t.Error("Check on a closed board: nil error")
	}
	if len(board.Commands) != 0 || len(board.Unexpected) != 0 {
		t.Errorf("Check sent commands %v (unexpected %v), want none", board.Commands, board.Unexpected)
	}
}
