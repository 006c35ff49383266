package teams

import "context"

// PracticeReader is what teams read of practice (role-plays reviewed on a rubric): each rep's
// submissions and observed scores for the report, whether a submission is evidence a rep may be
// recognised for, and how many attempts wait for each manager's review (the practice domain
// implements it, adapted in app). Every method answers for many people in one call.
type PracticeReader interface {
	// PracticeEvidence answers for every user at once: their submission counts and, per
	// competency a manager has reviewed, the observed score and the gap to their self-rating.
	PracticeEvidence(ctx context.Context, userIDs []string) (map[string]PracticeEvidence, error)
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

// Observed is a rep's observed score on one competency: the managers' mean rubric score on 0-100,
// and Gap, the rep's self-rating minus it (nil without a self-rating).
type Observed struct {
	Score float64
	Gap   *float64
}

// NoPractice is the PracticeReader of a process without practice: nobody has practised, no
// submission is evidence and nothing waits for review.
type NoPractice struct{}

// PracticeEvidence implements PracticeReader: no practice for anyone.
func (NoPractice) PracticeEvidence(context.Context, []string) (map[string]PracticeEvidence, error) {
	return map[string]PracticeEvidence{}, nil
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
