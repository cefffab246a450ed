package core

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Reason is a text for people kept as a code and its values, so that it
// is written in the reader's language when shown rather than in English
// when made: why a decision was taken (Event.Why), what a report covers
// (Report.Scope). Args hold the values the text names, already written
// as text (instants in the site's zone as "2006-01-02 15:04"); a list
// value (ListArgs) has its items separated by ListSep, and a word value
// (WordArgs) is an English word that the text's language translates.
type Reason struct {
	Code ReasonCode        `json:"code"`
	Args map[string]string `json:"args,omitempty"`
}

// ReasonCode names a reason's text. Codes are stable: they are stored in
// events and given by `frontdesk log --json`; a text may change, a code
// does not.
type ReasonCode string

// ListSep separates the items of a list value of a Reason.
const ListSep = "\n"

// WordArgs are the arguments whose value is an English word translated
// with the text: a weekday ("Mon"), a card state ("lost").
var WordArgs = []string{"weekday", "state"}

// ListArgs are the arguments whose value is a list, joined as "a, b and
// c" in the text's language.
var ListArgs = []string{"holders"}

// CountArg is the argument that chooses a plural text's form.
const CountArg = "count"

// reasonText is the English text of a code: a template naming its
// arguments as {{.name}}, the form of the translation files, with the
// singular form apart when the text has plural forms (chosen by
// CountArg).
type reasonText struct{ text, one string }

// Reason codes of access decisions, desk taps, check-ins by phone and
// automatic check-outs (docs/access-decisions.md).
const (
	ReasonUnknownCard        ReasonCode = "unknown_card"
	ReasonAmbiguousCard      ReasonCode = "ambiguous_card"
	ReasonCardNoHolder       ReasonCode = "card_no_holder"
	ReasonCardState          ReasonCode = "card_state"
	ReasonCardNotYetValid    ReasonCode = "card_not_yet_valid"
	ReasonCardExpired        ReasonCode = "card_expired"
	ReasonPersonInactive     ReasonCode = "person_inactive"
	ReasonDuplicate          ReasonCode = "duplicate"
	ReasonDoorLockdown       ReasonCode = "door_lockdown"
	ReasonAntipassback       ReasonCode = "antipassback"
	ReasonDoorUnlocked       ReasonCode = "door_unlocked"
	ReasonMaster             ReasonCode = "master"
	ReasonLevelAnyTime       ReasonCode = "level_any_time"
	ReasonLevelSchedule      ReasonCode = "level_schedule"
	ReasonGrantPermanent     ReasonCode = "grant_permanent"
	ReasonGrantPermanentBy   ReasonCode = "grant_permanent_by"
	ReasonGrantTemporary     ReasonCode = "grant_temporary"
	ReasonGrantTemporaryBy   ReasonCode = "grant_temporary_by"
	ReasonGrantOnce          ReasonCode = "grant_once"
	ReasonGrantOnceBy        ReasonCode = "grant_once_by"
	ReasonGrantOnceLeaving   ReasonCode = "grant_once_leaving"
	ReasonGrantOnceByLeaving ReasonCode = "grant_once_by_leaving"
	ReasonGrantUsedUp        ReasonCode = "grant_used_up"
	ReasonGrantNotStarted    ReasonCode = "grant_not_started"
	ReasonGrantExpired       ReasonCode = "grant_expired"
	ReasonOutsideSchedule    ReasonCode = "outside_schedule"
	ReasonOutsideHoliday     ReasonCode = "outside_schedule_holiday"
	ReasonNoAccess           ReasonCode = "no_access"
	ReasonEnrolUnknown       ReasonCode = "enrol_unknown"
	ReasonEnrolAmbiguous     ReasonCode = "enrol_ambiguous"
	ReasonEnrolHeld          ReasonCode = "enrol_held"
	ReasonAlreadyIn          ReasonCode = "already_in"
	ReasonDeskIn             ReasonCode = "desk_in"
	ReasonDeskOut            ReasonCode = "desk_out"
	ReasonPhoneUnknown       ReasonCode = "phone_unknown"
	ReasonPhoneShared        ReasonCode = "phone_shared"
	ReasonPhoneOff           ReasonCode = "phone_off"
	ReasonPhoneOffStaff      ReasonCode = "phone_off_staff"
	ReasonPhoneIn            ReasonCode = "phone_in"
	ReasonAutoCheckout       ReasonCode = "auto_checkout"
	ReasonDoorOpened         ReasonCode = "door_opened"
	ReasonDoorOpenedLockdown ReasonCode = "door_opened_lockdown"
)

// Reason codes of what a report covers (Report.Scope).
const (
	ReasonPeriodAt     ReasonCode = "period_at"
	ReasonPeriodNow    ReasonCode = "period_now"
	ReasonPeriodDates  ReasonCode = "period_dates"
	ReasonFilterPerson ReasonCode = "filter_person"
	ReasonFilterDept   ReasonCode = "filter_department"
	ReasonFilterDoor   ReasonCode = "filter_door"
	ReasonFilterSite   ReasonCode = "filter_site"
	ReasonFilterSites  ReasonCode = "filter_all_sites"
	// ReasonFilterPresence is a muster list of another site's people.
	ReasonFilterPresence ReasonCode = "filter_site_presence"
)

var reasonTexts = map[ReasonCode]reasonText{
	ReasonUnknownCard:        {text: "no card has code {{.card}}"},
	ReasonAmbiguousCard:      {text: "the reader read {{.bits}} bits ({{.card}}), which match the cards of {{.holders}}: the tap is given to no one"},
	ReasonCardNoHolder:       {text: "card {{.card}} has no holder"},
	ReasonCardState:          {text: "card {{.card}} of {{.person}} is {{.state}}"},
	ReasonCardNotYetValid:    {text: "card {{.card}} of {{.person}} is valid from {{.from}}"},
	ReasonCardExpired:        {text: "card {{.card}} of {{.person}} expired {{.until}}"},
	ReasonPersonInactive:     {text: "{{.person}} is inactive"},
	ReasonDuplicate:          {text: "same card at this reader {{.gap}} from its last decision (debounce {{.debounce}})"},
	ReasonDoorLockdown:       {text: "door {{.door}} is in lockdown"},
	ReasonAntipassback:       {text: "anti-passback: {{.person}} is in {{.zone}} since {{.since}}, this reader leads out of {{.source}}"},
	ReasonDoorUnlocked:       {text: "door {{.door}} is held unlocked"},
	ReasonMaster:             {text: "{{.person}} is a master: every door"},
	ReasonLevelAnyTime:       {text: "level {{.level}}, at any time"},
	ReasonLevelSchedule:      {text: "level {{.level}}, schedule {{.schedule}}, {{.weekday}} {{.window}}"},
	ReasonGrantPermanent:     {text: "permanent grant {{.grant}} for {{.door}}"},
	ReasonGrantPermanentBy:   {text: "permanent grant {{.grant}} for {{.door}} by {{.by}}"},
	ReasonGrantTemporary:     {text: "temporary grant {{.grant}} for {{.door}}, until {{.until}}"},
	ReasonGrantTemporaryBy:   {text: "temporary grant {{.grant}} for {{.door}} by {{.by}}, until {{.until}}"},
	ReasonGrantOnce:          {text: "one-time grant {{.grant}} for {{.door}}: {{.left}} of {{.uses}} uses left"},
	ReasonGrantOnceBy:        {text: "one-time grant {{.grant}} for {{.door}} by {{.by}}: {{.left}} of {{.uses}} uses left"},
	ReasonGrantOnceLeaving:   {text: "one-time grant {{.grant}} for {{.door}}: {{.left}} of {{.uses}} uses left (leaving: no use spent)"},
	ReasonGrantOnceByLeaving: {text: "one-time grant {{.grant}} for {{.door}} by {{.by}}: {{.left}} of {{.uses}} uses left (leaving: no use spent)"},
	ReasonGrantUsedUp:        {text: "one-time grant {{.grant}} for {{.door}} used up ({{.used}} of {{.uses}} uses)"},
	ReasonGrantNotStarted:    {text: "grant {{.grant}} for {{.door}} starts {{.from}}"},
	ReasonGrantExpired:       {text: "grant {{.grant}} for {{.door}} expired {{.until}}"},
	ReasonOutsideSchedule:    {text: "level {{.level}}, schedule {{.schedule}}: no window on {{.weekday}} {{.time}}"},
	ReasonOutsideHoliday:     {text: "level {{.level}}, schedule {{.schedule}}: no window on {{.weekday}} {{.time}} (holiday)"},
	ReasonNoAccess:           {text: "no access level or grant of {{.person}} covers {{.door}}"},
	ReasonEnrolUnknown:       {text: "card {{.card}} read at the desk for enrolment; no one holds it"},
	ReasonEnrolAmbiguous:     {text: "card {{.card}} read at the desk for enrolment: it matches the cards of {{.holders}}"},
	ReasonEnrolHeld:          {text: "card {{.card}} read at the desk for enrolment: it is {{.person}}'s, who was not checked in or out"},
	ReasonAlreadyIn:          {text: "{{.person}} already checked in at {{.since}}"},
	ReasonDeskIn:             {text: "{{.person}} checked in at the desk"},
	ReasonDeskOut:            {text: "{{.person}} checked out at the desk"},
	ReasonPhoneUnknown:       {text: "no person has phone {{.phone}}"},
	ReasonPhoneShared:        {one: "phone {{.phone}} is shared by {{.count}} person, so it checks no one in", text: "phone {{.phone}} is shared by {{.count}} people, so it checks no one in"},
	ReasonPhoneOff:           {text: "phone check-in is off for {{.person}}"},
	ReasonPhoneOffStaff:      {text: "phone check-in is off for {{.person}} by default: staff account {{.account}} has permissions"},
	ReasonPhoneIn:            {text: "{{.person}} checked in by phone"},
	ReasonAutoCheckout:       {text: "{{.person}} checked out automatically at the close of the work day ({{.at}})"},
	ReasonDoorOpened:         {text: "door {{.door}} opened from the screen by {{.by}}"},
	ReasonDoorOpenedLockdown: {text: "door {{.door}} opened from the screen by {{.by}} during lockdown"},

	ReasonPeriodAt:       {text: "at {{.at}}"},
	ReasonPeriodNow:      {text: "now, {{.at}}"},
	ReasonPeriodDates:    {text: "{{.from}} to {{.to}}"},
	ReasonFilterPerson:   {text: "person {{.person}} ({{.id}})"},
	ReasonFilterDept:     {text: "department {{.department}}"},
	ReasonFilterDoor:     {text: "door {{.door}}"},
	ReasonFilterSite:     {text: "the events of site {{.site}}"},
	ReasonFilterSites:    {text: "the events of every site"},
	ReasonFilterPresence: {text: "the people inside site {{.site}}, as it last said"},
}

// ReasonCodes lists every code, sorted: the translation tests render each.
func ReasonCodes() []ReasonCode {
	out := make([]ReasonCode, 0, len(reasonTexts))
	for c := range reasonTexts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Text is the code's English template, and its singular form when the
// text has plural forms ("" otherwise). The templates are the keys of
// the translation files (assets/translations/core.*.json).
func (c ReasonCode) Text() (other, one string) {
	t, ok := reasonTexts[c]
	if !ok {
		return "", ""
	}
	return t.text, t.one
}

// NewReason is the reason of code with args given as name, value pairs;
// values are written with fmt's %v.
func NewReason(code ReasonCode, pairs ...any) *Reason {
	r := &Reason{Code: code, Args: make(map[string]string, len(pairs)/2)}
	for i := 0; i+1 < len(pairs); i += 2 {
		r.Args[fmt.Sprint(pairs[i])] = fmt.Sprint(pairs[i+1])
	}
	return r
}

// Arg is the value of the argument name, "" when r is nil or has none.
func (r *Reason) Arg(name string) string {
	if r == nil {
		return ""
	}
	return r.Args[name]
}

// Count is the value of CountArg, which chooses the plural form.
func (r *Reason) Count() (int, bool) {
	n, err := strconv.Atoi(r.Args[CountArg])
	return n, err == nil
}

// String is the reason in English: the sentence stored as
// Event.Explanation.
func (r *Reason) String() string {
	if r == nil {
		return ""
	}
	t, ok := reasonTexts[r.Code]
	if !ok {
		return string(r.Code)
	}
	text := t.text
	if n, ok := r.Count(); ok && n == 1 && t.one != "" {
		text = t.one
	}
	args := make(map[string]string, len(r.Args))
	for k, v := range r.Args {
		if slices.Contains(ListArgs, k) {
			v = joinAnd(strings.Split(v, ListSep))
		}
		args[k] = v
	}
	return Fill(text, args)
}

// Fill replaces each {{.name}} of template by args[name]; a name without
// value is left as it is, so that a missing value shows.
func Fill(template string, args map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(template, "{{.")
		if i < 0 {
			break
		}
		j := strings.Index(template[i:], "}}")
		if j < 0 {
			break
		}
		name := template[i+3 : i+j]
		b.WriteString(template[:i])
		if v, ok := args[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(template[i : i+j+2])
		}
		template = template[i+j+2:]
	}
	b.WriteString(template)
	return b.String()
}

// hashText is the reason's canonical encoding for the event hash: the
// code, then each argument as name=value in name order, one per line.
// Values are quoted so that no value can pass for another line.
func (r *Reason) hashText() string {
	var b strings.Builder
	b.WriteString(string(r.Code))
	keys := make([]string, 0, len(r.Args))
	for k := range r.Args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteByte('\n')
		b.WriteString(strconv.Quote(k))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(r.Args[k]))
	}
	return b.String()
}
