// Package natslink joins a Frontdesk site to the other sites of its
// company through NATS JetStream (docs/federation.md): the directory
// flows down from the central site, each branch's events flow up, and
// each branch publishes its doors and zones. It is the only package that
// speaks NATS; the engine knows nothing of it. The hub (hub.go) is an
// embedded nats-server for companies that run no NATS of their own.
package natslink

// The subjects, streams and buckets on the hub. A site's id is a token of
// its subjects, so it is an identifier without dots (core's bad_id rules,
// and no '.').
const (
	// EventsStream holds every branch's events, one subject a site:
	// EventsSubject(site), each message one core.Event as JSON with the
	// header Nats-Msg-Id SITE:SEQ:HASH (EventMsgID; JetStream deduplication). The central
	// site reads it with the durable consumer CentralConsumer.
	EventsStream    = "FD_EVENTS"
	eventsPrefix    = "fd.events."
	CentralConsumer = "central"

	// DirectoryBucket is the key-value bucket of the directory, written
	// only by the central site: key KIND.ID (core.Kind, the object's id),
	// value a DirectoryEntry. Its history is 1: a branch that was away
	// reads the latest value of each key, in the order they were last
	// written.
	DirectoryBucket = "FD_DIRECTORY"

	// SitesBucket is where each site publishes what others may read of
	// it, under keys SITE.doors, SITE.zones, SITE.devices (the site's
	// objects of that kind as a JSON array), SITE.status (a
	// SiteStatus) and SITE.presence (a core.SitePresence, presence.go): a
	// site writes only keys that start with its id.
	SitesBucket = "FD_SITES"
)

// EventsSubject is the subject of site's events.
func EventsSubject(site string) string { return eventsPrefix + site }

// InboxPrefix is the prefix of site's reply subjects: each site may
// subscribe only under its own, so that no site reads another's replies.
func InboxPrefix(site string) string { return "_INBOX_" + site }
