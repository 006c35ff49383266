package teams

import "context"

// PracticeReader is what teams read of practice (role-plays reviewed on a rubric): each rep's
// submissions and observed scores for the report, whether a submission is evidence a rep may be
// recognised for, and how many attempts wait for each manager's review (the practice domain
// implements it, adapted in app). Every method answers for many people in one call.
type PracticeReader interface {
	// ObservedWindow is how many of a rep's latest reviewed submissions per competency the
	// observed score averages (the team report reads them in its own statement).
	ObservedWindow() int
	// ObservedScores turns a rep's self-ratings (0-100, per competency) and the managers' mean
	// rubric scores (per competency a manager has scored) into observed scores and gaps.
	ObservedScores(self map[string]float64, means map[string]ObservedMean) map[string]Observed
	// ReviewedSubmissionOf reports whether submissionID is a reviewed submission of userID and,
	// when it is, the title of its activity.
	ReviewedSubmissionOf(ctx context.Context, submissionID, userID string) (title string, ok bool, err error)
	// ReviewsWaiting counts, per manager, the submissions of the reps they manage (reps keyed by
	// manager) that wait for a manager's review and that this manager has not reviewed.
	ReviewsWaiting(ctx context.Context, reps map[string][]string) (map[string]int, error)
}

// PracticeEvidence is what a manager sees of a rep's practice.
type PracticeEvidence struct {
	Submitted      int
	Reviewed       int
	AwaitingReview int
	// Observed is keyed by competency; a competency no manager has scored is absent.
	Observed map[string]Observed
}

// ObservedMean is the managers' mean rubric score (1-5) on one competency over a rep's latest
// reviewed submissions, and how many reviews it averages.
type ObservedMean struct {
	Mean    float64
	Reviews int
}

// Observed is a rep's observed score on one competency: the managers' mean rubric score on 0-100,
// and Gap, the rep's self-rating minus it (nil without a self-rating).
type Observed struct {
	Score float64
	Gap   *float64
}

// NoPractice is the PracticeReader of a process without practice: nobody has practised, no
// submission is evidence and nothing waits for review.
type NoPractice struct{}

// ObservedWindow implements PracticeReader: nothing is observed.
func (NoPractice) ObservedWindow() int { return 0 }

// ObservedScores implements PracticeReader: nothing is observed.
func (NoPractice) ObservedScores(map[string]float64, map[string]ObservedMean) map[string]Observed {
	return map[string]Observed{}
}

// ReviewedSubmissionOf implements PracticeReader: no submission.
func (NoPractice) ReviewedSubmissionOf(context.Context, string, string) (string, bool, error) {
	return "", false, nil
}

// ReviewsWaiting implements PracticeReader: nothing waits.
func (NoPractice) ReviewsWaiting(context.Context, map[string][]string) (map[string]int, error) {
	return map[string]int{}, nil
}

// round1Ptr rounds to one decimal, as the report shows scores (nil stays nil).
func round1Ptr(x *float64) *float64 {
	if x == nil {
		return nil
	}
	v := round1(*x)
	return &v
}
