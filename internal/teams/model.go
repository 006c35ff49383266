// Package teams lets sales managers coach their reps: teams and seats, e-mail invites, the team
// report (progress and skill growth per rep), assignments with due dates and reminders, and
// recognition with its feed and prompts.
//
// Seats: a member uses a seat when they learn (is_learner). A team's creator is its manager and
// uses no seat; a manager who accepts an invite to their own team learns too and uses one. Open,
// unexpired invites reserve a seat each, so invites never promise more seats than the team has.
package teams

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// Member roles.
const (
	RoleManager = "manager"
	RoleMember  = "member"
)

// Limits and lifetimes.
const (
	InviteTTL         = 14 * 24 * time.Hour
	MaxTeamName       = 100
	MaxInvitesPerCall = 200
	MaxAssignees      = 500
	MaxMessageLen     = 500
	// ReminderLead is how long before the due date a rep is reminded of an assignment.
	ReminderLead = 48 * time.Hour
	// PromptWindow is how far back completions and growth prompt a manager to recognise them.
	PromptWindow = 14 * 24 * time.Hour
)

// Invite states as the public invite page shows them.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteExpired  = "expired"
	InviteRevoked  = "revoked"
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

// BandSignificantGrowth is the assessment growth band that prompts recognition.
const BandSignificantGrowth = "significant_growth"

// SeatCounter reports a team's seats: subscription quantity plus granted seats (billing).
type SeatCounter interface {
	TeamSeats(ctx context.Context, teamID string) (int, error)
	// TeamsSeats answers for many teams in one call (the admin's team search).
	TeamsSeats(ctx context.Context, teamIDs []string) (map[string]int, error)
}

// ProgressReader is what teams read of learner progress. Every method answers for many learners
// in one call, so a report costs the same number of queries for 5 reps or 500.
type ProgressReader interface {
	// TeamProgress totals each learner's progress over every published lesson.
	TeamProgress(ctx context.Context, userIDs []string) (map[string]MemberProgress, error)
	// ModuleProgress counts each learner's lessons in each module: result[userID][moduleID].
	ModuleProgress(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]ModuleCount, error)
	// Completions lists the modules the learners completed at or after since.
	Completions(ctx context.Context, userIDs []string, since time.Time) ([]Completion, error)
}

// SkillReader is what teams read of assessment results (assessments implement it).
type SkillReader interface {
	SkillSummaries(ctx context.Context, userIDs []string) (map[string][]CompetencySummary, error)
}

// ModuleCatalog resolves a published module for an assignment (the catalog implements it).
type ModuleCatalog interface {
	PublishedModule(ctx context.Context, slug string) (ModuleRef, error)
}

// MemberProgress is one learner's overall progress.
type MemberProgress struct {
	CompletedLessons int
	LessonCount      int
	Percent          int
	LastActiveAt     *time.Time
}

// ModuleCount is one learner's lessons in one module's latest published version.
type ModuleCount struct {
	LessonCount int
	Started     int
	Completed   int
}

// Completion is a module a learner finished.
type Completion struct {
	UserID      string
	ModuleSlug  string
	ModuleTitle string
	At          time.Time
}

// CompetencySummary is a learner's baseline and latest score on one competency.
type CompetencySummary struct {
	Competency  string
	Name        string
	Baseline    float64
	Latest      float64
	Delta       float64
	Band        string
	Significant bool
	LatestAt    time.Time
}

// ModuleRef is a published module as an assignment points at it.
type ModuleRef struct {
	ID    string
	Slug  string
	Title string
}

// Team is a team and the caller's place in it.
type Team struct {
	ID        string
	Name      string
	CreatedAt time.Time
	// MyRole is the caller's role: manager, member, or admin for an admin outside the team.
	MyRole      string
	IsLearner   bool
	MemberCount int
}

// Seats are a team's seat numbers. Free never goes below zero (seats may shrink under members).
type Seats struct {
	Total   int
	Used    int
	Pending int
}

// Free is how many more invites the team can send.
func (s Seats) Free() int { return max(0, s.Total-s.Used-s.Pending) }

// Member is an active member of a team.
type Member struct {
	UserID    string
	Name      string
	Email     string
	Role      string
	IsLearner bool
	JoinedAt  time.Time
}

// TeamDetail is a team with its seats and members.
type TeamDetail struct {
	Team
	Seats   Seats
	Members []Member
}

// Invite is an invitation by e-mail.
type Invite struct {
	ID        string
	TeamID    string
	Email     string
	State     string
	ExpiresAt time.Time
	CreatedAt time.Time
	InvitedBy string
}

// InvitePreview is what the public invite page shows before sign-in.
type InvitePreview struct {
	TeamName    string
	InviterName string
	MaskedEmail string
	State       string
	ExpiresAt   time.Time
}

// Membership is a user's membership of a team.
type Membership struct {
	TeamID    string
	TeamName  string
	UserID    string
	Role      string
	IsLearner bool
	JoinedAt  time.Time
}

// normalizeName trims a team name and checks it.
func normalizeName(name string) (string, error) {
	name, p := text.Line(name, MaxTeamName)
	switch p {
	case text.Empty:
		return "", apperr.InvalidFields(apperr.Field("name", "Enter a name for the team."))
	case text.TooLong:
		return "", apperr.InvalidFields(apperr.Field("name", fmt.Sprintf("Use at most %d characters for the team name.", MaxTeamName)))
	case text.Unshowable:
		return "", apperr.InvalidFields(apperr.Field("name", "The team name contains characters we can’t show. Please remove them."))
	}
	return name, nil
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

// maskEmail hides most of the local part: "jane.doe@example.com" → "j***@example.com".
func maskEmail(email string) string {
	at := strings.LastIndex(email, "@")
	if at <= 0 {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(email)
	return string(r) + "***" + email[at:]
}

// assignmentStatus judges one rep's standing on an assigned module at now.
func assignmentStatus(c ModuleCount, due, now time.Time) string {
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

// round1 rounds a score to one decimal, the precision reports show.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// isUUID reports whether s is a UUID in its canonical lower-case form (what ids look like here).
func isUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}
