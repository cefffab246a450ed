package core_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/core/coretest"
	"frontdesk/storage"
)

// The scale of DESIGN §7.
const (
	scalePeople = 100_000
	scaleDoors  = 1_000
	scaleEvents = 1_000_000
)

// openScaleSite builds a store at the §7 scale: 100,000 people with 2
// cards each (one EM, one decimal), 1,000 doors with an in and an out
// reader, 50 departments whose levels cover 40 doors each in office hours,
// 10,000 grants, and 1,000,000 logged events. It takes a while, so only
// the decision benchmark uses it (b.Loop calls it once per run).
func openScaleSite(b *testing.B) *storage.DB {
	start := time.Now()
	db, err := buildScaleSite(filepath.Join(b.TempDir(), "scale.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	b.Logf("built the §7-scale store in %s", time.Since(start).Round(time.Second))
	return db
}

func scaleCard(i int) string    { return fmt.Sprintf("em:07%08X", i) }
func scaleDecCard(i int) string { return fmt.Sprintf("dec:%010d", 0x80000000+i) }

func buildScaleSite(path string) (*storage.DB, error) {
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	week := core.Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []core.Window{{Start: 7 * 60, End: 20 * 60}}
	}
	err = db.Update(func(tx core.Tx) error {
		if err := tx.PutSite(core.Site{Name: "Scale", Timezone: "Europe/Paris"}.Defaults()); err != nil {
			return err
		}
		for _, z := range []core.Zone{{ID: "outside", Name: "Outside"}, {ID: "office", Name: "Office", Work: true}} {
			if err := tx.Put(core.KindZone, z.ID, z); err != nil {
				return err
			}
		}
		if err := tx.Put(core.KindSchedule, "office-hours", core.Schedule{ID: "office-hours", Name: "Office hours", Holidays: core.HolidaysClosed, Week: week}); err != nil {
			return err
		}
		for i := range scaleDoors {
			id := fmt.Sprintf("d%d", i)
			if err := tx.Put(core.KindDoor, id, core.Door{ID: id, Name: "Door " + id, From: "outside", To: "office", AntiPassback: i%10 == 0}); err != nil {
				return err
			}
			for _, dir := range []core.Direction{core.In, core.Out} {
				rid := fmt.Sprintf("%s-%s", id, dir)
				if err := tx.Put(core.KindDevice, rid, core.Device{ID: rid, Kind: "sim", Door: id, Direction: dir}); err != nil {
					return err
				}
			}
		}
		for i := range 50 {
			id := fmt.Sprintf("level%d", i)
			var doors []string
			for j := range 40 {
				doors = append(doors, fmt.Sprintf("d%d", (i*20+j)%scaleDoors))
			}
			if err := tx.Put(core.KindAccessLevel, id, core.AccessLevel{ID: id, Name: id, Rules: []core.Rule{{Doors: doors, Schedule: "office-hours"}}}); err != nil {
				return err
			}
			dep := fmt.Sprintf("dep%d", i)
			if err := tx.Put(core.KindDepartment, dep, core.Department{ID: dep, Name: dep, AccessLevel: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	const chunk = 10_000
	for lo := 0; lo < scalePeople; lo += chunk {
		err := db.Update(func(tx core.Tx) error {
			for i := lo; i < lo+chunk; i++ {
				id := fmt.Sprintf("p%d", i)
				if err := tx.Put(core.KindPerson, id, core.Person{ID: id, Name: "Person " + id, Department: fmt.Sprintf("dep%d", i%50)}); err != nil {
					return err
				}
				for _, code := range []string{scaleCard(i), scaleDecCard(i)} {
					c, _ := core.ParseCode(code)
					if err := tx.Put(core.KindCard, c.String(), core.Card{Code: c.String(), Person: id, State: core.CardActive}); err != nil {
						return err
					}
				}
				if i%10 == 0 {
					gid := fmt.Sprintf("g%d", i)
					g := core.Grant{ID: gid, Person: id, Door: fmt.Sprintf("d%d", (i*7)%scaleDoors), Kind: core.GrantOnce, Uses: 5}
					if err := tx.Put(core.KindGrant, gid, g); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 5, 6, 0, 0, 0, time.UTC)
	for lo := 0; lo < scaleEvents; lo += chunk * 5 {
		err := db.Update(func(tx core.Tx) error {
			for i := lo; i < lo+chunk*5; i++ {
				p := rng.IntN(scalePeople)
				d := rng.IntN(scaleDoors)
				e := core.Event{At: base.Add(time.Duration(i) * 20 * time.Second), Reader: fmt.Sprintf("d%d-in", d),
					Door: fmt.Sprintf("d%d", d), Direction: core.In, Card: scaleCard(p), Person: fmt.Sprintf("p%d", p),
					Result: core.Granted, Explanation: "level, schedule Office hours, Mon 07:00-20:00"}
				if err := tx.AppendEvent(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return db, nil
}

// BenchmarkDecide measures one access decision at the §7 scale, without
// the commit: budget p99 ≤ 100 µs.
func BenchmarkDecide(b *testing.B) {
	db := openScaleSite(b)
	e, err := core.NewEngine(db, time.Now, nil)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	taps := make([]core.Tap, 4096)
	for i := range taps {
		p := rng.IntN(scalePeople)
		code := scaleCard(p)
		if i%4 == 0 {
			code = scaleDecCard(p) // a wedge's decimal read
		}
		if i%16 == 0 {
			code = fmt.Sprintf("em:09%08X", i) // unknown
		}
		taps[i] = core.Tap{Reader: fmt.Sprintf("d%d-%s", rng.IntN(scaleDoors), []string{"in", "out"}[i%2]),
			Code: code, At: monday.Add(time.Duration(rng.IntN(7*24*60)) * time.Minute)}
	}
	lat := make([]time.Duration, 0, b.N)
	results := map[core.Result]int{}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		ev, err := e.Decide(taps[i%len(taps)])
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		results[ev.Result]++
	}
	b.StopTimer()
	reportPercentiles(b, lat)
	if results[core.Granted] == 0 || results[core.DeniedUnknownCard] == 0 || results[core.DeniedOutsideSchedule]+results[core.DeniedNoAccess] == 0 {
		b.Fatalf("the taps do not exercise the decision: %v", results)
	}
}

// BenchmarkAmbiguousCards measures the search for cards of different
// people that readers cannot tell apart over the §7 store's 200,000 cards:
// what `frontdesk verify` adds, and what adding a reader of a new width
// costs an import.
func BenchmarkAmbiguousCards(b *testing.B) {
	db := openScaleSite(b)
	e, err := core.NewEngine(db, time.Now, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		pairs, err := e.AmbiguousCards(core.CommandLine("bench"))
		if err != nil || len(pairs) != 0 {
			b.Fatalf("got %d pairs, %v, want none", len(pairs), err)
		}
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(p(0.50), "p50-µs")
	b.ReportMetric(p(0.99), "p99-µs")
}

// BenchmarkTapGroupCommit measures logged taps per second from 8, 16 and
// 64 concurrent readers tapping as fast as they can, each tap decided and
// durably committed (real fsync) through group commit: budget ≥ 5,000
// taps/s. A commit carries at most one tap per reader, so with few readers
// the figure is bound by the fsync's latency.
func BenchmarkTapGroupCommit(b *testing.B) {
	for _, writers := range []int{8, 16, 64} {
		b.Run(fmt.Sprintf("readers=%d", writers), func(b *testing.B) {
			e := coretest.SiteEngine(b, string(groupCommitSite(writers)), time.Now)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for w := range writers {
				wg.Go(func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						_, err := e.Tap(core.Tap{Reader: fmt.Sprintf("r%d", w), Code: scaleCard(int(i % 1000))})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "taps/s")
		})
	}
}

// groupCommitSite has one reader per writer and 1,000 people.
func groupCommitSite(readers int) []byte {
	type obj = map[string]any
	var devices, people []obj
	for i := range readers {
		devices = append(devices, obj{"id": fmt.Sprintf("r%d", i), "kind": "sim", "door": "main", "direction": "in"})
	}
	for i := range 1000 {
		people = append(people, obj{"id": fmt.Sprintf("p%d", i), "name": fmt.Sprintf("Person %d", i), "department": "staff", "cards": []string{scaleCard(i)}})
	}
	b, _ := json.Marshal(obj{
		"site":          obj{"name": "Bench", "timezone": "Europe/Paris"},
		"zones":         []obj{{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}},
		"doors":         []obj{{"id": "main", "name": "Main", "from": "outside", "to": "office"}},
		"devices":       devices,
		"access_levels": []obj{{"id": "all", "name": "All", "rules": []obj{{"doors": []string{"main"}}}}},
		"departments":   []obj{{"id": "staff", "name": "Staff", "access_level": "all"}},
		"people":        people,
	})
	return b
}

// BenchmarkImport100k measures the import of a site file of 100,000
// people with two cards each into an empty store: budget ≤ 10 s. With
// readers of 24 and 32 bits (a Wiegand 26 converter, a wedge), every card
// is also checked against the others at those widths.
func BenchmarkImport100k(b *testing.B) {
	type obj = map[string]any
	people := make([]obj, scalePeople)
	for i := range people {
		people[i] = obj{"id": fmt.Sprintf("p%d", i), "name": fmt.Sprintf("Person %d", i), "department": fmt.Sprintf("dep%d", i%50),
			"phone": fmt.Sprintf("+33 6 %08d", i), "cards": []string{scaleCard(i), scaleDecCard(i)}}
	}
	var deps []obj
	for i := range 50 {
		deps = append(deps, obj{"id": fmt.Sprintf("dep%d", i), "name": fmt.Sprintf("Department %d", i), "access_level": "all"})
	}
	for _, bc := range []struct {
		name    string
		devices []obj
	}{
		{"readers=none", nil},
		{"readers=24+32bits", []obj{
			{"id": "main-in", "kind": "serial-wiegand", "port": "/dev/ttyUSB0", "door": "main", "direction": "in"},
			{"id": "desk", "kind": "usb-wedge", "vid": "ffff", "pid": "0035", "desk": true, "format": "dec32"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			file, _ := json.Marshal(obj{
				"site":          obj{"name": "Import", "timezone": "Europe/Paris", "desk_zone": "office"},
				"zones":         []obj{{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}},
				"doors":         []obj{{"id": "main", "name": "Main", "from": "outside", "to": "office"}},
				"devices":       bc.devices,
				"access_levels": []obj{{"id": "all", "name": "All", "rules": []obj{{"doors": []string{"main"}}}}},
				"departments":   deps,
				"people":        people,
			})
			for b.Loop() {
				b.StopTimer()
				db, err := storage.Open(filepath.Join(b.TempDir(), "import.db"), storage.Options{})
				if err != nil {
					b.Fatal(err)
				}
				e, err := core.NewEngine(db, time.Now, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				f, err := core.ReadSiteFile(bytes.NewReader(file))
				if err != nil {
					b.Fatal(err)
				}
				if err := e.Import(core.CommandLine("bench"), f); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(file))/1e6, "MB-file")
		})
	}
}

// BenchmarkTimesheet1000Bank is BenchmarkTimesheet1000 with the time
// bank kept from a year before the month (balance_from 2025-11-01, everyone
// started before): each person's opening is a year of days. Budget: 1 s,
// as without the bank.
func BenchmarkTimesheet1000Bank(b *testing.B) {
	const people = 1000
	_, db, events := coretest.MonthSite(b, people)
	yearBefore := core.Date{Year: 2025, Month: time.November, Day: 1}
	err := db.Update(func(tx core.Tx) error {
		s, err := tx.Site()
		if err != nil {
			return err
		}
		s.BalanceFrom = yearBefore
		if err := tx.PutSite(s); err != nil {
			return err
		}
		for i := range people {
			id := fmt.Sprintf("p%04d", i)
			var p core.Person
			if err := tx.Get(core.KindPerson, id, &p); err != nil {
				return err
			}
			p.Started = core.Date{Year: 2025, Month: time.June, Day: 1}
			if err := tx.Put(core.KindPerson, id, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	e, err := core.NewEngine(db, func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }, nil)
	if err != nil {
		b.Fatal(err)
	}
	q := core.TimesheetQuery{From: core.Date{Year: 2026, Month: time.November, Day: 1}, To: core.Date{Year: 2026, Month: time.November, Day: 30}}
	b.ResetTimer()
	for b.Loop() {
		ts, err := e.Timesheet(core.CommandLine("bench"), q)
		if err != nil {
			b.Fatal(err)
		}
		if p := ts.People[0]; len(ts.People) != people || p.Bank.From != yearBefore || p.Bank.Opening >= 0 {
			b.Fatalf("%d people, first bank %+v", len(ts.People), p.Bank)
		}
	}
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/timesheet")
}

// monthSite is coretest.MonthSite: the month of November 2026 for
// people, about 250 events each.
func monthSite(b *testing.B, people int) (*core.Engine, int) {
	e, _, events := coretest.MonthSite(b, people)
	return e, events
}

// BenchmarkTimesheet1000 is DESIGN §7's timesheet budget: the month of
// monthSite computed for everyone. Budget: 1 s.
func BenchmarkTimesheet1000(b *testing.B) {
	const people = 1000
	e, events := monthSite(b, people)
	q := core.TimesheetQuery{From: core.Date{Year: 2026, Month: time.November, Day: 1}, To: core.Date{Year: 2026, Month: time.November, Day: 30}}
	b.ResetTimer()
	for b.Loop() {
		ts, err := e.Timesheet(core.CommandLine("bench"), q)
		if err != nil {
			b.Fatal(err)
		}
		if len(ts.People) != people || ts.People[0].Totals.Scheduled != 21*450 {
			b.Fatalf("%d people, first scheduled %d", len(ts.People), ts.People[0].Totals.Scheduled)
		}
	}
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/timesheet")
}

// BenchmarkTimesheet1000Payroll is BenchmarkTimesheet1000 with every
// payroll rule on: the weekly overtime reads the whole weeks the month
// touches. Budget: 1 s.
func BenchmarkTimesheet1000Payroll(b *testing.B) {
	const people = 1000
	e, events := monthSite(b, people)
	a := core.CommandLine("bench")
	shifts, err := e.Shifts(a)
	if err != nil || len(shifts) != 1 {
		b.Fatal(shifts, err)
	}
	sh := shifts[0]
	hour := core.Duration(time.Hour)
	sh.AutoBreaks = []core.AutoBreak{{After: 6 * hour, Deduct: hour / 2}, {After: 9 * hour, Deduct: 3 * hour / 4}}
	rules := &core.SiteSettings{EarlyLeaveGrace: new(hour / 4), HalfDayBelow: new(4 * hour), AbsentBelow: new(2 * hour),
		AutoCheckoutAfter: new(hour), MaxPresence: new(12 * hour), Night: &core.NightHours{From: 21 * 60, To: 6 * 60},
		Overtime: &core.OvertimePolicy{DailyAfter: 8 * hour, WeeklyAfter: 35 * hour}}
	if err := e.PutObject(a, &core.SiteFile{Site: rules}); err != nil {
		b.Fatal(err)
	}
	if err := e.PutObject(a, &core.SiteFile{Shifts: []core.Shift{sh}}); err != nil {
		b.Fatal(err)
	}
	q := core.TimesheetQuery{From: core.Date{Year: 2026, Month: time.November, Day: 1}, To: core.Date{Year: 2026, Month: time.November, Day: 30}}
	b.ResetTimer()
	for b.Loop() {
		ts, err := e.Timesheet(a, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(ts.People) != people || ts.People[0].Totals.Scheduled != 21*450 || ts.People[0].Totals.Paid == 0 || !ts.Uses.Night {
			b.Fatalf("%d people, first %+v", len(ts.People), ts.People[0].Totals)
		}
	}
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/timesheet")
}
