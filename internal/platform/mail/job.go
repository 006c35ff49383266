package mail

import (
	"context"

	"github.com/riverqueue/river"
)

// SendArgs is the River job that delivers one message. Retries use River's backoff.
type SendArgs struct {
	Message
}

// Kind names the job type in the queue.
func (SendArgs) Kind() string { return "send_email" }

// InsertOpts gives mail jobs a bounded number of attempts.
func (SendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// Worker delivers SendArgs jobs through a Sender.
type Worker struct {
	river.WorkerDefaults[SendArgs]
	Sender Sender
}

// Work sends the message; an error makes River retry later.
func (w *Worker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	return w.Sender.Send(ctx, job.Args.Message)
}
