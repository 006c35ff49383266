package teams

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// ReminderInterval is how often the assignment reminder job runs.
const ReminderInterval = time.Hour

// SendAssignmentReminders e-mails every rep whose assignment is due within ReminderLead of now
// (two days) and who has not been reminded of it yet, once: the claim is recorded on the
// assignment target before the mail is queued, so repeated or concurrent runs never mail twice.
// A rep who already finished the module is marked but not mailed. A mail that cannot be queued
// releases its claim for the next run. It returns how many mails it queued.
func (s *Service) SendAssignmentReminders(ctx context.Context, now time.Time) (int, error) {
	release := func(ctx context.Context, l DueReminder) error {
		return s.store.ReleaseReminder(ctx, l.AssignmentID, l.UserID)
	}
	return jobs.Reminder[DueReminder]{
		Claim: func(ctx context.Context, now time.Time) ([]DueReminder, error) {
			lines, err := s.store.ClaimReminders(ctx, now.UTC(), ReminderLead)
			if err != nil || len(lines) == 0 {
				return nil, err
			}
			return s.notDone(ctx, lines, now, release)
		},
		Mail: func(ctx context.Context, l DueReminder) error {
			return s.mail(ctx, s.store, l.Email, "assignment_reminder", map[string]any{
				"Name": l.Name, "TeamName": l.TeamName, "ModuleTitle": l.ModuleTitle,
				"Due":  l.DueAt.UTC().Format("Monday 2 January 2006, 15:04 UTC"),
				"Link": s.PublicURL + "/modules/" + l.ModuleSlug,
			})
		},
		Release: release,
		Who:     func(l DueReminder) string { return l.UserID },
	}.Run(ctx, now)
}

// notDone keeps the claimed lines whose rep has not finished the module yet; the others stay
// claimed (marked) without a mail. When progress cannot be read, every claim is released.
func (s *Service) notDone(ctx context.Context, lines []DueReminder, now time.Time,
	release func(context.Context, DueReminder) error) ([]DueReminder, error) {
	var users, modules []string
	for _, l := range lines {
		users, modules = append(users, l.UserID), append(modules, l.ModuleID)
	}
	counts, err := s.moduleProgress(ctx, users, modules)
	if err != nil {
		for _, l := range lines {
			err = errors.Join(err, release(ctx, l))
		}
		return nil, err
	}
	return slices.DeleteFunc(lines, func(l DueReminder) bool {
		return counts[l.UserID][l.ModuleID].StatusAt(l.DueAt, now) == StatusDone
	}), nil
}

// ReminderArgs is the periodic River job that runs SendAssignmentReminders.
type ReminderArgs struct{}

// Kind names the job type in the queue.
func (ReminderArgs) Kind() string { return "teams_assignment_reminders" }

// InsertOpts makes a pending run unique per interval, so a backlog never piles up runs.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return jobs.OncePer(ReminderInterval)
}

// NewReminderWorker is the River worker of ReminderArgs: each run calls SendAssignmentReminders at the
// service's clock; an error makes River retry the run (claims already mailed are kept, so a retry
// mails only the rest).
func NewReminderWorker(s *Service) *jobs.Periodic[ReminderArgs] {
	return &jobs.Periodic[ReminderArgs]{Run: s.SendAssignmentReminders, Now: s.Now, Log: s.Log, Done: "assignment reminders queued"}
}

// ReminderJob is the periodic job the app registers with River: hourly, enqueued by the elected
// leader only, however many server processes run.
func ReminderJob() *river.PeriodicJob {
	return jobs.Every(ReminderInterval, ReminderArgs{})
}
