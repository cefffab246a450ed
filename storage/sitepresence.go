package storage

import (
	"encoding/json"
	"fmt"

	"frontdesk/core"
)

// The latest presence of each other site of a federation, kept at the
// central site (docs/federation.md):
//
//	site_presence: site → JSON core.SitePresence
//
// Open adds the bucket to a file that lacks it, without a new schema.
var bucketSitePresence = []byte("site_presence")

// SitePresence returns the presence kept of site.
func (t *tx) SitePresence(site string) (core.SitePresence, error) {
	var p core.SitePresence
	data := t.bucket(bucketSitePresence).Get([]byte(site))
	if data == nil {
		return p, fmt.Errorf("%w: no presence of site %q", core.ErrNotFound, site)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, decodeError(fmt.Sprintf("the presence of site %q", site), err)
	}
	return p, nil
}

// PutSitePresence stores p as the presence of p.Site.
func (t *tx) PutSitePresence(p core.SitePresence) error {
	if err := checkSiteID(p.Site); err != nil {
		return err
	}
	p.At = utc(p.At)
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode presence of site %q: %w", p.Site, err)
	}
	return t.bucket(bucketSitePresence).Put([]byte(p.Site), data)
}

// SitePresences calls fn for every site's presence, in site order.
func (t *tx) SitePresences(fn func(core.SitePresence) error) error {
	c := t.bucket(bucketSitePresence).Cursor()
	for k, data := c.First(); k != nil; k, data = c.Next() {
		var p core.SitePresence
		if err := json.Unmarshal(data, &p); err != nil {
			return decodeError(fmt.Sprintf("the presence of site %q", k), err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}
