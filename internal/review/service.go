package review

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Check is a knowledge check as the catalog publishes it: the answer and explanations stay on the
// server until the learner answers.
type Check struct {
	ID       string
	Prompt   string
	Options  []Option
	Answer   string
	LessonID string
	Lesson   LessonRef
}

// Option is one answer a learner can choose.
type Option struct {
	ID          string
	Text        string
	Explanation string
}

// LessonRef names the lesson a check belongs to.
type LessonRef struct {
	ModuleSlug string
	Slug       string
	Title      string
}

// Option returns the check's option with the id.
func (c Check) Option(id string) (Option, bool) {
	for _, o := range c.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Checks reads checks from the catalog: those of lessons in their module's latest published
// version (the catalog implements it; an adapter in app converts its types).
type Checks interface {
	// Check returns one check the learner may read: NotFound when no published lesson holds it,
	// PaymentRequired when its lesson is premium and the learner has no access.
	Check(ctx context.Context, userID, checkID string) (Check, error)
	// Readable returns, by id, the checks among ids the learner may read now.
	Readable(ctx context.Context, userID string, ids []string) (map[string]Check, error)
}

// Published tells which checks a published lesson still holds, whoever reads them (the reminder
// counts due reviews for many learners at once).
type Published interface {
	PublishedCheckIDs(ctx context.Context, ids []string) (map[string]bool, error)
}

// StudyTime adds review time to the learner's weekly minutes and streak (progress implements it).
// key identifies the answer, so a retried call adds the time once.
type StudyTime interface {
	AddStudySeconds(ctx context.Context, userID, lessonID, key string, seconds int) error
}

// NoStudyTime is a StudyTime for processes that keep no weekly minutes.
type NoStudyTime struct{}

// AddStudySeconds implements StudyTime.
func (NoStudyTime) AddStudySeconds(context.Context, string, string, string, int) error { return nil }

// Deps are what the review service needs; every one is required.
type Deps struct {
	DB     *db.DB
	Now    func() time.Time
	Checks Checks
	Time   StudyTime
}

// Service implements answering checks and the review queue.
type Service struct {
	store  *Store
	now    func() time.Time
	checks Checks
	time   StudyTime
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	return &Service{store: NewStore(d.DB), now: d.Now, checks: d.Checks, time: d.Time}
}

// Result is what a learner learns from an answer.
type Result struct {
	Correct         bool
	CorrectOptionID string
	// Explanation explains the chosen option.
	Explanation string
}

// Answer records a learner's answer to a check and applies the Leitner rule (Card.Answer) to
// their card, in one transaction. Its seconds then count toward the weekly minutes, once per
// answer.
func (s *Service) Answer(ctx context.Context, userID, checkID, optionID string, seconds int) (Result, error) {
	if seconds < 0 || seconds > MaxSeconds {
		return Result{}, apperr.InvalidFields(apperr.Field("seconds", fmt.Sprintf("Send between 0 and %d seconds.", MaxSeconds)))
	}
	c, err := s.checks.Check(ctx, userID, checkID)
	if err != nil {
		return Result{}, err
	}
	opt, ok := c.Option(optionID)
	if !ok {
		return Result{}, apperr.InvalidFields(apperr.Field("option_id", "Choose one of this check’s options."))
	}
	now := s.now().UTC()
	a := Answer{CheckID: c.ID, OptionID: opt.ID, Correct: opt.ID == c.Answer, Seconds: seconds, At: now}
	err = s.store.Tx(ctx, func(st *Store) error {
		card, err := st.LockCard(ctx, userID, c.ID)
		if err != nil {
			return err
		}
		card, a.Scheduled = card.Answer(a.Correct, now)
		if err := st.SaveCard(ctx, card); err != nil {
			return err
		}
		return st.CreateAnswer(ctx, userID, &a)
	})
	if err != nil {
		return Result{}, err
	}
	if seconds > 0 {
		if err := s.time.AddStudySeconds(ctx, userID, c.LessonID, "review:"+a.ID, seconds); err != nil {
			return Result{}, err
		}
	}
	return Result{Correct: a.Correct, CorrectOptionID: c.Answer, Explanation: opt.Explanation}, nil
}

// DueCheck is a due check with its lesson.
type DueCheck struct {
	Check
	DueAt time.Time
}

// Page is the learner's review page.
type Page struct {
	Due       []DueCheck
	DueCount  int
	NextDueAt *time.Time
}

// Queue reads the learner's review page: their cards ordered by NewQueue, with the checks that
// are still published and readable (two queries, three with premium checks).
func (s *Service) Queue(ctx context.Context, userID string) (Page, error) {
	cards, err := s.store.FindCards(ctx, userID)
	if err != nil {
		return Page{}, err
	}
	ids := make([]string, len(cards))
	for i, c := range cards {
		ids[i] = c.CheckID
	}
	checks, err := s.checks.Readable(ctx, userID, ids)
	if err != nil {
		return Page{}, err
	}
	q := NewQueue(cards, func(id string) bool { _, ok := checks[id]; return ok }, s.now().UTC())
	p := Page{DueCount: q.DueCount, NextDueAt: q.NextDueAt, Due: make([]DueCheck, len(q.Due))}
	for i, c := range q.Due {
		p.Due[i] = DueCheck{Check: checks[c.CheckID], DueAt: c.DueAt}
	}
	return p, nil
}

// Counter counts learners' due reviews for the weekly reminder. It needs only the review tables
// and the catalog's published checks, so it exists before the services that read progress.
type Counter struct {
	store     *Store
	published Published
}

// NewCounter builds the counter.
func NewCounter(d *db.DB, p Published) *Counter { return &Counter{store: NewStore(d), published: p} }

// DueCounts returns how many checks each learner has due at at, counting only checks a published
// lesson still holds (two queries, whatever the number of learners).
func (c *Counter) DueCounts(ctx context.Context, userIDs []string, at time.Time) (map[string]int, error) {
	due, err := c.store.FindDueCheckIDs(ctx, userIDs, at)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, list := range due {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	live, err := c.published.PublishedCheckIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(due))
	for uid, list := range due {
		for _, id := range list {
			if live[id] {
				out[uid]++
			}
		}
	}
	return out, nil
}
