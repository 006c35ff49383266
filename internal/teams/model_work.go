package teams

import (
	"fmt"
	"math"
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
}

// validate checks a recognition from actorID, naming every bad field, and returns the message
// as stored and the kind.
func (in RecognitionInput) validate(actorID string) (msg, kind string, err error) {
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
	return msg, kind, errs.Err()
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
