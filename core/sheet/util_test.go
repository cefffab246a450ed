package sheet

import (
	"fmt"
	"strconv"
)

func fmtSscan(s string, x *float64) (int, error) { return fmt.Sscan(s, x) }

func itoa(n int) string { return strconv.Itoa(n) }
