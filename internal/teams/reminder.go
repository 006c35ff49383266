package teams

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// ReminderInterval is how often the assignment reminder job runs.
const ReminderInterval = time.Hour

// SendAssignmentReminders e-mails every rep whose assignment is due within ReminderLead of now
// (two days) and who has not been reminded of it yet, once: the claim is recorded on the
// assignment target before the mail is queued, so repeated or concurrent runs never mail twice.
// A rep who already finished the module is marked but not mailed. A mail that cannot be queued
// releases its claim for the next run. It returns how many mails it queued.
func (s *Service) SendAssignmentReminders(ctx context.Context, now time.Time) (int, error) {
	lines, err := s.st.claimReminders(ctx, s.DB.Gorm, now.UTC(), ReminderLead)
	if err != nil || len(lines) == 0 {
		return 0, err
	}
	var users, modules []string
	for _, l := range lines {
		users, modules = append(users, l.UserID), append(modules, l.ModuleID)
	}
	counts, err := s.moduleProgress(ctx, users, modules)
	if err != nil {
		for _, l := range lines {
			err = errors.Join(err, s.st.releaseReminder(ctx, s.DB.Gorm, l.AssignmentID, l.UserID))
		}
		return 0, err
	}
	sent := 0
	var errs []error
	for _, l := range lines {
		if assignmentStatus(counts[l.UserID][l.ModuleID], l.DueAt, now) == StatusDone {
			continue
		}
		err := s.queueMail(ctx, l.Email, "assignment_reminder", map[string]any{
			"Name": l.Name, "TeamName": l.TeamName, "ModuleTitle": l.ModuleTitle,
			"Due":  l.DueAt.UTC().Format("Monday 2 January 2006, 15:04 UTC"),
			"Link": s.PublicURL + "/modules/" + l.ModuleSlug,
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("reminder for %s: %w", l.UserID, err))
			if rerr := s.st.releaseReminder(ctx, s.DB.Gorm, l.AssignmentID, l.UserID); rerr != nil {
				errs = append(errs, rerr)
			}
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// ReminderArgs is the periodic River job that runs SendAssignmentReminders.
type ReminderArgs struct{}

// Kind names the job type in the queue.
func (ReminderArgs) Kind() string { return "teams_assignment_reminders" }

// InsertOpts makes a pending run unique per interval, so a backlog never piles up runs.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: ReminderInterval}}
}

// ReminderWorker runs ReminderArgs jobs.
type ReminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	Service *Service
}

// Work sends this hour's reminders; an error makes River retry (claims already mailed are kept).
func (w *ReminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	n, err := w.Service.SendAssignmentReminders(ctx, w.Service.Now())
	if n > 0 {
		w.Service.Log.InfoContext(ctx, "assignment reminders queued", "count", n)
	}
	return err
}

// ReminderJob is the periodic job the app registers with River: hourly, enqueued by the elected
// leader only, however many server processes run.
func ReminderJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(ReminderInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ReminderArgs{}, nil },
		&river.PeriodicJobOpts{ID: ReminderArgs{}.Kind()})
}
