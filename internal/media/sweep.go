package media

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// SweepInterval is how often abandoned resumable uploads are looked for.
const SweepInterval = time.Hour

// SweepArgs is the periodic River job that runs SweepUploads.
type SweepArgs struct{}

// Kind names the job type in the queue.
func (SweepArgs) Kind() string { return "media_sweep_uploads" }

// InsertOpts makes a pending run unique, so a backlog never piles up duplicate runs.
func (SweepArgs) InsertOpts() river.InsertOpts { return jobs.OncePer(SweepInterval) }

// NewSweepWorker is the River worker of SweepArgs: each run calls SweepUploads at the service's
// clock; an error makes River retry (what was removed stays removed).
func NewSweepWorker(s *Service) *jobs.Periodic[SweepArgs] {
	return &jobs.Periodic[SweepArgs]{Run: s.SweepUploads, Now: s.now, Log: s.log, Done: "abandoned uploads removed"}
}

// SweepJob is the periodic job the app registers with River.
func SweepJob() *river.PeriodicJob { return jobs.Every(SweepInterval, SweepArgs{}) }
