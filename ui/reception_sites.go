package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// At the central site of a company the reception's presence lists show
// this site's people, or a branch's as it last said (docs/federation.md):
// a site picker above the lists, and the time of the branch's list, said
// loudly when it is stale. The branch's list is for seeing: an evacuation
// is run at the branch. Elsewhere there is no picker.

// siteState is the part of the reception screen that picks the site.
type siteState struct {
	// pick lists "This site" and the branches whose presence is known;
	// nil but at the central site.
	pick *widget.Select
	// asOf says when the branch's list was taken, and that it is stale.
	asOf *widget.Label
	// site is the branch shown; "" this site.
	site string
	// shown is the branch's list last read.
	shown core.SitePresence
	// branches are the ids the picker offers, in order.
	branches []string
}

// central reports whether the screen's site is the central site of a
// company.
func (r *receptionScreen) central() bool {
	f := r.s.engine.Site().Federation
	return f != nil && f.Central
}

// buildSitePick makes the site picker and the "as of" line; nil when the
// site is not the central one.
func (r *receptionScreen) buildSitePick() fyne.CanvasObject {
	if !r.central() {
		return nil
	}
	r.sites.pick = widget.NewSelect([]string{r.ownSiteOption()}, func(choice string) {
		site := ""
		if i := slices.Index(r.sites.pick.Options, choice); i > 0 {
			site = r.sites.branches[i-1]
		}
		if site == r.sites.site {
			return
		}
		r.sites.site = site
		r.in, r.expected, r.loaded = nil, nil, false
		r.showSiteAsOf()
		r.applyFilter()
		r.readSheet()
	})
	r.sites.pick.SetSelectedIndex(0)
	r.sites.asOf = widget.NewLabel("")
	r.sites.asOf.Wrapping = fyne.TextWrapWord
	r.sites.asOf.Hide()
	return container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Site:")), nil, r.sites.pick),
		r.sites.asOf)
}

// ownSiteOption is the picker's choice of this site, named by its id as
// the event log's picker names it: "This site (hq)".
func (r *receptionScreen) ownSiteOption() string {
	if f := r.s.engine.Site().Federation; f != nil && f.SiteID != "" {
		return fmt.Sprintf(lang.L("This site (%s)"), f.SiteID)
	}
	return lang.L("This site")
}

// readSites reads, at the central site, every branch's latest list: the
// picker's choices and, when a branch is shown, its people. Called off
// the UI thread.
func readSites(engine core.API, actor core.Actor) ([]core.SitePresence, error) {
	ps, err := engine.Presence(actor, core.AllSites)
	if err != nil {
		return nil, err
	}
	return ps[1:], nil // the first is this site's
}

// sitesRead takes what readSites read, on the UI thread: the picker's
// choices, and the branch's people in the lists when one is shown.
func (r *receptionScreen) sitesRead(ps []core.SitePresence) {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.Site
	}
	if !slices.Equal(ids, r.sites.branches) {
		r.sites.branches = ids
		r.sites.pick.Options = append([]string{r.ownSiteOption()}, ids...)
		r.sites.pick.Refresh()
	}
	if r.sites.site == "" {
		return
	}
	i := slices.Index(ids, r.sites.site)
	if i < 0 {
		return
	}
	p := ps[i]
	r.sites.shown = p
	var in []presenceItem
	for _, z := range p.Zones {
		zone := z.Name
		if zone == "" {
			zone = z.Zone
		}
		for _, e := range z.People {
			in = append(in, presenceItem{
				SheetEntry: core.SheetEntry{Person: e.Person, Name: e.Name, Department: e.Department, Phone: e.Phone,
					Zone: zone, Since: e.Since, Stale: e.Stale},
				folded: foldForSearch(e.Name)})
		}
	}
	slices.SortStableFunc(in, func(a, b presenceItem) int { return strings.Compare(a.folded, b.folded) })
	r.in, r.expected, r.loaded = in, nil, true
	r.showSiteAsOf()
}

// showSiteAsOf says when the branch shown took its list; loudly when it
// is stale.
func (r *receptionScreen) showSiteAsOf() {
	l := r.sites.asOf
	if l == nil {
		return
	}
	p := r.sites.shown
	if r.sites.site == "" || p.Site != r.sites.site {
		l.Hide()
		return
	}
	at := r.since(p.At)
	if p.Stale {
		l.Importance = widget.DangerImportance
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SetText(fmt.Sprintf(lang.L("As of %s. Site %s has not been heard from since: it is cut off, and this list may be stale."), at, p.Site))
	} else {
		l.Importance = widget.MediumImportance
		l.TextStyle = fyne.TextStyle{}
		l.SetText(fmt.Sprintf(lang.L("As of %s, as site %s last said."), at, p.Site))
	}
	l.Show()
}
