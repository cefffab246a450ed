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
	return noRollup(ctx, js, "KV_"+SitesBucket)
}

// noRollup refuses the Nats-Rollup header on stream: every branch writes
// FD_SITES, and a message of its own with "Nats-Rollup: all" would
// otherwise erase every other site's keys. Put and Delete work without
// it; only a key's Purge needs it, and the sites do not purge.
func noRollup(ctx context.Context, js jetstream.JetStream, stream string) error {
	st, err := js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("stream %s: %w", stream, err)
	}
	cfg := st.CachedInfo().Config
	if !cfg.AllowRollup {
		return nil
	}
	cfg.AllowRollup = false
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("stream %s: %w", stream, err)
	}
	return nil
}
