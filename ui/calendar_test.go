package ui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestMonthViewSpeaksTheLanguage: the calendar's month and weekdays are in
// the window's language, weeks start on Monday in the right order (Fyne's
// own calendar swaps Tuesday and Thursday in Russian), the first of the
// month falls under its weekday, and the arrows change month.
func TestMonthViewSpeaksTheLanguage(t *testing.T) {
	for _, tt := range []struct {
		code, title, next string
		days              []string
	}{
		{"en", "December 2026", "January 2027", []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}},
		{"fr", "Décembre 2026", "Janvier 2027", nil},
		{"ru", "Декабрь 2026", "Январь 2027", []string{"Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			inLanguage(t, tt.code)
			test.NewTempApp(t)
			var picked time.Time
			day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
			m := newMonthView(day, day, day, func(d time.Time) { picked = d })
			test.NewWindow(m.box)
			if m.title.Text != tt.title {
				t.Errorf("title %q, want %q", m.title.Text, tt.title)
			}
			var heads []string
			for _, o := range m.days.Objects[:7] {
				heads = append(heads, o.(*widget.Label).Text)
			}
			if tt.days != nil && !slices.Equal(heads, tt.days) {
				t.Errorf("weekdays %q, want %q", heads, tt.days)
			}
			// 1 December 2026 is a Tuesday: one blank under Monday.
			if b, ok := m.days.Objects[7+1].(*widget.Button); !ok || b.Text != "1" {
				t.Errorf("the 1st is not under Tuesday: %T %v", m.days.Objects[8], m.days.Objects[8])
			}
			if m.buttons[1].Importance != widget.HighImportance {
				t.Error("the day the field holds is not marked")
			}
			test.Tap(m.buttons[30])
			if want := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC); !picked.Equal(want) {
				t.Errorf("picked %v, want %v", picked, want)
			}
			test.Tap(m.next)
			if m.title.Text != tt.next || len(m.buttons) != 31 {
				t.Errorf("next month %q with %d days, want %q with 31", m.title.Text, len(m.buttons), tt.next)
			}
			test.Tap(m.prev)
			test.Tap(m.prev)
			if got := fmt.Sprint(len(m.buttons)); got != "30" {
				t.Errorf("November has %s days", got)
			}
		})
	}
}

// TestSelectAsksInTheLanguage: an empty choice asks in the window's
// language, not in Fyne's English.
func TestSelectAsksInTheLanguage(t *testing.T) {
	for code, want := range map[string]string{"en": "(Select one)", "fr": "(Choisir)", "ru": "(Выберите)"} {
		t.Run(code, func(t *testing.T) {
			inLanguage(t, code)
			if got := newSelect([]string{"a"}, nil).PlaceHolder; got != want {
				t.Errorf("placeholder %q, want %q", got, want)
			}
			if got := newPicker("").PlaceHolder; got != want {
				t.Errorf("picker's placeholder %q, want %q", got, want)
			}
		})
	}
}
