package teams

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// The weekly digest: once a week each manager who keeps weekly e-mails on (the account's
// weekly_reminders setting, the same switch as the learners' reminder) gets one e-mail covering
// every team they manage: the wins worth recognising of the last DigestWindow and the reps not
// recognised within RecognitionGapWindow, with a link to each team's page, and how many practice
// attempts of their reps wait for their review, with a link to the review queue.

const (
	// DigestInterval is how often the digest job looks for managers who are due. Hourly means
	// every time zone's DigestAfter is reached within the hour.
	DigestInterval = time.Hour
	// DigestAfter is when in a manager's week (from Monday 00:00 on their wall clock) the digest
	// is due: Friday 09:00, the moment the learners' weekly reminder uses (progress.ReminderAfter;
	// internal/app checks that the two agree).
	DigestAfter = 4*24*time.Hour + 9*time.Hour
	// DigestWindow is how far back the digest looks for wins.
	DigestWindow = 7 * 24 * time.Hour
	// PulseWinAverage is the mean Buyer Pulse answer (1-5, over the three questions) that makes a
	// rep's week a win.
	PulseWinAverage = 4.0
	// pulseWinMinAnswers is the fewest answers a pulse win needs: the minimum from which a manager
	// sees a rep's pulse averages at all, so the digest never reveals one buyer's answer.
	pulseWinMinAnswers = 3
	// ReviewQueuePath is the SPA page listing the practice attempts awaiting the caller's review.
	ReviewQueuePath = "/practice/reviews"
)

// DueDigest is one manager claimed for this week's digest.
type DueDigest struct {
	UserID    string
	WeekStart time.Time
	Email     string
	Name      string
}

// PulseWin is a rep's good Buyer Pulse week.
type PulseWin struct {
	UserID  string
	Answers int
	Average float64
	LastAt  time.Time
}

// DigestTeam is one managed team's part of a digest.
type DigestTeam struct {
	Name string
	Link string
	// Completed lists "rep: module" wins; Pulses lists reps with a good pulse week.
	Completed []DigestLine
	Pulses    []DigestLine
	Gaps      []DigestLine
}

// DigestLine is one rep in a digest with what to say about them.
type DigestLine struct {
	Name   string
	Detail string
}

// Quiet reports whether the team has neither wins nor gaps this week.
func (t DigestTeam) Quiet() bool { return len(t.Completed)+len(t.Pulses)+len(t.Gaps) == 0 }

// NoWins reports whether the team has no wins this week.
func (t DigestTeam) NoWins() bool { return len(t.Completed)+len(t.Pulses) == 0 }

// digestTeam builds a team's part of a manager's digest from its learners (the manager left
// out: the digest is about their reps), their module completions and pulse wins. A win counts
// only when it came after the rep was last recognised in this team, as the recognition prompts.
// A team without reps has nothing to report: ok is false.
func digestTeam(t Team, link, managerID string, learners []Learner, done []Completion,
	pulses map[string]PulseWin, now time.Time) (_ DigestTeam, ok bool) {
	since := now.Add(-DigestWindow)
	out := DigestTeam{Name: t.Name, Link: link}
	reps := make([]Learner, 0, len(learners))
	byID := map[string]Learner{}
	for _, l := range learners {
		if l.UserID != managerID {
			reps = append(reps, l)
			byID[l.UserID] = l
		}
	}
	if len(reps) == 0 {
		return out, false
	}
	completed := append([]Completion(nil), done...)
	sort.SliceStable(completed, func(i, j int) bool { return completed[i].At.Before(completed[j].At) })
	for _, c := range completed {
		if l, ok := byID[c.UserID]; ok && l.promptable(c.At, since) {
			out.Completed = append(out.Completed, DigestLine{Name: l.Name, Detail: "completed " + c.ModuleTitle})
		}
	}
	for _, l := range reps {
		if w, ok := pulses[l.UserID]; ok && l.promptable(w.LastAt, since) {
			out.Pulses = append(out.Pulses, DigestLine{Name: l.Name,
				Detail: fmt.Sprintf("buyers rated their meetings %.1f out of 5 on average (%d answers)", w.Average, w.Answers)})
		}
	}
	for _, g := range RecognitionGaps(reps, now) {
		detail := "never recognised in this team"
		if g.LastRecognisedAt != nil {
			detail = "last recognised " + g.LastRecognisedAt.UTC().Format("2 January 2006")
		}
		out.Gaps = append(out.Gaps, DigestLine{Name: g.Name, Detail: detail})
	}
	return out, true
}

// SendManagerDigests e-mails every manager due this week's digest (ClaimDigests holds the rules)
// once: the claim is logged before the mail is queued, so repeated or concurrent runs never mail
// twice, and a mail that cannot be queued (or whose content cannot be read) releases its claim
// for the next run. Progress and pulses are read for every claimed manager's reps at once. It
// returns how many mails it queued.
func (s *Service) SendManagerDigests(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	var teams map[string][]DigestTeam
	var waiting map[string]int
	release := func(ctx context.Context, d DueDigest) error { return s.store.ReleaseDigest(ctx, d.UserID, d.WeekStart) }
	return jobs.Reminder[DueDigest]{
		Claim: func(ctx context.Context, now time.Time) ([]DueDigest, error) {
			due, err := s.store.ClaimDigests(ctx, now)
			if err != nil || len(due) == 0 {
				return nil, err
			}
			if teams, waiting, err = s.digestTeams(ctx, due, now); err != nil {
				for _, d := range due {
					err = errors.Join(err, release(ctx, d))
				}
				return nil, err
			}
			return due, nil
		},
		Mail: func(ctx context.Context, d DueDigest) error {
			ts := teams[d.UserID]
			return s.mail(ctx, s.store, d.Email, "manager_digest", map[string]any{
				"Name": d.Name, "Teams": ts, "Several": len(ts) > 1,
				"ReviewsWaiting": waiting[d.UserID], "ReviewsLink": s.PublicURL + ReviewQueuePath,
				"Settings": s.PublicURL + "/account",
			})
		},
		Release: release,
		Who:     func(d DueDigest) string { return d.UserID },
	}.Run(ctx, now)
}

// digestTeams reads every claimed manager's teams and builds their digests: one query for the
// teams, one per team for its learners (the recognition-gaps query), and one each for the
// completions, pulse wins and practice reviews waiting of all their reps together. It returns
// the digests and, per manager, how many practice attempts wait for their review.
func (s *Service) digestTeams(ctx context.Context, due []DueDigest, now time.Time) (map[string][]DigestTeam, map[string]int, error) {
	ids := make([]string, len(due))
	for i, d := range due {
		ids[i] = d.UserID
	}
	managed, err := s.store.FindManagedTeams(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	learners := map[string][]Learner{}
	var reps []string
	for _, ts := range managed {
		for _, t := range ts {
			if _, ok := learners[t.ID]; ok {
				continue
			}
			ls, err := s.store.FindLearners(ctx, t.ID, nil)
			if err != nil {
				return nil, nil, err
			}
			learners[t.ID] = ls
			for _, l := range ls {
				reps = append(reps, l.UserID)
			}
		}
	}
	reps = unique(reps)
	since := now.Add(-DigestWindow)
	done := map[string][]Completion{}
	pulses := map[string]PulseWin{}
	if len(reps) > 0 {
		cs, err := s.Progress.Completions(ctx, reps, since)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			done[c.UserID] = append(done[c.UserID], c)
		}
		if pulses, err = s.store.FindPulseWins(ctx, reps, since, now); err != nil {
			return nil, nil, err
		}
	}
	// Each manager's reps over all their teams (themselves left out: nobody reviews their own).
	managedReps := make(map[string][]string, len(managed))
	for mgr, ts := range managed {
		for _, t := range ts {
			for _, l := range learners[t.ID] {
				if l.UserID != mgr {
					managedReps[mgr] = append(managedReps[mgr], l.UserID)
				}
			}
		}
		managedReps[mgr] = unique(managedReps[mgr])
	}
	waiting := map[string]int{}
	if len(reps) > 0 {
		if waiting, err = s.Practice.ReviewsWaiting(ctx, managedReps); err != nil {
			return nil, nil, err
		}
	}
	out := make(map[string][]DigestTeam, len(managed))
	for mgr, ts := range managed {
		for _, t := range ts {
			var cs []Completion
			for _, l := range learners[t.ID] {
				cs = append(cs, done[l.UserID]...)
			}
			if d, ok := digestTeam(t, s.PublicURL+"/teams/"+t.ID, mgr, learners[t.ID], cs, pulses, now); ok {
				out[mgr] = append(out[mgr], d)
			}
		}
	}
	return out, waiting, nil
}

// DigestArgs is the periodic River job that runs SendManagerDigests.
type DigestArgs struct{}

// Kind names the job type in the queue.
func (DigestArgs) Kind() string { return "teams_manager_digests" }

// InsertOpts makes a pending run unique per interval, so a backlog never piles up runs.
func (DigestArgs) InsertOpts() river.InsertOpts {
	return jobs.OncePer(DigestInterval)
}

// NewDigestWorker is the River worker of DigestArgs: each run calls SendManagerDigests at the
// service's clock; an error makes River retry the run (managers already mailed keep their
// claims, so a retry mails only the rest).
func NewDigestWorker(s *Service) *jobs.Periodic[DigestArgs] {
	return &jobs.Periodic[DigestArgs]{Run: s.SendManagerDigests, Now: s.Now, Log: s.Log, Done: "manager digests queued"}
}

// DigestJob is the periodic job the app registers with River: hourly, enqueued by the elected
// leader only, however many server processes run.
func DigestJob() *river.PeriodicJob {
	return jobs.Every(DigestInterval, DigestArgs{})
}
