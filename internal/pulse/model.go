// Package pulse is Buyer Pulse: after a meeting a rep predicts how the buyer felt and sends a
// one-minute, no-login link; the buyer answers three 1-5 questions and the rep learns how close
// their reading was (empathic accuracy). Managers see only aggregates, from MinResponses on.
package pulse

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-hq/rapport/internal/apperr"
)

const (
	// LinkTTL is how long a buyer may answer.
	LinkTTL = 14 * 24 * time.Hour
	// DailyLimit is how many pulses a rep may create in any 24 hours.
	DailyLimit = 20
	// MaxMeetingLen bounds the meeting's name, in characters.
	MaxMeetingLen = 120
	// MaxCommentLen bounds the buyer's comment, in characters.
	MaxCommentLen = 1000
	// MinResponses is how many answers a rep needs before a manager sees averages, so no single
	// buyer's answer can be read off an aggregate.
	MinResponses = 3
	// tokenBytes is the link token's entropy: 256 bits from crypto/rand.
	tokenBytes = 32
)

// Question ids, in the order the buyer sees them.
const (
	QClarity    = "clarity"
	QUnderstood = "understood"
	QAgain      = "again"
)

// Questions are the three question ids in order.
var Questions = []string{QClarity, QUnderstood, QAgain}

// QuestionText is the question as the buyer reads it, naming the rep.
func QuestionText(id, rep string) string {
	switch id {
	case QClarity:
		return "After this conversation, how much easier is your decision?"
	case QUnderstood:
		return "How well did " + rep + " understand your situation?"
	default:
		return "How much would you welcome another conversation with " + rep + "?"
	}
}

// Scale labels the ends of the 1-5 scale of a question.
func Scale(id string) (low, high string) {
	switch id {
	case QClarity:
		return "Not easier", "Much easier"
	case QUnderstood:
		return "Not at all", "Completely"
	default:
		return "Not at all", "Very much"
	}
}

// Scores are the three 1-5 values, predicted by the rep or given by the buyer.
type Scores struct {
	Clarity    int
	Understood int
	Again      int
}

// Get returns the value of question id.
func (s Scores) Get(id string) int {
	switch id {
	case QClarity:
		return s.Clarity
	case QUnderstood:
		return s.Understood
	default:
		return s.Again
	}
}

// validate names every value outside 1-5, with prefix before the question id (e.g. "prediction.").
func (s Scores) validate(prefix string, errs *apperr.Fields) {
	for _, q := range Questions {
		if v := s.Get(q); v < 1 || v > 5 {
			errs.Add(prefix+q, "Choose a number from 1 to 5.")
		}
	}
}

// MeanAbsError is the mean absolute difference between a prediction and an answer, over the
// three questions: 0 is a perfect reading, 4 the worst.
func MeanAbsError(pred, got Scores) float64 {
	sum := 0
	for _, q := range Questions {
		d := pred.Get(q) - got.Get(q)
		if d < 0 {
			d = -d
		}
		sum += d
	}
	return round2(float64(sum) / float64(len(Questions)))
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// Response is the buyer's answer.
type Response struct {
	Scores
	Comment    string
	AnsweredAt time.Time
}

// Pulse is one request for a buyer's view of a meeting.
type Pulse struct {
	ID         string
	UserID     string
	RepName    string
	Meeting    string
	Prediction Scores
	CreatedAt  time.Time
	ExpiresAt  time.Time
	Response   *Response
}

// Status is what the rep sees: waiting, answered or expired.
func (p Pulse) Status(now time.Time) string {
	switch {
	case p.Response != nil:
		return StatusAnswered
	case !now.Before(p.ExpiresAt):
		return StatusExpired
	default:
		return StatusWaiting
	}
}

// Pulse statuses.
const (
	StatusWaiting  = "waiting"
	StatusAnswered = "answered"
	StatusExpired  = "expired"
)

// Accuracy is the mean absolute error of the rep's prediction, nil until the buyer answers.
func (p Pulse) Accuracy() *float64 {
	if p.Response == nil {
		return nil
	}
	e := MeanAbsError(p.Prediction, p.Response.Scores)
	return &e
}

// Errors a buyer may meet on the answer page, in sentences a buyer can read.
var (
	ErrUnknown  = apperr.New(apperr.NotFound, "We couldn’t find this feedback request. Please check that the link was copied in full.")
	ErrAnswered = apperr.New(apperr.Conflict, "This feedback has already been given. Thank you — there is nothing more to do.")
	ErrExpired  = apperr.New(apperr.Gone, "This feedback request has expired. Links stay open for 14 days.")
)

// CheckAnswerable decides whether the buyer may answer p at now: answered first (a buyer who
// answered sees thanks, not "expired"), then expiry.
func (p Pulse) CheckAnswerable(now time.Time) error {
	if p.Response != nil {
		return ErrAnswered
	}
	if !now.Before(p.ExpiresAt) {
		return ErrExpired
	}
	return nil
}

// CreateInput is what a rep sends to create a pulse.
type CreateInput struct {
	Meeting string
	// BuyerEmail is nil when no mail is wanted; when given it must be an address.
	BuyerEmail *string
	Prediction Scores
}

// Normalize trims the input and names every bad field.
func (in CreateInput) Normalize() (CreateInput, error) {
	var errs apperr.Fields
	in.Meeting = strings.TrimSpace(in.Meeting)
	switch n := utf8.RuneCountInString(in.Meeting); {
	case n == 0:
		errs.Add("meeting", "Name the meeting, for example “Discovery call with Acme”.")
	case n > MaxMeetingLen:
		errs.Add("meeting", fmt.Sprintf("Keep the meeting’s name to at most %d characters.", MaxMeetingLen))
	case strings.ContainsFunc(in.Meeting, unicode.IsControl):
		errs.Add("meeting", "Keep the meeting’s name on one line.")
	}
	if in.BuyerEmail != nil {
		e := strings.TrimSpace(*in.BuyerEmail)
		in.BuyerEmail = &e
		if !validAddress(e) {
			errs.Add("buyer_email", "Enter the buyer’s e-mail address, like name@example.com, or leave it out and copy the link.")
		}
	}
	in.Prediction.validate("prediction.", &errs)
	return in, errs.Err()
}

// validAddress accepts a bare address (no display name) with a dotted domain, at most 254 bytes.
func validAddress(e string) bool {
	a, err := mail.ParseAddress(e)
	at := strings.LastIndex(e, "@")
	return err == nil && a.Address == e && len(e) <= 254 && at > 0 && strings.Contains(e[at:], ".")
}

// AnswerInput is the buyer's answer as sent.
type AnswerInput struct {
	Scores
	Comment string
}

// Normalize trims the comment and names every bad field. The comment is plain text: it is stored
// as given (control characters other than line breaks removed) and always escaped when shown.
func (in AnswerInput) Normalize() (AnswerInput, error) {
	var errs apperr.Fields
	in.Scores.validate("", &errs)
	in.Comment = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' || unicode.IsControl(r) {
			return -1
		}
		return r
	}, in.Comment))
	if utf8.RuneCountInString(in.Comment) > MaxCommentLen {
		errs.Add("comment", fmt.Sprintf("Keep the comment to at most %d characters.", MaxCommentLen))
	}
	return in, errs.Err()
}

// NewToken returns a fresh link token (256 bits from crypto/rand, URL-safe) and its hash, the only
// form that is stored.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("pulse token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// WellFormedToken reports whether s could be a token, so a malformed one costs no query.
func WellFormedToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// DailyLimitError is the 429 of a rep over the daily limit; oldest is the creation time of the
// oldest pulse in the window, when a slot frees up.
func DailyLimitError(oldest, now time.Time) error {
	retry := int(math.Ceil(oldest.Add(24 * time.Hour).Sub(now).Seconds()))
	if retry < 1 {
		retry = 1
	}
	return &apperr.Error{Kind: apperr.RateLimited, RetryAfter: retry,
		Detail: fmt.Sprintf("You can send up to %d pulses a day. Please try again later.", DailyLimit)}
}

// Summary aggregates a rep's answered pulses.
type Summary struct {
	Responses    int
	Averages     *Averages
	MeanAbsError *float64
}

// Averages are the mean answers per question.
type Averages struct {
	Clarity    float64
	Understood float64
	Again      float64
}

// Summarize aggregates the answered pulses in ps.
func Summarize(ps []Pulse) Summary {
	var s Summary
	var sum Scores
	var errSum float64
	for _, p := range ps {
		if p.Response == nil {
			continue
		}
		s.Responses++
		sum.Clarity += p.Response.Clarity
		sum.Understood += p.Response.Understood
		sum.Again += p.Response.Again
		errSum += MeanAbsError(p.Prediction, p.Response.Scores)
	}
	if s.Responses == 0 {
		return s
	}
	n := float64(s.Responses)
	s.Averages = &Averages{round2(float64(sum.Clarity) / n), round2(float64(sum.Understood) / n), round2(float64(sum.Again) / n)}
	e := round2(errSum / n)
	s.MeanAbsError = &e
	return s
}

// TeamAggregate is what a manager may see of a rep's pulses: the number answered and, from
// MinResponses on, the averages. Never a comment, never one answer.
type TeamAggregate struct {
	Responses int
	Averages  *Averages
}

// ForManager reduces sums of answers to what a manager may see.
func ForManager(responses int, sum Scores) TeamAggregate {
	a := TeamAggregate{Responses: responses}
	if responses >= MinResponses {
		n := float64(responses)
		a.Averages = &Averages{round2(float64(sum.Clarity) / n), round2(float64(sum.Understood) / n), round2(float64(sum.Again) / n)}
	}
	return a
}

// TrendWeeks is how many weeks, this one included, a team's pulse trend covers: a quarter, long
// enough to see a habit change, short enough that old answers do not drown the recent ones.
const TrendWeeks = 12

// WeekSum is the sum of one week's answers of a group of reps, as the store reads it.
type WeekSum struct {
	WeekStart time.Time
	N         int
	Sum       Scores
	// ErrSum is the sum of the answers' mean absolute errors (prediction against answer).
	ErrSum float64
}

// TrendWeek is one point of a team's trend: the answers counted that week and, from
// MinResponses on, their averages and the reps' prediction accuracy.
type TrendWeek struct {
	WeekStart    time.Time
	Responses    int
	Averages     *Averages
	MeanAbsError *float64
}

// WeekStart is the Monday (00:00 UTC) of t's week, the week the trend files an answer under.
func WeekStart(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	back := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -back)
}

// TrendSince is the start of the first week of the trend ending in now's week.
func TrendSince(now time.Time) time.Time { return WeekStart(now).AddDate(0, 0, -7*(TrendWeeks-1)) }

// Trend lays sums out on every week of the trend ending in now's week, oldest first, so a chart
// shows quiet weeks as gaps rather than joining distant points. A week below MinResponses keeps
// its count but no averages: the aggregate rule holds per point, not only overall.
func Trend(sums []WeekSum, now time.Time) []TrendWeek {
	byWeek := make(map[time.Time]WeekSum, len(sums))
	for _, s := range sums {
		byWeek[WeekStart(s.WeekStart)] = s
	}
	start := TrendSince(now)
	out := make([]TrendWeek, TrendWeeks)
	for i := range out {
		w := start.AddDate(0, 0, 7*i)
		s := byWeek[w]
		out[i] = TrendWeek{WeekStart: w, Responses: s.N}
		if s.N >= MinResponses {
			n := float64(s.N)
			out[i].Averages = &Averages{round2(float64(s.Sum.Clarity) / n), round2(float64(s.Sum.Understood) / n), round2(float64(s.Sum.Again) / n)}
			e := round2(s.ErrSum / n)
			out[i].MeanAbsError = &e
		}
	}
	return out
}
