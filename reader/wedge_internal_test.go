package reader

// Unexported helpers the external tests (package reader_test) call, as an
// export_test.go would give them.
var DcttechChannels = dcttechChannels

// WedgeLine reads line as a usb-wedge set to format types it.
func WedgeLine(format, line string) (string, error) {
	parse, err := wedgeParser(format)
	if err != nil {
		return "", err
	}
	return parse(line)
}
