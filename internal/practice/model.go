// Package practice is role-plays and pitch practice with feedback. A learner responds to a buyer
// situation (a video or audio recording made in the browser, or a written response), scores
// themself on the activity's rubric and submits; the managers of every team where they hold a
// seat, and teammates they invite, review blind on the same rubric. The gap between the
// learner's own scores and the managers' is evidence of self-awareness.
//
// Blindness is a rule of this package, not of the web app: a reviewer's view of a submission has
// no self-review and no other reviewer's scores until they have submitted their own review (see
// Visibility).
package practice

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Limits of activities and of what learners and reviewers write.
const (
	MinTimeLimit = 30
	MaxTimeLimit = 600
	MinCriteria  = 3
	MaxCriteria  = 6
	MinScore     = 1
	MaxScore     = 5

	MaxSlugLen      = 80
	MaxTitleLen     = 200
	MaxBriefLen     = 20000
	MaxCriterionLen = 300
	MaxAnchorLen    = 500
	MaxCriterionID  = 60

	MaxTextLen     = 5000
	MaxNoteLen     = 1000
	MaxCommentLen  = 1000
	MaxComments    = 100
	MaxSummaryLen  = 5000
	MaxCommentAt   = 3600
	MaxPeerInvites = 20

	// DurationSlack is how far past the time limit a recorder's own count of seconds may go
	// (the countdown, the stop click) before it is capped.
	DurationSlack = 5
)

// FormerReviewer names the author of a review whose account was deleted.
const FormerReviewer = "A former reviewer"

// Competencies are the eight competency keys a rubric criterion may build (CURRICULUM.md).
var Competencies = []string{"self_awareness", "self_management", "social_awareness", "relationship_management",
	"job_diagnosis", "consensus_building", "prescriptive_guidance", "stakeholder_mapping"}

var (
	slugPattern        = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	criterionIDPattern = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)
)

// Kind is what a learner hands in.
type Kind string

// The kinds of activity.
const (
	KindVideo Kind = "video"
	KindAudio Kind = "audio"
	KindText  Kind = "text"
)

// Records reports whether the activity asks for a recording (a text activity asks for writing).
func (k Kind) Records() bool { return k == KindVideo || k == KindAudio }

// Status is where a submission is in the review loop.
type Status string

// The states of a submission, and NotStarted for an activity without one.
const (
	StatusDraft      Status = "draft"
	StatusSubmitted  Status = "submitted"
	StatusReviewed   Status = "reviewed"
	StatusNotStarted Status = "not_started"
)

// Anchors describe what a 1, a 3 and a 5 look like on a criterion.
type Anchors struct {
	One   string `json:"1"`
	Three string `json:"3"`
	Five  string `json:"5"`
}

// Criterion is one row of a rubric: an observable behaviour mapped to a competency.
type Criterion struct {
	ID         string  `json:"id"`
	Competency string  `json:"competency"`
	Criterion  string  `json:"criterion"`
	Anchors    Anchors `json:"anchors"`
}

// Rubric is an activity's 3-6 criteria, in the order they are scored.
type Rubric []Criterion

// Has reports whether the rubric has a criterion with this id.
func (r Rubric) Has(id string) bool {
	return slices.ContainsFunc(r, func(c Criterion) bool { return c.ID == id })
}

// Competency is the competency of criterion id ("" for an unknown id).
func (r Rubric) Competency(id string) string {
	for _, c := range r {
		if c.ID == id {
			return c.Competency
		}
	}
	return ""
}

// Validate lists every problem of the rubric, each under field+".<index>.<name>".
func (r Rubric) Validate(field string, f *apperr.Fields) {
	if len(r) < MinCriteria || len(r) > MaxCriteria {
		f.Add(field, fmt.Sprintf("A rubric has %d to %d criteria; this one has %d.", MinCriteria, MaxCriteria, len(r)))
	}
	seen := map[string]bool{}
	for i, c := range r {
		at := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case c.ID == "":
			f.Add(at+".id", "Give the criterion an id (lower-case letters, digits, - or _).")
		case len(c.ID) > MaxCriterionID || !criterionIDPattern.MatchString(c.ID):
			f.Add(at+".id", fmt.Sprintf("Use lower-case letters, digits, - or _ (at most %d characters).", MaxCriterionID))
		case seen[c.ID]:
			f.Add(at+".id", fmt.Sprintf("The id %q is used by another criterion of this rubric.", c.ID))
		}
		seen[c.ID] = true
		if !slices.Contains(Competencies, c.Competency) {
			f.Add(at+".competency", "Name one of the competencies: "+strings.Join(Competencies, ", ")+".")
		}
		checkText(f, at+".criterion", c.Criterion, "Describe the behaviour this criterion scores.", MaxCriterionLen)
		checkText(f, at+".anchors.1", c.Anchors.One, "Describe what a 1 looks like.", MaxAnchorLen)
		checkText(f, at+".anchors.3", c.Anchors.Three, "Describe what a 3 looks like.", MaxAnchorLen)
		checkText(f, at+".anchors.5", c.Anchors.Five, "Describe what a 5 looks like.", MaxAnchorLen)
	}
}

func checkText(f *apperr.Fields, field, v, empty string, max int) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		f.Add(field, empty)
	case utf8.RuneCountInString(v) > max:
		f.Add(field, fmt.Sprintf("Keep it to %d characters or fewer.", max))
	}
}

// Activity is a practice activity: a buyer situation, what to do within the time limit and the
// rubric it is scored on.
type Activity struct {
	ID    string
	Slug  string
	Title string
	// ModuleSlug is the module the activity belongs to ("" for none); it decides access.
	ModuleSlug   string
	Competencies []string
	Kind         Kind
	// Brief is the Markdown source; BriefHTML its sanitised rendering.
	Brief     string
	BriefHTML string
	// BuyerMediaID is the media item with the buyer's line to respond to (nil for none).
	BuyerMediaID     *string
	TimeLimitSeconds int
	Rubric           Rubric
	Position         int
	SourceHash       string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Validate lists every problem of the activity's own fields (the brief's rendering and the buyer
// media reference are checked where they are resolved).
func (a Activity) Validate() error {
	var f apperr.Fields
	switch {
	case a.Slug == "":
		f.Add("slug", "Give the activity a slug (lower-case words joined by hyphens).")
	case len(a.Slug) > MaxSlugLen || !slugPattern.MatchString(a.Slug):
		f.Add("slug", fmt.Sprintf("Use lower-case words joined by hyphens, at most %d characters.", MaxSlugLen))
	}
	checkText(&f, "title", a.Title, "Give the activity a title.", MaxTitleLen)
	if a.ModuleSlug != "" && !slugPattern.MatchString(a.ModuleSlug) {
		f.Add("module_slug", "Name the module by its slug (lower-case words joined by hyphens).")
	}
	if len(a.Competencies) == 0 {
		f.Add("competencies", "Name at least one competency the activity builds.")
	}
	for i, c := range a.Competencies {
		if !slices.Contains(Competencies, c) {
			f.Add("competencies["+strconv.Itoa(i)+"]", "Name one of the competencies: "+strings.Join(Competencies, ", ")+".")
		}
	}
	if a.Kind != KindVideo && a.Kind != KindAudio && a.Kind != KindText {
		f.Add("kind", "Choose video, audio or text.")
	}
	checkText(&f, "brief", a.Brief, "Write the brief: the buyer situation and what to do.", MaxBriefLen)
	if a.TimeLimitSeconds < MinTimeLimit || a.TimeLimitSeconds > MaxTimeLimit {
		f.Add("time_limit_seconds", fmt.Sprintf("Allow %d to %d seconds.", MinTimeLimit, MaxTimeLimit))
	}
	a.Rubric.Validate("rubric", &f)
	for i, c := range a.Rubric {
		if slices.Contains(Competencies, c.Competency) && len(a.Competencies) > 0 && !slices.Contains(a.Competencies, c.Competency) {
			f.Add("rubric["+strconv.Itoa(i)+"].competency", "List this competency in the activity's competencies too.")
		}
	}
	return f.Err()
}

// Score is one score on one criterion.
type Score struct {
	CriterionID string `json:"criterion_id"`
	Score       int    `json:"score"`
}

// checkScores lists scores out of range, duplicates and criteria the rubric does not have.
func checkScores(f *apperr.Fields, field string, scores []Score, r Rubric) {
	seen := map[string]bool{}
	for i, s := range scores {
		at := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case !r.Has(s.CriterionID):
			f.Add(at+".criterion_id", fmt.Sprintf("This activity's rubric has no criterion %q.", s.CriterionID))
		case seen[s.CriterionID]:
			f.Add(field, fmt.Sprintf("Score each criterion once; %q is scored twice.", s.CriterionID))
		}
		seen[s.CriterionID] = true
		if s.Score < MinScore || s.Score > MaxScore {
			f.Add(at+".score", fmt.Sprintf("Score from %d to %d.", MinScore, MaxScore))
		}
	}
}

// missingScores lists, under field, each criterion of r that scores does not score.
func missingScores(f *apperr.Fields, field string, scores []Score, r Rubric, who string) {
	for _, c := range r {
		if !slices.ContainsFunc(scores, func(s Score) bool { return s.CriterionID == c.ID }) {
			f.Add(field+"."+c.ID, fmt.Sprintf("%s score for %q is missing.", who, c.Criterion))
		}
	}
}

// SelfReview is the learner's own scores on the rubric and a note on what they noticed.
type SelfReview struct {
	Scores []Score `json:"scores"`
	Note   string  `json:"note,omitempty"`
}

// Normalize trims the note.
func (s SelfReview) Normalize() SelfReview {
	s.Note = strings.TrimSpace(s.Note)
	if s.Scores == nil {
		s.Scores = []Score{}
	}
	return s
}

// Validate checks the self-review against the activity's rubric (a partial one is allowed: it
// is saved as the learner goes; submitting asks for every criterion).
func (s SelfReview) Validate(r Rubric) error {
	var f apperr.Fields
	checkScores(&f, "scores", s.Scores, r)
	if utf8.RuneCountInString(s.Note) > MaxNoteLen {
		f.Add("note", fmt.Sprintf("Keep the note to %d characters or fewer.", MaxNoteLen))
	}
	return f.Err()
}

// Comment is a reviewer's remark, pinned to a moment of the recording when AtSeconds is set.
type Comment struct {
	AtSeconds *float64 `json:"at_seconds,omitempty"`
	Text      string   `json:"text"`
}

// Recording is where a submission's recording lives in storage and what it is.
type Recording struct {
	Key         string
	ContentType string
	Bytes       int64
	// DurationSeconds is the playing time when the file (or the recorder) says; nil otherwise.
	DurationSeconds *float64
}

// Submission is one attempt of a learner at an activity.
type Submission struct {
	ID         string
	ActivityID string
	UserID     string
	// OwnerName is the learner's name.
	OwnerName string
	Attempt   int
	Status    Status
	Recording *Recording
	// Text is the written response ("" for none).
	Text        string
	SelfReview  *SelfReview
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	ReviewedAt  *time.Time
}

// ReviewVerb is how a reviewer takes the attempt in, for the e-mail that asks for a review:
// a video is watched, an audio recording listened to, a written answer read.
func (s Submission) ReviewVerb() string {
	switch {
	case s.Recording == nil:
		return "Read it"
	case strings.HasPrefix(s.Recording.ContentType, "audio/"):
		return "Listen to it"
	default:
		return "Watch it"
	}
}

// CheckDraft refuses a change to a submission that is no longer a draft.
func (s Submission) CheckDraft() error {
	if s.Status != StatusDraft {
		return apperr.New(apperr.Conflict, "This attempt has been submitted and can't change. Start a new attempt to try again.")
	}
	return nil
}

// CheckSubmit lists what the draft still needs before it can be submitted for activity a: the
// response (a recording, or the written alternative) and a self-score for every criterion.
func (s Submission) CheckSubmit(a Activity) error {
	if s.Status != StatusDraft {
		return apperr.New(apperr.Conflict, "This attempt has been submitted already.")
	}
	var f apperr.Fields
	if s.Recording == nil && s.Text == "" {
		if a.Kind.Records() {
			f.Add("recording", "Record your response (or write it instead) before you submit.")
		} else {
			f.Add("text", "Write your response before you submit.")
		}
	}
	var scores []Score
	if s.SelfReview != nil {
		scores = s.SelfReview.Scores
	}
	missingScores(&f, "self_review.scores", scores, a.Rubric, "Your")
	return f.Err()
}

// CheckText validates a written response and returns it trimmed.
func CheckText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", apperr.InvalidFields(apperr.Field("text", "Write your response."))
	case utf8.RuneCountInString(text) > MaxTextLen:
		return "", apperr.InvalidFields(apperr.Field("text", fmt.Sprintf("Keep your response to %d characters or fewer.", MaxTextLen)))
	}
	return text, nil
}

// ReviewRole is why a reviewer may review: they manage the learner, or were invited as a peer.
type ReviewRole string

// The roles of a reviewer.
const (
	RoleManager ReviewRole = "manager"
	RolePeer    ReviewRole = "peer"
)

// Review is one reviewer's scores, comments and summary on a submission.
type Review struct {
	ID           string
	SubmissionID string
	// ReviewerID is nil once the reviewer's account is deleted (the review stays).
	ReviewerID   *string
	ReviewerName string
	Role         ReviewRole
	Scores       []Score
	Comments     []Comment
	Summary      string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SubmittedAt  *time.Time
}

// Submitted reports whether the review is final.
func (r Review) Submitted() bool { return r.SubmittedAt != nil }

// By reports whether user wrote the review.
func (r Review) By(user string) bool { return r.ReviewerID != nil && *r.ReviewerID == user }

// ReviewDraft is what a reviewer saves: scores (possibly partial), comments and a summary.
type ReviewDraft struct {
	Scores   []Score
	Comments []Comment
	Summary  string
}

// Normalize trims the texts.
func (d ReviewDraft) Normalize() ReviewDraft {
	d.Summary = strings.TrimSpace(d.Summary)
	if d.Scores == nil {
		d.Scores = []Score{}
	}
	comments := make([]Comment, 0, len(d.Comments))
	for _, c := range d.Comments {
		c.Text = strings.TrimSpace(c.Text)
		comments = append(comments, c)
	}
	d.Comments = comments
	return d
}

// Validate checks a review draft against the rubric.
func (d ReviewDraft) Validate(r Rubric) error {
	var f apperr.Fields
	checkScores(&f, "scores", d.Scores, r)
	if len(d.Comments) > MaxComments {
		f.Add("comments", fmt.Sprintf("Keep to %d comments or fewer.", MaxComments))
	}
	for i, c := range d.Comments {
		at := "comments[" + strconv.Itoa(i) + "]"
		checkText(&f, at+".text", c.Text, "Write the comment.", MaxCommentLen)
		if c.AtSeconds != nil && (*c.AtSeconds < 0 || *c.AtSeconds > MaxCommentAt) {
			f.Add(at+".at_seconds", fmt.Sprintf("Pin the comment to a moment from 0 to %d seconds.", MaxCommentAt))
		}
	}
	if utf8.RuneCountInString(d.Summary) > MaxSummaryLen {
		f.Add("summary", fmt.Sprintf("Keep the summary to %d characters or fewer.", MaxSummaryLen))
	}
	return f.Err()
}

// CheckSubmit refuses a review that is final already or misses a criterion's score.
func (r Review) CheckSubmit(rubric Rubric) error {
	if r.Submitted() {
		return apperr.New(apperr.Conflict, "You have submitted this review already.")
	}
	var f apperr.Fields
	missingScores(&f, "scores", r.Scores, rubric, "The")
	return f.Err()
}

// Viewer is how the caller relates to a submission.
type Viewer string

// The viewers of a submission. ViewerNone may not know it exists.
const (
	ViewerNone    Viewer = ""
	ViewerOwner   Viewer = "owner"
	ViewerManager Viewer = "manager"
	ViewerPeer    Viewer = "peer"
)

// ReviewRole is the role a reviewer of this kind reviews in.
func (v Viewer) ReviewRole() (ReviewRole, bool) {
	switch v {
	case ViewerManager:
		return RoleManager, true
	case ViewerPeer:
		return RolePeer, true
	}
	return "", false
}

// Visibility is what a viewer may see of a submission's self-review and reviews. It is the
// blind-review rule: a reviewer sees the learner's self-review and other reviewers' scores,
// comments and summaries only once their own review is submitted; nobody sees another's draft.
type Visibility struct {
	SelfReview bool
	// Reviews are the submitted reviews the viewer is shown (their own excluded), each with
	// Full telling whether its scores, comments and summary are shown.
	Reviews []VisibleReview
	// Mine is the viewer's own review, draft or submitted (nil for none).
	Mine *Review
}

// VisibleReview is a review as a viewer may see it.
type VisibleReview struct {
	Review Review
	Full   bool
}

// Visible applies the blind-review rule for user, who relates to the submission as v.
func Visible(v Viewer, user string, reviews []Review) Visibility {
	var out Visibility
	for i := range reviews {
		if reviews[i].By(user) {
			mine := reviews[i]
			out.Mine = &mine
		}
	}
	unblinded := v == ViewerOwner || (out.Mine != nil && out.Mine.Submitted())
	out.SelfReview = unblinded
	for _, r := range reviews {
		if !r.Submitted() || r.By(user) {
			continue
		}
		out.Reviews = append(out.Reviews, VisibleReview{Review: r, Full: unblinded})
	}
	return out
}

// AwaitsReview reports whether a submission in this state is reviewable.
func (s Submission) AwaitsReview() bool {
	return s.Status == StatusSubmitted || s.Status == StatusReviewed
}

// Recording containers recognised by their first bytes.
var (
	webmMagic = []byte{0x1A, 0x45, 0xDF, 0xA3}
)

// SniffLen is how many leading bytes SniffRecording needs.
const SniffLen = 12

// SniffRecording recognises a WebM (EBML) or MP4 (ISO base media, "ftyp" box) recording by its
// first bytes and returns its container ("webm" or "mp4"); ok is false for anything else.
func SniffRecording(head []byte) (container string, ok bool) {
	switch {
	case len(head) >= 4 && string(head[:4]) == string(webmMagic):
		return "webm", true
	case len(head) >= 8 && string(head[4:8]) == "ftyp":
		return "mp4", true
	}
	return "", false
}

// RecordingContentType is the media type a recording is stored and served with: the declared
// type when it names the sniffed container (audio/webm vs video/webm), else the kind's default.
func RecordingContentType(container, declared string, kind Kind) string {
	declared = strings.ToLower(strings.TrimSpace(strings.SplitN(declared, ";", 2)[0]))
	for _, t := range []string{"audio/", "video/"} {
		if declared == t+container {
			return declared
		}
	}
	if kind == KindAudio {
		return "audio/" + container
	}
	return "video/" + container
}

// CapDuration bounds a recorder's own count of seconds by the activity's time limit (plus a
// little slack); a negative or missing value is no duration.
func CapDuration(seconds *float64, timeLimit int) *float64 {
	if seconds == nil || *seconds < 0 {
		return nil
	}
	v := min(*seconds, float64(timeLimit+DurationSlack))
	return &v
}

// isUUID reports whether s is a UUID in its canonical text form.
func isUUID(s string) bool { return uuidPattern.MatchString(s) }

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
