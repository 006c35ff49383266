package main

// The demo story: eight weeks of history for the demo accounts, made through the services.
//
// Why it is built this way:
//   - Nothing is written around the rules. Every attempt is started, answered item by item and
//     submitted (the server scores it); every lesson is opened through the catalog (which checks
//     the reader's access) and reported through progress (which keeps time, issues
//     certificates); the team's seats are a billing grant; reps join by accepting real invites.
//     So the demo can only show what the product would show for real users, and a rule change
//     shows up in the demo too. (demo_load.go, for benchmarks, is the one place that writes
//     tables directly; it is never used here.)
//   - History needs time to pass, so the App is built on a clock the story moves (storyClock):
//     every service dates its rows from it. Steps from every character are sorted by time and
//     played in order, so the clock only moves forward and, for example, an invite is accepted
//     after it is sent and an assignment falls due after it is made. The story ends at the real
//     now; afterwards the clock is the wall clock again.
//   - It is idempotent without a marker table: each part checks, through the services, whether
//     it already happened (an account has its baseline, the team exists, the assignment for a
//     module exists, ...) and plans only what is missing. A second `rapport demo` plans nothing.
//   - It is fast enough for every `make run`: fifteen attempts (each saved in one call) and a
//     hundred lesson reports, a few seconds on a laptop; most of it is hashing the passwords of
//     the seven reps it signs up.

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/progress"
)

// demoAssessment is the profile the demo learners take.
const demoAssessment = "sales-eq-profile"

// storyClock is the App's clock during `rapport demo`: a time the story sets, or the wall clock
// when none is set.
type storyClock struct {
	mu sync.Mutex
	at *time.Time
}

// Now implements the App's clock.
func (c *storyClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at == nil {
		return time.Now()
	}
	return *c.at
}

// Set moves the clock to t.
func (c *storyClock) Set(t time.Time) {
	c.mu.Lock()
	c.at = &t
	c.mu.Unlock()
}

// Advance moves a set clock forward by d.
func (c *storyClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Real gives the clock back to the wall.
func (c *storyClock) Real() {
	c.mu.Lock()
	c.at = nil
	c.mu.Unlock()
}

// step is one thing a character does at a moment of the story.
type step struct {
	at   time.Time
	what string
	do   func(ctx context.Context) error
}

// story plans and plays the demo history.
type story struct {
	a      *app.App
	clock  *storyClock
	start  time.Time // day 0
	end    time.Time // now
	steps  []step
	users  map[string]identity.User // by e-mail, once known
	mods   map[string]catalog.CatalogModule
	teamID string
}

func newStory(a *app.App, clock *storyClock, end time.Time) *story {
	return &story{a: a, clock: clock, start: end.Add(-storyDays * 24 * time.Hour), end: end,
		users: map[string]identity.User{}, mods: map[string]catalog.CatalogModule{}}
}

// day is a moment of the story: days after its start.
func (s *story) day(d float64) time.Time {
	return s.start.Add(time.Duration(d * float64(24*time.Hour)))
}

func (s *story) add(at time.Time, what string, do func(ctx context.Context) error) {
	s.steps = append(s.steps, step{at: at, what: what, do: do})
}

// play runs the planned steps in time order with the clock at each step's moment, then gives
// the clock back to the wall. It returns how many steps it played.
func (s *story) play(ctx context.Context) (int, error) {
	defer s.clock.Real()
	slices.SortStableFunc(s.steps, func(a, b step) int { return a.at.Compare(b.at) })
	for _, st := range s.steps {
		if st.at.After(s.end) {
			return 0, fmt.Errorf("demo: %s is planned after now", st.what)
		}
		s.clock.Set(st.at)
		if err := st.do(ctx); err != nil {
			return 0, fmt.Errorf("demo: %s: %w", st.what, describe(err))
		}
	}
	return len(s.steps), nil
}

// user finds an account by e-mail (nil error and ok false when there is none).
func (s *story) user(ctx context.Context, email string) (identity.User, bool, error) {
	if u, ok := s.users[email]; ok {
		return u, true, nil
	}
	list, err := s.a.Identity.ListUsers(ctx, email)
	if err != nil {
		return identity.User{}, false, err
	}
	for _, u := range list {
		if u.Email == email {
			s.users[email] = u
			return u, true, nil
		}
	}
	return identity.User{}, false, nil
}

// ensureUser finds the account or creates it (verified, with the demo password) at the clock's
// time; created tells which.
func (s *story) ensureUser(ctx context.Context, email, name, role string) (identity.User, bool, error) {
	if u, ok, err := s.user(ctx, email); ok || err != nil {
		return u, false, err
	}
	u, err := s.a.Identity.CreateUser(ctx, email, DemoPassword, name, role)
	if apperr.Is(err, apperr.Conflict) { // created meanwhile
		u, _, err = s.user(ctx, email)
		return u, false, err
	}
	if err != nil {
		return identity.User{}, false, err
	}
	s.users[email] = u
	return u, true, nil
}

// mustUser is the account of a character the story created or found earlier.
func (s *story) mustUser(email string) (identity.User, error) {
	u, ok := s.users[email]
	if !ok {
		return identity.User{}, fmt.Errorf("demo account %s is missing", email)
	}
	return u, nil
}

// module is a published module's outline (cached: the story never publishes the shipped ones).
func (s *story) module(ctx context.Context, slug string) (catalog.CatalogModule, error) {
	if m, ok := s.mods[slug]; ok {
		return m, nil
	}
	m, err := s.a.Catalog.CatalogModule(ctx, "", slug)
	if err != nil {
		return catalog.CatalogModule{}, err
	}
	s.mods[slug] = m
	return m, nil
}

// hasBaseline reports whether the learner has finished the demo profile at least once: their
// history has been told already.
func (s *story) hasBaseline(ctx context.Context, email string) (bool, error) {
	u, ok, err := s.user(ctx, email)
	if err != nil || !ok {
		return false, err
	}
	list, err := s.a.Assess.Overviews(ctx, u.ID)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(list, func(o assess.Overview) bool { return o.Slug == demoAssessment })
	return i >= 0 && list[i].BaselineDone, nil
}

// planLearner plans a learner's history unless it has been told; it reports whether it planned
// anything.
func (s *story) planLearner(ctx context.Context, sc script) (bool, error) {
	done, err := s.hasBaseline(ctx, sc.email)
	if err != nil || done {
		return false, err
	}
	n := len(s.steps)
	if sc.goal > 0 && len(sc.sittings) > 0 {
		s.add(s.day(sc.sittings[0].day).Add(-time.Minute), sc.name+" sets a weekly goal", func(ctx context.Context) error {
			u, err := s.mustUser(sc.email)
			if err != nil {
				return err
			}
			_, err = s.a.Progress.SetGoal(ctx, u.ID, sc.goal)
			return err
		})
	}
	for i, st := range sc.sittings {
		rng := rand.New(rand.NewPCG(seed(sc.email), uint64(i)))
		s.add(s.day(st.day), fmt.Sprintf("%s takes the profile (%d)", sc.name, i+1), func(ctx context.Context) error {
			return s.sit(ctx, sc.email, st.levels, rng)
		})
	}
	for _, r := range sc.reading {
		s.add(s.day(r.day), fmt.Sprintf("%s reads %s lesson %d", sc.name, r.module, r.lesson+1), func(ctx context.Context) error {
			return s.readLesson(ctx, sc.email, r)
		})
	}
	return len(s.steps) > n, nil
}

// sit takes the profile: start (or resume) an attempt, answer every item (in one call; the web
// app saves them one by one, under the same rules), submit a quarter of an hour later.
func (s *story) sit(ctx context.Context, email string, lv map[string]float64, rng *rand.Rand) error {
	u, err := s.mustUser(email)
	if err != nil {
		return err
	}
	at, _, err := s.a.Assess.Start(ctx, u.ID, demoAssessment)
	if err != nil {
		return err
	}
	// Nobody answers the same way twice: every level moves by up to 2.5 points, the normal ups
	// and downs that the growth bands are there to see through.
	jittered := make(map[string]float64, len(lv))
	for _, k := range slices.Sorted(maps.Keys(lv)) { // in a fixed order, so a seed gives one story
		jittered[k] = lv[k] + 5*rng.Float64() - 2.5
	}
	if err := s.a.Assess.SaveResponses(ctx, u.ID, at.ID, answersFor(at.Instrument, jittered, rng)); err != nil {
		return err
	}
	s.clock.Advance(time.Duration(12+rng.IntN(8)) * time.Minute)
	_, err = s.a.Assess.Submit(ctx, u.ID, at.ID)
	return err
}

// readLesson opens a lesson the way the reader does (the catalog checks access), reads it for
// the session's minutes and reports them (one report, where the web app sends one a minute),
// completing the lesson when the session says so.
func (s *story) readLesson(ctx context.Context, email string, r read) error {
	u, err := s.mustUser(email)
	if err != nil {
		return err
	}
	m, err := s.module(ctx, r.module)
	if err != nil {
		return err
	}
	if r.lesson >= len(m.Lessons) {
		return fmt.Errorf("module %s has no lesson %d", r.module, r.lesson+1)
	}
	l := m.Lessons[r.lesson]
	if _, err := s.a.Catalog.Lesson(ctx, u.ID, r.module, l.Slug); err != nil {
		return err
	}
	s.clock.Advance(time.Duration(r.minutes) * time.Minute)
	status, pos := progress.StatusStarted, fmt.Sprintf("%d%%", 40+r.minutes)
	if r.done {
		status, pos = progress.StatusCompleted, "100%"
	}
	key := fmt.Sprintf("demo-%s-%d", l.ID, s.clock.Now().Unix())
	_, err = s.a.Progress.RecordLesson(ctx, u.ID, l.ID, progress.LessonUpdate{Status: status,
		Seconds: r.minutes * 60, Position: &pos, Key: key})
	return err
}

// seed makes each character's answers reproducible.
func seed(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
