package progress

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// ReminderInterval is how often the reminder job looks for learners to remind. Hourly means
// every time zone's Friday 09:00 is reached within the hour.
const ReminderInterval = time.Hour

// SendWeeklyReminders queues one e-mail to every learner who wants reminders, whose local time
// (users.time_zone) is Friday 09:00 or later in the current week, who has not met their weekly
// goal and has not been reminded this week. The claim in reminder_log decides, so concurrent or
// repeated runs never mail anyone twice in a week. It returns how many mails it queued; a mail
// that cannot be queued releases its claim, so a later run tries again.
func (s *Service) SendWeeklyReminders(ctx context.Context, now time.Time) (int, error) {
	return jobs.Reminder[reminderRow]{
		Claim: func(ctx context.Context, now time.Time) ([]reminderRow, error) {
			return s.st.claimReminders(ctx, s.DB.Gorm, now.UTC())
		},
		Mail: s.queueReminder,
		Release: func(ctx context.Context, r reminderRow) error {
			return s.st.releaseReminder(ctx, s.DB.Gorm, r.UserID, r.WeekStart)
		},
		Who: func(r reminderRow) string { return r.UserID },
	}.Run(ctx, now)
}

func (s *Service) queueReminder(ctx context.Context, r reminderRow) error {
	m, err := mail.Render(r.Email, "weekly", map[string]any{
		"Name": r.Name, "Minutes": r.Minutes, "Goal": r.GoalMinutes, "Remaining": max(0, r.GoalMinutes-r.Minutes),
		"Link": s.PublicURL + "/dashboard",
	})
	if err != nil {
		return err
	}
	return s.Queue.Insert(ctx, mail.SendArgs{Message: m}, nil)
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
// service's clock; an error makes River retry the run (claims already mailed are kept, so a retry
// mails only the rest).
func NewReminderWorker(s *Service) *jobs.Periodic[ReminderArgs] {
	return &jobs.Periodic[ReminderArgs]{Run: s.SendWeeklyReminders, Now: s.Now, Log: s.Log, Done: "weekly reminders queued"}
}

// ReminderJob is the periodic job the app registers with River: one run per ReminderInterval,
// enqueued by the elected leader only, whatever the number of server processes.
func ReminderJob() *river.PeriodicJob {
	return jobs.Every(ReminderInterval, ReminderArgs{})
}
