package pulse

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// InviteArgs is the River job that e-mails a buyer their pulse link. It is the only place the
// buyer's address ever lives, and only until the mail is sent: the worker then replaces the
// arguments with the pulse id (River keeps finished jobs for a while, so deleting nothing would
// keep the address and the link in river_job).
type InviteArgs struct {
	PulseID string       `json:"pulse_id"`
	Message mail.Message `json:"message"`
}

// Kind names the job type in the queue.
func (InviteArgs) Kind() string { return "pulse_invite" }

// InsertOpts gives the invitation a bounded number of attempts, like every mail.
func (InviteArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// InviteWorker delivers InviteArgs jobs.
type InviteWorker struct {
	river.WorkerDefaults[InviteArgs]
	sender mail.Sender
	store  *Store
	log    *slog.Logger
}

// NewInviteWorker returns the worker of the invitation jobs, sending through sender.
func NewInviteWorker(s *Service, sender mail.Sender) *InviteWorker {
	return &InviteWorker{sender: sender, store: s.store, log: s.Log}
}

// Work sends the invitation, then forgets the address. A failed send is retried with River's
// backoff; the error River records never names the address. After the last attempt the
// address is forgotten too.
func (w *InviteWorker) Work(ctx context.Context, job *river.Job[InviteArgs]) error {
	to := job.Args.Message.To
	err := w.sender.Send(ctx, job.Args.Message)
	if err != nil {
		err = errors.New(strings.ReplaceAll(err.Error(), to, "<buyer>"))
		if job.Attempt < job.MaxAttempts {
			return err
		}
	}
	if ferr := w.store.ForgetInvite(ctx, job.ID, job.Args.PulseID); ferr != nil {
		// The mail went out: failing the job would send it again. The address stays in this
		// one finished job until River prunes it, which the log says so someone can act.
		w.log.ErrorContext(ctx, "pulse invitation sent but its address could not be cleared",
			"job_id", job.ID, "pulse_id", job.Args.PulseID, "error", ferr.Error())
	}
	return err
}
