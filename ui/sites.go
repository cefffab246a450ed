package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// sitePicker chooses whose events a page counts at the central site of a
// company (docs/federation.md, "Reports across sites"): this site's,
// another site's or every site's. A site that holds no other site's
// events (a branch, a site alone) has none: newSitePicker returns nil,
// and a nil picker chooses this site.
type sitePicker struct {
	sel *widget.Select
	// own is this site's id; sites maps each option to a query's Site:
	// "" for this site, an id, or core.AllSites.
	own   string
	sites map[string]string
}

// newSitePicker asks the engine for the sites whose events are here and
// returns a picker of them, this site chosen; nil when this site holds
// none but its own, or when the actor may not list them. changed is
// called when the user picks another site.
func newSitePicker(s *session, changed func()) *sitePicker {
	sites, err := s.engine.Sites(s.actor)
	if err != nil || len(sites) < 2 {
		return nil
	}
	p := &sitePicker{sites: map[string]string{}}
	var opts []string
	for _, site := range sites {
		if site.Own {
			p.own = site.ID
			opt := lang.L("This site")
			if site.ID != "" {
				opt = fmt.Sprintf(lang.L("This site (%s)"), site.ID)
			}
			opts = append(opts, opt)
			p.sites[opt] = ""
			continue
		}
		opts = append(opts, site.ID)
		p.sites[site.ID] = site.ID
	}
	all := lang.L("All sites")
	opts = append(opts, all)
	p.sites[all] = core.AllSites
	p.sel = newSelect(opts, nil)
	p.sel.SetSelectedIndex(0)
	p.sel.OnChanged = func(string) {
		if changed != nil {
			changed()
		}
	}
	return p
}

// site is the Site of a query for the sites picked: "" for this site.
func (p *sitePicker) site() string {
	if p == nil {
		return ""
	}
	return p.sites[p.sel.Selected]
}

// pick chooses site ("" this site, an id, core.AllSites), as a user
// would; it reports whether the picker offers it.
func (p *sitePicker) pick(site string) bool {
	if p == nil {
		return site == ""
	}
	for opt, s := range p.sites {
		if s == site {
			p.sel.SetSelected(opt)
			return true
		}
	}
	return false
}

// row is the picker with its label, as a row of its own under a page's
// filters: every language's longest choice then fits a small screen
// beside nothing else. A nil picker has none: the rows are those a site
// alone shows.
func (p *sitePicker) row() []fyne.CanvasObject {
	if p == nil {
		return nil
	}
	return []fyne.CanvasObject{container.NewHBox(widget.NewLabel(lang.L("Site")), wholeChoices(p.sel, 0))}
}
