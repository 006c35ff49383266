package practice

import "time"

// The "practice" section of the data export. Its shape is the learner's own view: reviewers are
// named as the learner sees them ("A former reviewer" once an account is gone), reviews appear
// once submitted, and each recording is named by its path in the ZIP.

type exportSection struct {
	Submissions    []exportSubmission    `json:"submissions"`
	ReviewsWritten []exportWrittenReview `json:"reviews_written"`
}

type exportActivity struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

type exportRecording struct {
	File            string   `json:"file"`
	ContentType     string   `json:"content_type"`
	Bytes           int64    `json:"bytes"`
	DurationSeconds *float64 `json:"duration_seconds"`
}

type exportSubmission struct {
	ID          string           `json:"id"`
	Activity    exportActivity   `json:"activity"`
	Attempt     int              `json:"attempt"`
	Status      Status           `json:"status"`
	Text        *string          `json:"text"`
	Recording   *exportRecording `json:"recording"`
	SelfReview  *SelfReview      `json:"self_review"`
	Reviews     []exportReview   `json:"reviews"`
	CreatedAt   time.Time        `json:"created_at"`
	SubmittedAt *time.Time       `json:"submitted_at"`
	ReviewedAt  *time.Time       `json:"reviewed_at"`
}

type exportReview struct {
	Reviewer    string     `json:"reviewer"`
	Role        ReviewRole `json:"role"`
	Scores      []Score    `json:"scores"`
	Comments    []Comment  `json:"comments"`
	Summary     string     `json:"summary"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

type exportWrittenReview struct {
	SubmissionID string     `json:"submission_id"`
	Activity     string     `json:"activity"`
	Role         ReviewRole `json:"role"`
	Scores       []Score    `json:"scores"`
	Comments     []Comment  `json:"comments"`
	Summary      string     `json:"summary"`
	CreatedAt    time.Time  `json:"created_at"`
	SubmittedAt  *time.Time `json:"submitted_at"`
}

func exportDoc(subs []ExportedSubmission, written []WrittenReview) exportSection {
	out := exportSection{Submissions: make([]exportSubmission, len(subs)), ReviewsWritten: make([]exportWrittenReview, len(written))}
	for i, x := range subs {
		s := x.Submission
		d := exportSubmission{ID: s.ID, Activity: exportActivity{Slug: x.Activity.Slug, Title: x.Activity.Title},
			Attempt: s.Attempt, Status: s.Status, SelfReview: s.SelfReview, Reviews: make([]exportReview, len(x.Reviews)),
			CreatedAt: s.CreatedAt, SubmittedAt: s.SubmittedAt, ReviewedAt: s.ReviewedAt}
		if s.Text != "" {
			t := s.Text
			d.Text = &t
		}
		if r := s.Recording; r != nil {
			d.Recording = &exportRecording{File: x.File, ContentType: r.ContentType, Bytes: r.Bytes, DurationSeconds: r.DurationSeconds}
		}
		for j, r := range x.Reviews {
			d.Reviews[j] = exportReview{Reviewer: r.ReviewerName, Role: r.Role, Scores: nonNil(r.Scores),
				Comments: nonNil(r.Comments), Summary: r.Summary, SubmittedAt: r.SubmittedAt}
		}
		out.Submissions[i] = d
	}
	for i, w := range written {
		out.ReviewsWritten[i] = exportWrittenReview{SubmissionID: w.SubmissionID, Activity: w.ActivityTitle, Role: w.Role,
			Scores: nonNil(w.Scores), Comments: nonNil(w.Comments), Summary: w.Summary, CreatedAt: w.CreatedAt,
			SubmittedAt: w.SubmittedAt}
	}
	return out
}

// nonNil makes an empty list export as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
