package natslink

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// eventsDedup is how long the hub remembers an event's message id: a
// branch resending after a short outage is deduplicated by the hub; one
// resent later is by the central site, which stores an event once by its
// site and sequence whatever comes.
const eventsDedup = time.Hour

// EnsureStreams creates the stream and buckets of docs/federation.md, or
// brings their settings up to date; replicas is 1, or 3 on a cluster of
// three hubs. The hub calls it at its start; `frontdesk hub init` for a
// company's own NATS.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, replicas int) error {
	if replicas < 1 {
		replicas = 1
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:       EventsStream,
		Subjects:   []string{eventsPrefix + "*"},
		Storage:    jetstream.FileStorage,
		Retention:  jetstream.LimitsPolicy,
		Duplicates: eventsDedup,
		Replicas:   replicas,
	}); err != nil {
		return fmt.Errorf("stream %s: %w", EventsStream, err)
	}
	for _, b := range []string{DirectoryBucket, SitesBucket} {
		if _, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:   b,
			History:  1,
			Storage:  jetstream.FileStorage,
			Replicas: replicas,
		}); err != nil {
			return fmt.Errorf("bucket %s: %w", b, err)
		}
	}
	return nil
}
