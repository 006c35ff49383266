package progress

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// ReminderInterval is how often the reminder job looks for learners to remind. Hourly means
// every time zone's Friday 09:00 is reached within the hour.
const ReminderInterval = time.Hour

// readingLookback covers a learner's current week in any time zone when reading is summed for
// reminders (a week, plus the widest distance between zones).
const readingLookback = 8 * 24 * time.Hour

// SendWeeklyReminders queues one e-mail to every learner who wants reminders, whose wall clock is
// Friday 09:00 or later in their current week, who has not met their weekly goal and has not been
// reminded this week (ReminderCandidate holds these rules). Each learner's claim in reminder_log
// and their mail commit in one transaction: concurrent or repeated runs never mail anyone twice in
// a week, and a mail that cannot be queued leaves no claim, so a later run tries again. It
// returns how many mails it queued and every learner's failure, joined.
func (s *Service) SendWeeklyReminders(ctx context.Context, now time.Time) (int, error) {
	cands, err := s.store.FindReminderCandidates(ctx, now.UTC())
	if err != nil {
		return 0, err
	}
	var inWindow []ReminderCandidate
	var ids []string
	for _, c := range cands {
		if c.InWindow() {
			inWindow = append(inWindow, c)
			ids = append(ids, c.UserID)
		}
	}
	if len(inWindow) == 0 {
		return 0, nil
	}
	reading, err := s.store.FindReadingDays(ctx, ids, now.Add(-readingLookback), now)
	if err != nil {
		return 0, err
	}
	reviews, err := s.reviews.DueReviews(ctx, ids, now.UTC())
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, c := range inWindow {
		minutes, due := c.DueFor(reading[c.UserID])
		if !due {
			continue
		}
		var claimed bool
		err := s.store.Tx(ctx, func(st *Store) error {
			var err error
			if claimed, err = st.ClaimReminder(ctx, c.UserID, c.Week(), now.UTC()); err != nil || !claimed {
				return err
			}
			m, err := mail.Render(c.Email, "weekly", map[string]any{
				"Name": c.Name, "Minutes": minutes, "Goal": c.Goal.Minutes, "Remaining": max(0, c.Goal.Minutes-minutes),
				"Link": s.publicURL + "/dashboard", "Reviews": reviews[c.UserID].Count, "ReviewMinutes": reviews[c.UserID].Minutes,
				"ReviewLink": s.publicURL + "/review",
			})
			if err != nil {
				return err
			}
			return st.EnqueueMail(ctx, m)
		})
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("reminder for %s: %w", c.UserID, err))
		case claimed:
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// ReminderArgs is the periodic River job that runs SendWeeklyReminders.
type ReminderArgs struct{}

// Kind names the job type in the queue.
func (ReminderArgs) Kind() string { return "progress_weekly_reminders" }

// InsertOpts makes a pending run unique, so a backlog never piles up duplicate runs.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return jobs.OncePer(ReminderInterval)
}

// NewReminderWorker is the River worker of ReminderArgs: each run calls SendWeeklyReminders at the
// service's clock; an error makes River retry the run (learners already mailed keep their claims,
// so a retry mails only the rest).
func NewReminderWorker(s *Service) *jobs.Periodic[ReminderArgs] {
	return &jobs.Periodic[ReminderArgs]{Run: s.SendWeeklyReminders, Now: s.now, Log: s.log, Done: "weekly reminders queued"}
}

// ReminderJob is the periodic job the app registers with River: one run per ReminderInterval,
// enqueued by the elected leader only, whatever the number of server processes.
func ReminderJob() *river.PeriodicJob {
	return jobs.Every(ReminderInterval, ReminderArgs{})
}
