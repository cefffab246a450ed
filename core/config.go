package core

import (
	"fmt"
	"maps"
)

// config is the part of the site every decision reads and that changes
// only through the engine: devices, doors, zones, schedules, access
// levels, departments and holidays. The engine keeps it in memory and
// reloads it after each change, so a decision decodes none of it from the
// store; people, cards, grants and presence, which are large or change
// with every tap, stay in the store.
type config struct {
	site        Site
	devices     map[string]Device
	doors       map[string]Door
	zones       map[string]Zone
	schedules   map[string]Schedule
	levels      map[string]AccessLevel
	departments map[string]Department
	shifts      map[string]Shift
	holidays    map[Date]bool
	// roles and accounts resolve actors' permissions; small, and changed
	// only through the engine like the rest.
	roles    map[string]Role
	accounts map[string]Account
}

// loadConfig reads the config from tx.
func loadConfig(tx Tx) (*config, error) {
	c := &config{}
	var err error
	if c.site, err = tx.Site(); err != nil {
		return nil, err
	}
	if c.devices, err = byID(tx, KindDevice, func(v Device) string { return v.ID }); err != nil {
		return nil, err
	}
	// Another site's devices are kept only for their ids: nothing here
	// runs them, reads taps from them or counts them as readers.
	maps.DeleteFunc(c.devices, func(_ string, d Device) bool { return d.Site != "" })
	if c.doors, err = byID(tx, KindDoor, func(v Door) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.zones, err = byID(tx, KindZone, func(v Zone) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.schedules, err = byID(tx, KindSchedule, func(v Schedule) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.levels, err = byID(tx, KindAccessLevel, func(v AccessLevel) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.departments, err = byID(tx, KindDepartment, func(v Department) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.shifts, err = byID(tx, KindShift, func(v Shift) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.roles, err = byID(tx, KindRole, func(v Role) string { return v.ID }); err != nil {
		return nil, err
	}
	if c.accounts, err = byID(tx, KindAccount, func(v Account) string { return v.Username }); err != nil {
		return nil, err
	}
	hs, err := list[Holiday](tx, KindHoliday)
	if err != nil {
		return nil, err
	}
	c.holidays = make(map[Date]bool, len(hs))
	for _, h := range hs {
		c.holidays[h.Date] = true
	}
	return c, nil
}

// byID reads every object of kind into a map by id.
func byID[T any](tx Tx, kind Kind, id func(T) string) (map[string]T, error) {
	vs, err := list[T](tx, kind)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	m := make(map[string]T, len(vs))
	for _, v := range vs {
		m[id(v)] = v
	}
	return m, nil
}
