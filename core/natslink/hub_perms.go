package natslink

import (
	"github.com/nats-io/nats-server/v2/server"
)

// The JetStream API subjects a site's client uses, as nats.go's jetstream
// package asks them: a bucket's KeyValue handle reads its stream's info;
// Get is a direct get (the buckets allow it) or, on an older server, a
// message get; Watch and an ordered consumer create a consumer, ask for
// its messages (pull) or receive them (push, with flow control and
// heartbeats), look at it and delete it; Publish with an ack is a plain
// publish whose ack comes to the site's inbox.
const (
	jsAPI = "$JS.API."
	jsFC  = "$JS.FC."
	jsAck = "$JS.ACK."
	kvPre = "$KV."
)

// readStream is what reading the stream of a bucket takes.
func readStream(stream string) []string {
	return []string{
		jsAPI + "STREAM.INFO." + stream,
		jsAPI + "DIRECT.GET." + stream,
		jsAPI + "DIRECT.GET." + stream + ".>",
		jsAPI + "STREAM.MSG.GET." + stream,
		jsAPI + "CONSUMER.CREATE." + stream,
		jsAPI + "CONSUMER.CREATE." + stream + ".>",
		jsAPI + "CONSUMER.INFO." + stream + ".*",
		jsAPI + "CONSUMER.DELETE." + stream + ".*",
		jsAPI + "CONSUMER.MSG.NEXT." + stream + ".*",
		jsFC + stream + ".>",
		jsAck + stream + ".>",
	}
}

// SitePermissions are the permissions of site (docs/federation.md): the
// central site may do everything (nil); a branch may publish its own
// events, read the directory, write its own keys of FD_SITES and read
// the others', and receive only under its own inbox prefix.
func SitePermissions(site string, central bool) *server.Permissions {
	if central {
		return nil
	}
	pub := []string{
		EventsSubject(site),
		kvPre + SitesBucket + "." + site + ".>",
	}
	pub = append(pub, readStream("KV_"+DirectoryBucket)...)
	pub = append(pub, readStream("KV_"+SitesBucket)...)
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: pub},
		Subscribe: &server.SubjectPermission{Allow: []string{InboxPrefix(site) + ".>"}},
	}
}
