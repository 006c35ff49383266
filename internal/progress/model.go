// Package progress owns what a learner has done: lesson progress (started, completed, reading
// time and position), the resume point, the weekly learning goal and streak in the learner's time
// zone, certificates for finished modules and the Friday reminder e-mail.
package progress

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Lesson statuses. A completed lesson never goes back to started.
const (
	StatusStarted   = "started"
	StatusCompleted = "completed"
)

// Limits on one progress call and on the weekly goal.
const (
	MaxSecondsPerCall  = 3600
	MaxPositionLen     = 200
	MaxIdempotencyKey  = 200
	DefaultGoalMinutes = 15
	MinGoalMinutes     = 5
	MaxGoalMinutes     = 600
)

// IdempotencyHeader names the request header that identifies one client call: reading time is
// added once per key and a replayed key changes nothing.
const IdempotencyHeader = "Idempotency-Key"

// LessonUpdate is one progress report for a lesson. Seconds count only when Key is set and new;
// a nil Position leaves the stored position alone.
type LessonUpdate struct {
	Status   string
	Seconds  int
	Position *string
	Key      string
}

// Validate checks every field and names each bad one.
func (u LessonUpdate) Validate() error {
	var errs apperr.Fields
	if u.Status != StatusStarted && u.Status != StatusCompleted {
		errs.Add("status", "Choose started or completed.")
	}
	if u.Seconds < 0 || u.Seconds > MaxSecondsPerCall {
		errs.Add("seconds", fmt.Sprintf("Send between 0 and %d seconds per update.", MaxSecondsPerCall))
	}
	if u.Position != nil {
		switch {
		case utf8.RuneCountInString(*u.Position) > MaxPositionLen:
			errs.Add("position", fmt.Sprintf("Keep the position to at most %d characters.", MaxPositionLen))
		case !utf8.ValidString(*u.Position) || strings.ContainsFunc(*u.Position, unicode.IsControl):
			errs.Add("position", "The position contains characters we can’t store.")
		}
	}
	if len(u.Key) > MaxIdempotencyKey || strings.ContainsFunc(u.Key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		errs.Add(IdempotencyHeader, fmt.Sprintf("Use an Idempotency-Key of at most %d visible ASCII characters.", MaxIdempotencyKey))
	}
	return errs.Err()
}

// Progress is a learner's record for one lesson.
type Progress struct {
	LessonID    string
	ModuleID    string
	ModuleSlug  string
	Status      string
	Seconds     int
	Position    string
	StartedAt   time.Time
	CompletedAt *time.Time
	UpdatedAt   time.Time
	// CertificateCode is set when the call completed the lesson and the learner holds the
	// module's certificate (issued by this call or earlier).
	CertificateCode string
}

// LessonRef names a lesson of a module's latest published version.
type LessonRef struct {
	ID     string
	Slug   string
	Title  string
	Status string // "" when the learner has not opened it
}

// ModuleStat is a learner's progress through one published module, counted over the lessons of
// its latest published version.
type ModuleStat struct {
	ModuleID         string
	Slug             string
	Title            string
	CompletedLessons int
	LessonCount      int
	Percent          int
	LastActivityAt   time.Time
	// LastLesson is the lesson touched most recently; NextLesson the one to open next (the last
	// one if unfinished, else the first unfinished one after it, else the first unfinished one).
	LastLesson *LessonRef
	NextLesson *LessonRef
}

// Module states on the dashboard: every module the learner has touched is one or the other.
const (
	ModuleInProgress = "in_progress"
	ModuleCompleted  = "completed"
)

// State says whether the learner finished the module: completed when every lesson of its latest
// published version is completed, else in progress (a lesson started or at least one, but not
// every, lesson completed). The dashboard's counts and "what to study next" rely on this rule.
func (m ModuleStat) State() string {
	if moduleDone(m.CompletedLessons, m.LessonCount) {
		return ModuleCompleted
	}
	return ModuleInProgress
}

// moduleDone is the rule both the dashboard and certificates follow: a module is finished when
// every lesson of its latest published version is completed (a version without lessons never is).
func moduleDone(completed, lessons int) bool { return lessons > 0 && completed >= lessons }

// ModuleCompletion is where one learner stands in one module's latest published version, as a
// completion sees it.
type ModuleCompletion struct {
	Version         int
	LessonCount     int
	Completed       int
	CertificateCode string // "" when the learner holds no certificate for the module
}

// EarnsCertificate reports whether a certificate is to be issued now: every lesson of the latest
// version is completed and the learner holds none for the module yet (one per module, kept when
// a later version adds lessons).
func (c ModuleCompletion) EarnsCertificate() bool {
	return c.CertificateCode == "" && moduleDone(c.Completed, c.LessonCount)
}

// Resume is where the learner left off.
type Resume struct {
	ModuleSlug  string
	ModuleTitle string
	LessonID    string
	LessonSlug  string
	LessonTitle string
}

// Week is the learner's current week (Monday 00:00 to Monday 00:00 in their time zone).
type Week struct {
	Start       string // local date of the Monday, YYYY-MM-DD
	TimeZone    string
	Minutes     int
	GoalMinutes int
	// GoalSet is true once the learner chose a goal (GoalMinutes is the default until then).
	GoalSet     bool
	StreakWeeks int
}

// Dashboard is the home page's summary.
type Dashboard struct {
	Modules []ModuleStat
	Week    Week
	Resume  *Resume
}

// MemberProgress is one learner's progress as a team report shows it.
type MemberProgress struct {
	CompletedLessons int
	// LessonCount is the number of lessons in every published module's latest version.
	LessonCount  int
	Percent      int
	LastActiveAt *time.Time
}

// ModuleCount is one learner's lessons in one module's latest published version.
type ModuleCount struct {
	LessonCount int
	Started     int // lessons with any progress, completed ones included
	Completed   int
}

// Completion is a module a learner finished (its certificate).
type Completion struct {
	UserID      string
	ModuleSlug  string
	ModuleTitle string
	At          time.Time
}

// Certificate records that a learner completed a module.
type Certificate struct {
	Code        string
	UserName    string
	ModuleSlug  string
	ModuleTitle string
	IssuedAt    time.Time
}

// ValidateGoal checks a weekly goal in minutes.
func ValidateGoal(minutes int) error {
	if minutes < MinGoalMinutes || minutes > MaxGoalMinutes {
		return apperr.InvalidFields(apperr.Field("goal_minutes",
			fmt.Sprintf("Choose a weekly goal from %d to %d minutes.", MinGoalMinutes, MaxGoalMinutes)))
	}
	return nil
}

// codeLen is the length of a certificate code: 10 base32 characters carry 50 random bits, enough
// that codes cannot be guessed, short enough to read out or type.
const codeLen = 10

var codeRE = regexp.MustCompile(`^[A-Z2-7]{10}$`)

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newCertificateCode returns a fresh random code from crypto/rand.
func newCertificateCode() (string, error) {
	b := make([]byte, 7) // 56 bits, of which the first 50 are used
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return codeEncoding.EncodeToString(b)[:codeLen], nil
}

// NormalizeCode upper-cases a code typed by hand; ok is false when it cannot be a code.
func NormalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	return s, codeRE.MatchString(s)
}

// Percent is the share of total lessons done, in whole percent rounded down (never over 100):
// the one rule for every progress percentage, the team report's included.
func Percent(done, total int) int { return percent(done, total) }

func percent(done, total int) int {
	if total <= 0 {
		return 0
	}
	return min(100, done*100/total)
}
