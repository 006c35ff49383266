package teams

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// Recognition kinds.
const (
	KindWin       = "win"
	KindMilestone = "milestone"
)

// Assignment statuses of one rep.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
	StatusOverdue    = "overdue"
)

// Prompt reasons.
const (
	ReasonCompletedModule   = "completed_module"
	ReasonSignificantGrowth = "significant_growth"
)

// BandSignificantGrowth is the assessment growth band that prompts recognition.
const BandSignificantGrowth = "significant_growth"

// Feed limits.
const (
	DefaultFeedLimit = 50
	MaxFeedLimit     = 100
)

// ScorePoints is the one rounding rule for the scores people read (the CSV here, the SPA's
// assess/format.ts there): whole points, halves away from zero.
func ScorePoints(x float64) int { return int(math.Round(x)) }

// ScoreChange is the change people read between a baseline and a latest score: the difference
// of the two rounded scores, so a row of baseline, latest and change always adds up.
func ScoreChange(baseline, latest float64) int { return ScorePoints(latest) - ScorePoints(baseline) }

// FormatChange writes a change in whole points with its sign: "+5", "-3", "0". The SPA shows the
// same with a typographic minus; a CSV keeps the ASCII one so spreadsheets read a number.
func FormatChange(points int) string {
	if points > 0 {
		return fmt.Sprintf("+%d", points)
	}
	return fmt.Sprint(points)
}

// StatusAt judges a rep's standing on an assigned module due at due: done once every lesson of
// the module is completed (even late), overdue after the due date, in progress once a lesson is
// started.
func (c ModuleCount) StatusAt(due, now time.Time) string {
	switch {
	case c.LessonCount > 0 && c.Completed >= c.LessonCount:
		return StatusDone
	case now.After(due):
		return StatusOverdue
	case c.Started > 0 || c.Completed > 0:
		return StatusInProgress
	}
	return StatusNotStarted
}

// AssignmentInput is what a manager sends to assign a module.
type AssignmentInput struct {
	ModuleSlug string
	DueAt      time.Time
	UserIDs    []string
}

// Assignment is a module assigned with a due date, with each assignee's status. For a rep's own
// list, Members is empty and Status is theirs.
type Assignment struct {
	ID            string
	TeamID        string
	TeamName      string
	ModuleID      string
	ModuleSlug    string
	ModuleTitle   string
	DueAt         time.Time
	CreatedAt     time.Time
	CreatedBy     string
	CreatedByName string
	Members       []AssignmentMember
	Status        string
}

// AssignmentMember is one assignee's standing.
type AssignmentMember struct {
	UserID string
	Name   string
	Status string
}

// validate checks the input, naming every bad field, and returns the de-duplicated user ids.
func (in AssignmentInput) validate(now time.Time) ([]string, error) {
	var errs apperr.Fields
	if strings.TrimSpace(in.ModuleSlug) == "" {
		errs.Add("module_slug", "Choose a module to assign.")
	}
	switch {
	case in.DueAt.IsZero():
		errs.Add("due_at", "Choose a due date.")
	case !in.DueAt.After(now):
		errs.Add("due_at", "Choose a due date in the future.")
	case in.DueAt.UTC().Year() > 9999: // RFC 3339 (and so every JSON answer listing it) has 4-digit years
		errs.Add("due_at", "Choose a due date before the year 10000.")
	}
	switch {
	case len(in.UserIDs) == 0:
		errs.Add("user_ids", "Choose at least one team member.")
	case len(in.UserIDs) > MaxAssignees:
		errs.Add("user_ids", fmt.Sprintf("Choose at most %d members at a time.", MaxAssignees))
	}
	seen := map[string]bool{}
	var ids []string
	for i, id := range in.UserIDs {
		u, err := uuid.Parse(id)
		if err != nil || len(id) != 36 {
			errs.Add("user_ids["+strconv.Itoa(i)+"]", "This member isn’t valid. Refresh the page and choose the members again.")
			continue
		}
		if s := u.String(); !seen[s] {
			seen[s] = true
			ids = append(ids, s)
		}
	}
	return ids, errs.Err()
}

// notMembers names every requested id that is not among the team's learning members.
func notMembers(requested, members []string) error {
	ok := map[string]bool{}
	for _, m := range members {
		ok[m] = true
	}
	var errs apperr.Fields
	for i, id := range requested {
		if !ok[strings.ToLower(id)] {
			errs.Add("user_ids["+strconv.Itoa(i)+"]", "This person isn’t a learning member of this team. Refresh the page and choose again.")
		}
	}
	return errs.Err()
}

// DueReminder is one rep claimed for an assignment reminder.
type DueReminder struct {
	AssignmentID string
	UserID       string
	Email        string
	Name         string
	TeamName     string
	ModuleID     string
	ModuleSlug   string
	ModuleTitle  string
	DueAt        time.Time
}

// RecognitionInput is what a teammate sends to recognise a member.
type RecognitionInput struct {
	UserID  string
	Message string
	// Kind is win or milestone; nil (the field left out) is a win.
	Kind *string
	// Competency optionally names the competency the win shows (one of Competencies).
	Competency *string
	// Evidence optionally attaches what the win rests on.
	Evidence *EvidenceInput
}

// EvidenceInput is evidence as sent: a pulse of the recognised rep (ID) or a note (Text).
type EvidenceInput struct {
	Kind string
	ID   *string
	Text *string
}

// Evidence kinds: an answered Buyer Pulse, a reviewed practice submission (both of the
// recognised rep) or a note.
const (
	EvidencePulse      = "pulse"
	EvidenceSubmission = "submission"
	EvidenceNote       = "note"
)

// MaxEvidenceLen bounds a note's text, in characters.
const MaxEvidenceLen = 500

// Competencies are the eight competency keys of the curriculum (catalog and assessments use the
// same keys); a recognition may name one.
var Competencies = []string{"self_awareness", "self_management", "social_awareness", "relationship_management",
	"job_diagnosis", "consensus_building", "prescriptive_guidance", "stakeholder_mapping"}

// Evidence is what a recognition rests on. ID is a pulse's or a submission's id, Text a note,
// Title the practice activity of a submission as it was titled when the recognition was given.
type Evidence struct {
	Kind  string
	ID    string
	Text  string
	Title string
}

// validateExtras checks the optional competency and evidence, adding every problem to errs, and
// returns them as stored.
func (in RecognitionInput) validateExtras(errs *apperr.Fields) (string, *Evidence) {
	comp := ""
	if in.Competency != nil {
		comp = *in.Competency
		if !slices.Contains(Competencies, comp) {
			errs.Add("competency", "Choose one of the eight competencies.")
		}
	}
	e := in.Evidence
	if e == nil {
		return comp, nil
	}
	out := &Evidence{Kind: e.Kind}
	switch e.Kind {
	case EvidencePulse:
		if e.ID == nil || !isUUID(*e.ID) {
			errs.Add("evidence.id", "Choose one of the rep’s answered pulses.")
		} else {
			out.ID = strings.ToLower(*e.ID)
		}
		if e.Text != nil {
			errs.Add("evidence.text", "A pulse speaks for itself: leave the note out, or attach a note instead.")
		}
	case EvidenceSubmission:
		if e.ID == nil || !isUUID(*e.ID) {
			errs.Add("evidence.id", "Choose one of the rep’s reviewed practice attempts.")
		} else {
			out.ID = strings.ToLower(*e.ID)
		}
		if e.Text != nil {
			errs.Add("evidence.text", "A reviewed attempt speaks for itself: leave the note out, or attach a note instead.")
		}
	case EvidenceNote:
		if e.ID != nil {
			errs.Add("evidence.id", "A note has no id. Leave it out.")
		}
		txt := ""
		if e.Text != nil {
			txt = *e.Text
		}
		t, p := text.Block(txt, MaxEvidenceLen)
		switch p {
		case text.Empty:
			errs.Add("evidence.text", "Write the note.")
		case text.Unshowable:
			errs.Add("evidence.text", "The note contains characters we can’t show. Please remove them.")
		case text.TooLong:
			errs.Add("evidence.text", fmt.Sprintf("Keep the note to at most %d characters.", MaxEvidenceLen))
		}
		out.Text = t
	default:
		errs.Add("evidence.kind", "Choose pulse, submission or note.")
	}
	return comp, out
}

// validate checks a recognition from actorID, naming every bad field, and returns the message
// as stored and the kind.
func (in RecognitionInput) validate(actorID string) (msg, kind, comp string, ev *Evidence, err error) {
	var errs apperr.Fields
	msg, ferr := normalizeMessage(in.Message)
	if ferr != nil {
		errs.AddErr(ferr)
	}
	kind = KindWin
	if in.Kind != nil {
		kind = *in.Kind
	}
	if kind != KindWin && kind != KindMilestone {
		errs.Add("kind", "Choose win or milestone.")
	}
	switch {
	case !isUUID(in.UserID):
		errs.Add("user_id", "This member isn’t valid. Refresh the page and choose the member again.")
	case in.UserID == actorID:
		errs.Add("user_id", "You can’t recognise yourself. Choose a teammate.")
	}
	comp, ev = in.validateExtras(&errs)
	return msg, kind, comp, ev, errs.Err()
}

// normalizeMessage trims a recognition message; newlines are kept, other control characters not.
func normalizeMessage(msg string) (string, *apperr.FieldError) {
	msg, p := text.Block(msg, MaxMessageLen)
	switch p {
	case text.Empty:
		f := apperr.Field("message", "Write a message.")
		return "", &f
	case text.Unshowable:
		f := apperr.Field("message", "The message contains characters we can’t show. Please remove them.")
		return "", &f
	case text.TooLong:
		f := apperr.Field("message", fmt.Sprintf("Keep the message to at most %d characters.", MaxMessageLen))
		return "", &f
	}
	return msg, nil
}

// Recognition is a message recognising a win or a milestone.
type Recognition struct {
	ID        string
	TeamID    string
	TeamName  string
	FromID    string
	FromName  string
	ToID      string
	ToName    string
	Message   string
	Kind      string
	CreatedAt time.Time
	// Competency is the competency the win shows, "" when none was named.
	Competency string
	Evidence   *Evidence
}

// RecognitionGapWindow is how long without recognition puts a rep on the manager's gap list.
const RecognitionGapWindow = 30 * 24 * time.Hour

// RecognitionGap is a rep not recognised in this team within RecognitionGapWindow.
type RecognitionGap struct {
	UserID           string
	Name             string
	LastRecognisedAt *time.Time
}

// RecognitionGaps lists the learners not recognised since now-RecognitionGapWindow, longest
// first: never recognised before anyone recognised long ago (then by name).
func RecognitionGaps(learners []Learner, now time.Time) []RecognitionGap {
	since := now.Add(-RecognitionGapWindow)
	out := []RecognitionGap{}
	for _, l := range learners {
		if l.LastRecognisedAt == nil || l.LastRecognisedAt.Before(since) {
			out = append(out, RecognitionGap{UserID: l.UserID, Name: l.Name, LastRecognisedAt: l.LastRecognisedAt})
		}
	}
	slices.SortStableFunc(out, func(a, b RecognitionGap) int {
		switch {
		case a.LastRecognisedAt == nil && b.LastRecognisedAt == nil:
			return strings.Compare(a.Name, b.Name)
		case a.LastRecognisedAt == nil:
			return -1
		case b.LastRecognisedAt == nil:
			return 1
		}
		return a.LastRecognisedAt.Compare(*b.LastRecognisedAt)
	})
	return out
}

// feedLimit is the page size asked for, within the feed's limits.
func feedLimit(n int) int {
	if n <= 0 {
		return DefaultFeedLimit
	}
	return min(n, MaxFeedLimit)
}

// Prompt suggests that a manager recognise a rep.
type Prompt struct {
	UserID string
	Name   string
	Reason string
	Detail string
	At     time.Time
}

// Learner is a team's learning member with what the report and prompts need from the team
// itself: the recognitions they received in it.
type Learner struct {
	UserID           string
	Name             string
	Email            string
	Role             string
	JoinedAt         time.Time
	Recognitions     int
	LastRecognisedAt *time.Time
}

// promptable reports whether something the learner did at at still prompts recognition: it
// happened since the window opened and after they were last recognised in the team.
func (l Learner) promptable(at, since time.Time) bool {
	return !at.Before(since) && (l.LastRecognisedAt == nil || at.After(*l.LastRecognisedAt))
}

// completionPrompt is the prompt a module completion gives, if any.
func (l Learner) completionPrompt(c Completion, since time.Time) (Prompt, bool) {
	if !l.promptable(c.At, since) {
		return Prompt{}, false
	}
	return Prompt{UserID: l.UserID, Name: l.Name, Reason: ReasonCompletedModule, Detail: "completed " + c.ModuleTitle,
		At: c.At.UTC()}, true
}

// growthPrompt is the prompt a competency result gives, if any: only significant growth does.
func (l Learner) growthPrompt(c CompetencySummary, since time.Time) (Prompt, bool) {
	if !c.Significant || c.Band != BandSignificantGrowth || !l.promptable(c.LatestAt, since) {
		return Prompt{}, false
	}
	name := c.Name
	if name == "" {
		name = c.Competency
	}
	return Prompt{UserID: l.UserID, Name: l.Name, Reason: ReasonSignificantGrowth,
		Detail: fmt.Sprintf("%s up %.1f points since the baseline", name, c.Latest-c.Baseline), At: c.LatestAt.UTC()}, true
}

// rounded is the summary as reports show it: scores to one decimal, rounded first so the delta
// shown is exactly latest minus baseline as shown.
func (c CompetencySummary) rounded() CompetencySummary {
	c.Baseline, c.Latest = round1(c.Baseline), round1(c.Latest)
	c.Delta = round1(c.Latest - c.Baseline)
	return c
}

// FormerMember names the giver of a recognition whose account was deleted: the recognition
// stays with its receiver, its author is no longer anyone.
const FormerMember = "A former member"

// fromName is a recognition's giver as shown: their name, or FormerMember once the account is gone.
func fromName(fromID, name *string) string {
	if fromID == nil || name == nil {
		return FormerMember
	}
	return *name
}
