package natslink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
)

// Progress marks kept in each site's database (core.Tx.Mark).
const (
	// MarkDirectoryPublished is, at the central site, the last audit
	// entry whose directory changes the hub acknowledged.
	MarkDirectoryPublished = "directory.published"
	// MarkDirectoryApplied is, at a branch, the revision of
	// DirectoryBucket up to which the directory is applied.
	MarkDirectoryApplied = "directory.applied"
)

// Directory is the engine's part of the directory's way down
// (*core.Engine).
type Directory interface {
	DirectorySince(after uint64, limit int) ([]core.DirectoryChange, uint64, error)
	ApplyDirectory(name string, mark uint64, changes []core.DirectoryChange) error
	Mark(name string) (uint64, error)
	SetMark(name string, v uint64) error
}

// Tunables of the directory's way down.
const (
	// directoryChunk is how many audit entries the central site reads at
	// a time, and how many changes a branch applies in one transaction.
	directoryChunk = 500
	// directoryPoll is how often the central site looks for new audit
	// entries: a change reaches a connected branch well within a second.
	directoryPoll = 100 * time.Millisecond
	// publishWindow is how many directory changes may await the hub's
	// acknowledgement at once (the client stalls beyond 4,000).
	publishWindow = 1000
	// retryWait is the pause after a failure before trying again.
	retryWait = time.Second
)

// PublishDirectory runs at the central site until ctx ends: it writes the
// directory objects each new audit entry changed to DirectoryBucket, and
// moves MarkDirectoryPublished once the hub has acknowledged them all. A
// crash between the two publishes them again, which a branch applies as
// the same values.
func PublishDirectory(ctx context.Context, js jetstream.JetStream, dir Directory, log *slog.Logger) error {
	for {
		n, err := publishDirectoryOnce(ctx, js, dir)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			log.Warn("directory not published; trying again", "err", err)
			sleep(ctx, retryWait)
		case n == 0:
			sleep(ctx, directoryPoll)
		}
	}
}

// publishDirectoryOnce publishes the changes of up to directoryChunk
// audit entries and returns how many entries it read.
func publishDirectoryOnce(ctx context.Context, js jetstream.JetStream, dir Directory) (int, error) {
	from, err := dir.Mark(MarkDirectoryPublished)
	if err != nil {
		return 0, err
	}
	changes, last, err := dir.DirectorySince(from, directoryChunk)
	if err != nil || last == from {
		return 0, err
	}
	// An import's one audit entry may have created 100,000 objects: they
	// go out a window at a time, each window acknowledged before the next.
	acks := make([]jetstream.PubAckFuture, 0, publishWindow)
	await := func() error {
		for _, f := range acks {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				return fmt.Errorf("publish %s: %w", f.Msg().Subject, err)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		acks = acks[:0]
		return nil
	}
	for _, c := range changes {
		if len(acks) == publishWindow {
			if err := await(); err != nil {
				return 0, err
			}
		}
		data, err := json.Marshal(c)
		if err != nil {
			return 0, err
		}
		f, err := js.PublishAsync(directorySubject(c.Key()), data)
		if err != nil {
			return 0, fmt.Errorf("publish %s: %w", c.Key(), err)
		}
		acks = append(acks, f)
	}
	if err := await(); err != nil {
		return 0, err
	}
	return int(last - from), dir.SetMark(MarkDirectoryPublished, last)
}

// directorySubject is the subject of key in DirectoryBucket.
func directorySubject(key string) string { return "$KV." + DirectoryBucket + "." + key }

// FollowDirectory runs at a branch until ctx ends: it reads
// DirectoryBucket from the revision after MarkDirectoryApplied and
// applies what it reads in order, a chunk at a time, each chunk with its
// last revision in one transaction. After a failure it starts again from
// the mark.
func FollowDirectory(ctx context.Context, js jetstream.JetStream, dir Directory, log *slog.Logger) error {
	for {
		err := followDirectoryOnce(ctx, js, dir)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, errWatchEnded):
			// The hub dropped the watch (a restart, a slow moment): watch
			// again at once, from the mark.
			log.Info("directory: watching again", "err", err)
		default:
			log.Warn("directory not followed; trying again", "err", err)
			sleep(ctx, retryWait)
		}
	}
}

// errWatchEnded is a watch of the directory that the client ended.
var errWatchEnded = errors.New("the watch ended")

func followDirectoryOnce(ctx context.Context, js jetstream.JetStream, dir Directory) error {
	kv, err := js.KeyValue(ctx, DirectoryBucket)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", DirectoryBucket, err)
	}
	mark, err := dir.Mark(MarkDirectoryApplied)
	if err != nil {
		return err
	}
	w, err := kv.WatchAll(ctx, jetstream.ResumeFromRevision(mark+1))
	if err != nil {
		return fmt.Errorf("watch %s: %w", DirectoryBucket, err)
	}
	defer w.Stop()
	for {
		var batch []core.DirectoryChange
		var last uint64
		add := func(e jetstream.KeyValueEntry) error {
			if e == nil || e.Operation() != jetstream.KeyValuePut || e.Revision() <= mark {
				return nil // the end of the values there were, or a revision applied
			}
			var c core.DirectoryChange
			if err := json.Unmarshal(e.Value(), &c); err != nil || c.Key() != e.Key() {
				return fmt.Errorf("%s revision %d: not a directory change of key %s", DirectoryBucket, e.Revision(), e.Key())
			}
			batch, last = append(batch, c), e.Revision()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-w.Updates():
			if !ok {
				return errWatchEnded
			}
			if err := add(e); err != nil {
				return err
			}
		}
		// Take what else has come, up to a chunk, to apply it at once.
	more:
		for len(batch) < directoryChunk {
			select {
			case e, ok := <-w.Updates():
				if !ok {
					break more
				}
				if err := add(e); err != nil {
					return err
				}
			default:
				break more
			}
		}
		if len(batch) == 0 {
			continue
		}
		if err := dir.ApplyDirectory(MarkDirectoryApplied, last, batch); err != nil {
			return err
		}
		mark = last
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
