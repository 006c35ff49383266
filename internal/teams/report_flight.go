package teams

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// ReportBody is a team report encoded in one format, shared by every request that asked for it
// while it was being built.
type ReportBody struct {
	Bytes []byte
	// Gzip is Bytes compressed, when the encoder made it (once per build, not once per request).
	Gzip        []byte
	GeneratedAt time.Time
}

// SharedReport authorizes the caller (one statement, every request) and returns the team's report
// as encode writes it. Requests for the same team and format that arrive while a build is running
// share that build (two statements and one encoding) and get the same bytes; a build never outlives
// its requests, so nothing is kept afterwards (no time-based caching). A build that began before a
// write this service committed is never joined (see reportFlight).
func (s *Service) SharedReport(ctx context.Context, actorID, teamID, format string,
	encode func(Report) (ReportBody, error)) (ReportBody, error) {
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return ReportBody{}, err
	}
	return s.flight.do(ctx, s.flight.key(t.ID, format), func(ctx context.Context) (ReportBody, error) {
		r, err := s.buildReport(ctx, t)
		if err != nil {
			return ReportBody{}, err
		}
		b, err := encode(r)
		b.GeneratedAt = r.GeneratedAt
		return b, err
	})
}

// tx runs fn in one store transaction and, once it has committed, tells the report flight, so
// no request joins a report build that began before the change.
func (s *Service) tx(ctx context.Context, fn func(*Store) error) error {
	err := s.store.Tx(ctx, fn)
	if err == nil {
		s.flight.changed()
	}
	return err
}

// reportFlight coalesces concurrent report builds and bounds how many run at once. A 500-rep
// report is a megabyte of JSON built from a few megabytes of rows; thirty requests building it
// side by side would hold thirty copies, so requests arriving while one is built wait for it, and
// at most slots builds (one per CPU) run in the process at a time.
//
// Builds are keyed by team, format and a generation that every committed write of the teams
// service increases: a request reads the generation after it was authorized, so it only joins a
// build that started after every membership change this process had committed by then.
type reportFlight struct {
	group singleflight.Group
	slots chan struct{}
	gen   atomic.Uint64
	// waiting counts the requests that have joined or started a build and wait for it.
	waiting atomic.Int64
}

// newReportFlight allows one build per CPU the Go scheduler uses.
func newReportFlight() *reportFlight {
	return &reportFlight{slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// changed records a committed write.
func (f *reportFlight) changed() { f.gen.Add(1) }

// key names the build a request may join.
func (f *reportFlight) key(teamID, format string) string {
	return format + "/" + teamID + "/" + strconv.FormatUint(f.gen.Load(), 10)
}

// errAbandoned is a build whose starting request went away (its context ended) before it was done.
var errAbandoned = errors.New("teams: report build abandoned by the request that started it")

// do returns the result of the build running under key, starting build when none runs. The build
// runs with the context of the request that started it: it waits for a free slot or that
// request's end. When that request goes away first, the requests that joined start (or join) a
// fresh build instead of failing; each request stops waiting when its own context ends.
func (f *reportFlight) do(ctx context.Context, key string, build func(context.Context) (ReportBody, error)) (ReportBody, error) {
	for {
		ch := f.group.DoChan(key, func() (any, error) {
			select {
			case f.slots <- struct{}{}:
			case <-ctx.Done():
				return nil, errAbandoned
			}
			defer func() { <-f.slots }()
			b, err := build(ctx)
			if err != nil && ctx.Err() != nil {
				return nil, errAbandoned
			}
			return b, err
		})
		f.waiting.Add(1)
		r, err := f.wait(ctx, ch)
		f.waiting.Add(-1)
		if !errors.Is(err, errAbandoned) {
			return r, err
		}
	}
}

// wait waits for a build's result or the end of ctx; errAbandoned means "start or join a fresh
// build" (the build's starter went away, this request did not).
func (f *reportFlight) wait(ctx context.Context, ch <-chan singleflight.Result) (ReportBody, error) {
	select {
	case <-ctx.Done():
		return ReportBody{}, ctx.Err()
	case r := <-ch:
		switch {
		case errors.Is(r.Err, errAbandoned) && ctx.Err() == nil:
			return ReportBody{}, errAbandoned
		case errors.Is(r.Err, errAbandoned):
			return ReportBody{}, ctx.Err()
		case r.Err != nil:
			return ReportBody{}, r.Err
		}
		return r.Val.(ReportBody), nil
	}
}
