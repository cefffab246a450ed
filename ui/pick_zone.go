package ui

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// zoneTables are where systems list their IANA time zones, one a line
// after a country code and coordinates; ZONEINFO, which Go's time package
// also reads, comes first.
var zoneTables = []string{"zone1970.tab", "zone.tab"}

var zoneDirs = []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ"}

// commonZones are offered when the system lists none (Windows, a system
// without tzdata): Go's embedded database knows them.
var commonZones = []string{
	"Africa/Cairo", "Africa/Casablanca", "Africa/Johannesburg", "Africa/Lagos", "America/Anchorage",
	"America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Mexico_City", "America/New_York", "America/Sao_Paulo", "America/Toronto",
	"Asia/Bangkok", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jerusalem", "Asia/Kolkata", "Asia/Seoul",
	"Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Atlantic/Reykjavik", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Dublin",
	"Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London", "Europe/Madrid",
	"Europe/Moscow", "Europe/Paris", "Europe/Prague", "Europe/Rome", "Europe/Stockholm", "Europe/Vienna",
	"Europe/Warsaw", "Europe/Zurich", "Pacific/Auckland", "Pacific/Honolulu",
}

// timeZones returns the IANA time zones the system lists, sorted, with
// UTC; commonZones when it lists none. It reads the list once.
var timeZones = sync.OnceValue(func() []string {
	dirs := zoneDirs
	if z := os.Getenv("ZONEINFO"); z != "" {
		dirs = append([]string{z}, dirs...)
	}
	for _, dir := range dirs {
		for _, table := range zoneTables {
			b, err := os.ReadFile(filepath.Join(dir, table))
			if err != nil {
				continue
			}
			if zones := readZoneTable(b); len(zones) > 0 {
				return zones
			}
		}
	}
	return append(slices.Clone(commonZones), "UTC")
})

// readZoneTable reads the zones of a zone.tab or zone1970.tab, with UTC,
// sorted and each once.
func readZoneTable(b []byte) []string {
	zones := []string{"UTC"}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Split(line, "\t"); len(f) >= 3 && strings.Contains(f[2], "/") {
			zones = append(zones, f[2])
		}
	}
	slices.Sort(zones)
	return slices.Compact(zones)
}

// zoneFinder searches the time zones; their names are their ids.
func zoneFinder() finder {
	return listFinder(func() []choice {
		zones := timeZones()
		out := make([]choice, len(zones))
		for i, z := range zones {
			out[i] = choice{id: z}
		}
		return out
	})
}
