package natslink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// followKeys runs until ctx ends: it watches the keys of bucket that
// match filter (">" for all) and gives fn each entry, the latest of every
// key first, then each change, deletions included. A watch that fails
// or ends is logged as what and watched again after retryWait; one whose
// connection to the hub came back is watched again at once (errReconnected).
func followKeys(ctx context.Context, js jetstream.JetStream, bucket, filter, what string, fn func(jetstream.KeyValueEntry), log *slog.Logger) error {
	for {
		err := followKeysOnce(ctx, js, bucket, filter, fn)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, errReconnected) {
			continue
		}
		log.Warn(what+" not followed; trying again", "err", err)
		sleep(ctx, retryWait)
	}
}

// errReconnected ends a watch when the connection to the hub came back:
// a hub that restarted has forgotten the watch's consumer, which the
// client would notice only after missing heartbeats for a while; watched
// again, each key's latest value comes at once.
var errReconnected = errors.New("connected to the hub again")

func followKeysOnce(ctx context.Context, js jetstream.JetStream, bucket, filter string, fn func(jetstream.KeyValueEntry)) error {
	back := js.Conn().StatusChanged(nats.CONNECTED)
	defer js.Conn().RemoveStatusListener(back)
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", bucket, err)
	}
	w, err := kv.Watch(ctx, filter)
	if err != nil {
		return fmt.Errorf("watch %s: %w", bucket, err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-back:
			return errReconnected
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("the watch ended")
			}
			if e != nil { // nil: the latest of every key is in
				fn(e)
			}
		}
	}
}
