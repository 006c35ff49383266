// Package review owns learners' answers to knowledge checks and their spaced review schedule
// (Leitner boxes, API.md § "Knowledge checks and spaced review").
package review

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Boxes and their intervals: a check in box n comes back Intervals[n-1] after its last scheduled
// answer. A wrong answer puts a check in box 1; a right one moves it up a box, up to the last.
var Intervals = [...]time.Duration{24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 16 * 24 * time.Hour, 35 * 24 * time.Hour}

// Box limits.
const (
	FirstBox = 1
	LastBox  = len(Intervals)
	// MaxDue is how many due checks one review page shows.
	MaxDue = 10
	// SecondsPerCheck is the time a review answer takes, for "about N minutes".
	SecondsPerCheck = 40
	// MaxSeconds bounds the seconds one answer may add to the weekly minutes.
	MaxSeconds = 600
)

// Card is a learner's schedule for one check. The zero Card (Box 0) is a check never answered.
type Card struct {
	UserID     string
	CheckID    string
	Box        int
	DueAt      time.Time
	AnsweredAt time.Time
}

// New reports whether the learner has never answered the check.
func (c Card) New() bool { return c.Box < FirstBox }

// Due reports whether the check is up for review at now.
func (c Card) Due(now time.Time) bool { return !c.New() && !now.Before(c.DueAt) }

// Answer applies one answer given at at and returns the new card and whether the answer moved the
// schedule. The rule:
//   - a first answer (from the lesson) starts the schedule: wrong → box 1, right → box 2, as if the
//     check had been in box 1;
//   - an answer to a due check reschedules it: wrong → box 1, right → up one box (the last box
//     stays the last);
//   - an answer to a check that is not due yet (read again in the lesson, or answered twice) never
//     moves it up, so answering until right cannot game the schedule; a wrong one still sends it
//     back to box 1, because forgetting is news the schedule should act on.
//
// The check is due again its box's interval after the answer that scheduled it.
func (c Card) Answer(correct bool, at time.Time) (Card, bool) {
	switch {
	case c.New() && correct:
		c.Box = FirstBox + 1
	case !correct:
		c.Box = FirstBox
	case !c.Due(at):
		c.AnsweredAt = at
		return c, false
	default:
		c.Box = min(c.Box+1, LastBox)
	}
	c.DueAt, c.AnsweredAt = at.Add(Intervals[c.Box-1]), at
	return c, true
}

// Queue is a learner's review queue at a moment.
type Queue struct {
	// Due are the first MaxDue due cards, longest overdue first.
	Due []Card
	// DueCount counts every due card.
	DueCount int
	// NextDueAt is when the next card not due yet falls due, nil when none is waiting.
	NextDueAt *time.Time
}

// NewQueue orders a learner's cards into a queue at now. live tells which checks still exist in a
// published lesson the learner may read; the others leave the queue (a check removed in a new
// version is no longer reviewed).
func NewQueue(cards []Card, live func(checkID string) bool, now time.Time) Queue {
	var due, later []Card
	for _, c := range cards {
		switch {
		case c.New() || !live(c.CheckID):
		case c.Due(now):
			due = append(due, c)
		default:
			later = append(later, c)
		}
	}
	byDue := func(a, b Card) int {
		if d := a.DueAt.Compare(b.DueAt); d != 0 {
			return d
		}
		return strings.Compare(a.CheckID, b.CheckID)
	}
	slices.SortFunc(due, byDue)
	q := Queue{Due: due[:min(len(due), MaxDue)], DueCount: len(due)}
	if len(later) > 0 {
		next := slices.MinFunc(later, byDue).DueAt
		q.NextDueAt = &next
	}
	return q
}

// Minutes is about how long n review answers take, in whole minutes (at least 1 when n > 0).
func Minutes(n int) int {
	return int(math.Ceil(float64(n*SecondsPerCheck) / 60))
}
