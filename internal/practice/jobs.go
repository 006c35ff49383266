package practice

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// SubmittedArgs is the job a submission queues, in the transaction that submits it: it e-mails
// the learner's managers a link to review. Managers are looked up when it runs, so the job holds
// no address.
type SubmittedArgs struct {
	SubmissionID string `json:"submission_id"`
}

// Kind names the job type in the queue.
func (SubmittedArgs) Kind() string { return "practice_submitted" }

// InsertOpts bounds the attempts like every mail.
func (SubmittedArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// SubmittedWorker queues one e-mail per manager (each then retried on its own).
type SubmittedWorker struct {
	river.WorkerDefaults[SubmittedArgs]
	svc *Service
}

// NewSubmittedWorker returns the worker of SubmittedArgs jobs.
func NewSubmittedWorker(s *Service) *SubmittedWorker { return &SubmittedWorker{svc: s} }

// Work queues the managers' e-mails in one transaction. A submission deleted before the job runs
// e-mails nobody.
func (w *SubmittedWorker) Work(ctx context.Context, job *river.Job[SubmittedArgs]) error {
	s := w.svc
	sub, err := s.store.FindSubmission(ctx, job.Args.SubmissionID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	acts, err := s.store.FindActivitiesByID(ctx, []string{sub.ActivityID})
	if err != nil {
		return err
	}
	managers, err := s.teams.Managers(ctx, sub.UserID)
	if err != nil || len(managers) == 0 {
		return err
	}
	link := s.public + "/reviews/" + sub.ID
	return s.store.Tx(ctx, func(st *Store) error {
		for _, m := range managers {
			msg, err := mail.Render(m.Email, "practice_submitted", map[string]any{
				"Name": m.Name, "RepName": sub.OwnerName, "Activity": acts[sub.ActivityID].Title,
				"Attempt": strconv.Itoa(sub.Attempt), "Link": link, "Verb": sub.ReviewVerb()})
			if err != nil {
				return err
			}
			if err := st.InsertJob(ctx, mail.SendArgs{Message: msg}); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteRecordingArgs deletes a recording's file from storage. It is queued in the transaction
// that stops referencing the file (re-recording, deleting the submission), so no file outlives
// its row even when storage is down at that moment; River retries until storage answers.
type DeleteRecordingArgs struct {
	Key string `json:"key"`
}

// Kind names the job type in the queue.
func (DeleteRecordingArgs) Kind() string { return "practice_delete_recording" }

// InsertOpts retries for about a week with River's backoff.
func (DeleteRecordingArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 25} }

// DeleteRecordingWorker deletes recordings' files (a file already gone counts as deleted).
type DeleteRecordingWorker struct {
	river.WorkerDefaults[DeleteRecordingArgs]
	svc *Service
}

// NewDeleteRecordingWorker returns the worker of DeleteRecordingArgs jobs.
func NewDeleteRecordingWorker(s *Service) *DeleteRecordingWorker {
	return &DeleteRecordingWorker{svc: s}
}

// Work deletes the file.
func (w *DeleteRecordingWorker) Work(ctx context.Context, job *river.Job[DeleteRecordingArgs]) error {
	return w.svc.bucket.Delete(ctx, job.Args.Key)
}
