// Package coretest builds sites for the tests and benchmarks of several
// packages: the engine on a real bbolt file, filled as DESIGN §7 measures.
package coretest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// MonthSite is the store of DESIGN §7's timesheet budget: 1,000 people
// with a day shift (a lunch break) for November 2026, about 250,000
// events (in and out four times a day through two doors, plus the lunch
// break). Names are in Latin, accented Latin and Cyrillic script, as the
// printed reports must handle; departments of 100. It returns the engine,
// its clock on 1 December, and how many events were logged.
func MonthSite(b testing.TB, people int) (*core.Engine, *storage.DB, int) {
	db, err := storage.Open(filepath.Join(b.TempDir(), "ts.db"), storage.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	loc, _ := time.LoadLocation("Europe/Paris")
	shift := core.Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		shift[d] = []core.Window{{Start: 9 * 60, End: 12*60 + 30}, {Start: 13*60 + 30, End: 17*60 + 30}}
	}
	err = db.Update(func(tx core.Tx) error {
		if err := tx.PutSite(core.Site{Name: "Month", Timezone: "Europe/Paris"}.Defaults()); err != nil {
			return err
		}
		for _, z := range []core.Zone{{ID: "outside", Name: "Outside"}, {ID: "office", Name: "Office", Work: true}, {ID: "lab", Name: "Lab", Work: true}} {
			if err := tx.Put(core.KindZone, z.ID, z); err != nil {
				return err
			}
		}
		if err := tx.Put(core.KindShift, "day", core.Shift{ID: "day", Name: "Day", Week: shift}); err != nil {
			return err
		}
		for d := range (people + 99) / 100 {
			id := fmt.Sprintf("d%02d", d)
			if err := tx.Put(core.KindDepartment, id, core.Department{ID: id, Name: monthDepartments[d%len(monthDepartments)] + " " + id, Shift: "day"}); err != nil {
				return err
			}
		}
		for i := range people {
			id := fmt.Sprintf("p%04d", i)
			p := core.Person{ID: id, Name: monthNames[i%len(monthNames)] + " " + id, Department: fmt.Sprintf("d%02d", i/100), Phone: fmt.Sprintf("+33 6 12 34 %02d %02d", i/100, i%100)}
			if err := tx.Put(core.KindPerson, id, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// A working day's moves: in, lab and back, out to lunch, in, out.
	moves := []struct {
		at   core.TimeOfDay
		zone string
	}{{8*60 + 50, "office"}, {10 * 60, "lab"}, {10*60 + 45, "office"}, {12*60 + 31, "outside"}, {13*60 + 25, "office"},
		{15 * 60, "lab"}, {15*60 + 20, "office"}, {16 * 60, "lab"}, {16*60 + 30, "office"}, {17*60 + 40, "outside"}, {17*60 + 41, "outside"}}
	rng := rand.New(rand.NewPCG(1, 1))
	events := 0
	for day := 1; day <= 30; day++ {
		d := core.Date{Year: 2026, Month: time.November, Day: day}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		err := db.Update(func(tx core.Tx) error {
			for i := range people {
				id := fmt.Sprintf("p%04d", i)
				for _, m := range moves {
					at := d.At(m.at, loc).Add(time.Duration(rng.IntN(600)) * time.Second)
					ev := core.Event{At: at.UTC(), Person: id, Door: "main", Reader: "main-in", Result: core.Granted, Zone: m.zone,
						Explanation: "level Staff"}
					if err := tx.AppendEvent(&ev); err != nil {
						return err
					}
					events++
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	e, err := core.NewEngine(db, func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }, nil)
	if err != nil {
		b.Fatal(err)
	}
	return e, db, events
}

// Names and departments of MonthSite, in three scripts.
var (
	monthNames       = []string{"Zoë Lefèvre", "Jürgen Groß", "Анна Кузнецова", "François Dupré", "Дмитрий Орлов", "Ana Núñez", "Søren Kjær", "Ольга Смирнова"}
	monthDepartments = []string{"Ingénierie", "Vertrieb", "Бухгалтерия", "Support"}
)
