package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gate is a build that signals when it starts and waits to be released, so tests decide what
// overlaps without timing anything.
type gate struct {
	started chan struct{}
	release chan struct{}
	builds  atomic.Int32
}

func newGate() *gate { return &gate{started: make(chan struct{}, 100), release: make(chan struct{})} }

func (g *gate) build(body string) func(context.Context) (ReportBody, error) {
	return func(ctx context.Context) (ReportBody, error) {
		g.builds.Add(1)
		g.started <- struct{}{}
		select {
		case <-g.release:
			return ReportBody{Bytes: []byte(body)}, nil
		case <-ctx.Done():
			return ReportBody{}, ctx.Err()
		}
	}
}

// TestReportFlightSharesOneBuild: requests arriving while a build runs get its very bytes.
func TestReportFlightSharesOneBuild(t *testing.T) {
	f, g := newReportFlight(), newGate()
	key := f.key("team", "json")
	const n = 8
	got := make([]ReportBody, n)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); got[0], _ = f.do(context.Background(), key, g.build("first")) }()
	<-g.started
	for i := 1; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], _ = f.do(context.Background(), key, g.build("other")) }()
	}
	waitJoined(t, f, n)
	close(g.release)
	wg.Wait()
	if b := g.builds.Load(); b != 1 {
		t.Fatalf("%d builds, want 1", b)
	}
	for i, r := range got {
		if string(r.Bytes) != "first" || &r.Bytes[0] != &got[0].Bytes[0] {
			t.Errorf("request %d got %q (its own copy: %v)", i, r.Bytes, &r.Bytes[0] != &got[0].Bytes[0])
		}
	}
}

// waitJoined waits until n requests wait for builds (polling for goroutines to park, not a
// timed assertion).
func waitJoined(t *testing.T, f *reportFlight, n int) {
	t.Helper()
	for f.waiting.Load() < int64(n) {
		time.Sleep(time.Millisecond)
	}
}

// TestReportFlightNeverJoinsAnOlderGeneration: a committed write between two requests makes the
// second start its own build instead of joining the one that began before the write.
func TestReportFlightNeverJoinsAnOlderGeneration(t *testing.T) {
	f, g := newReportFlight(), newGate()
	before := f.key("team", "json")
	done := make(chan ReportBody)
	go func() { r, _ := f.do(context.Background(), before, g.build("before")); done <- r }()
	<-g.started
	f.changed() // e.g. a member removed and committed
	after := f.key("team", "json")
	if after == before {
		t.Fatal("the key did not move on after a write")
	}
	go func() { r, _ := f.do(context.Background(), after, g.build("after")); done <- r }()
	<-g.started // a second build started while the first still runs
	close(g.release)
	got := map[string]bool{}
	for range 2 {
		got[string((<-done).Bytes)] = true
	}
	if g.builds.Load() != 2 || !got["before"] || !got["after"] {
		t.Fatalf("builds %d, results %v; want two builds, one per generation", g.builds.Load(), got)
	}
}

// TestReportFlightSlotsRespectCancellation: with every slot taken, a build waits for one, and a
// request whose context ends stops waiting with its context's error.
func TestReportFlightSlotsRespectCancellation(t *testing.T) {
	f := newReportFlight()
	for range cap(f.slots) {
		f.slots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := f.do(ctx, f.key("team", "json"), func(context.Context) (ReportBody, error) {
			t.Error("built without a free slot")
			return ReportBody{}, nil
		})
		errc <- err
	}()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestReportFlightOutlivesTheStarter: when the request that started a build goes away, the
// requests that joined it get a fresh build, not its cancellation.
func TestReportFlightOutlivesTheStarter(t *testing.T) {
	f, g := newReportFlight(), newGate()
	key := f.key("team", "json")
	ctx, cancel := context.WithCancel(context.Background())
	starter := make(chan error)
	go func() { _, err := f.do(ctx, key, g.build("abandoned")); starter <- err }()
	<-g.started
	joined := make(chan ReportBody)
	go func() { r, _ := f.do(context.Background(), key, g.build("fresh")); joined <- r }()
	waitJoined(t, f, 2)
	cancel()
	if err := <-starter; !errors.Is(err, context.Canceled) {
		t.Fatalf("starter err = %v", err)
	}
	<-g.started // the joined request's own build
	close(g.release)
	if r := <-joined; string(r.Bytes) != "fresh" {
		t.Fatalf("joined request got %q, want its own fresh build", r.Bytes)
	}
}

// TestEncodeReportJSON: the report written member by member is byte for byte what
// encoding/json writes for the whole DTO (plus Echo's newline), for an empty team too.
func TestEncodeReportJSON(t *testing.T) {
	obs, gap := 62.5, -12.25
	at := time.Date(2026, 12, 6, 4, 0, 0, 123456000, time.UTC)
	full := Report{TeamID: "t1", TeamName: `A <b>"team"</b> & co`, GeneratedAt: at,
		Members: []ReportMember{
			{UserID: "u1", Name: "Ada\u2028", Email: "a@x.test", Role: RoleMember, JoinedAt: at, CompletedLessons: 3,
				LessonCount: 6, Percent: 50, LastActiveAt: &at, Recognitions: 2,
				Competencies: []CompetencySummary{{Competency: "listening", Name: "Listening", Baseline: 50, Latest: 100,
					Delta: 50, Band: "significant_growth", Significant: true, LatestAt: at, Observed: &obs, Gap: &gap}},
				Pulse:    PulseAggregate{Responses: 3, Averages: &PulseAverages{Clarity: 3.33, Understood: 4, Again: 1.67}},
				Practice: PracticeEvidence{Submitted: 2, Reviewed: 1, AwaitingReview: 1}},
			{UserID: "u2", Name: "Bob", Competencies: []CompetencySummary{}},
		}}
	full.Competencies = teamAverages(full.Members)
	for name, r := range map[string]Report{"full": full, "empty": {TeamID: "t2", TeamName: "Empty", Members: []ReportMember{}}} {
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(toReportDTO(r)); err != nil {
			t.Fatal(err)
		}
		got, err := encodeReportJSON(r)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: err %v\n got %s\nwant %s", name, err, got, want.Bytes())
		}
	}
}
