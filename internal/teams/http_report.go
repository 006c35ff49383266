package teams

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

type competencyDTO struct {
	Competency  string    `json:"competency"`
	Name        string    `json:"name"`
	Baseline    float64   `json:"baseline"`
	Latest      float64   `json:"latest"`
	Delta       float64   `json:"delta"`
	Band        string    `json:"band"`
	Significant bool      `json:"significant"`
	LatestAt    time.Time `json:"latest_at"`
	// Observed (managers' rubric scores from practice) and Gap (self-rating minus observed) are
	// null until a manager has reviewed practice on the competency.
	Observed *float64 `json:"observed"`
	Gap      *float64 `json:"gap"`
}

type reportMemberDTO struct {
	UserID           string          `json:"user_id"`
	Name             string          `json:"name"`
	Email            string          `json:"email"`
	Role             string          `json:"role"`
	JoinedAt         time.Time       `json:"joined_at"`
	CompletedLessons int             `json:"completed_lessons"`
	LessonCount      int             `json:"lesson_count"`
	Percent          int             `json:"percent"`
	LastActiveAt     *time.Time      `json:"last_active_at"`
	Recognitions     int             `json:"recognitions"`
	Competencies     []competencyDTO `json:"competencies"`
	Pulse            pulseAggDTO     `json:"pulse"`
	Practice         practiceDTO     `json:"practice"`
}

// practiceDTO counts a rep's practice submissions: handed in, reviewed by a manager, and waiting
// for one.
type practiceDTO struct {
	Submitted      int `json:"submitted"`
	Reviewed       int `json:"reviewed"`
	AwaitingReview int `json:"awaiting_review"`
}

// pulseAggDTO is what a manager sees of a rep's Buyer Pulse: answers counted, averages from the
// third answer on (null before), never a comment.
type pulseAggDTO struct {
	Responses int          `json:"responses"`
	Averages  *pulseAvgDTO `json:"averages"`
}

type pulseAvgDTO struct {
	Clarity    float64 `json:"clarity"`
	Understood float64 `json:"understood"`
	Again      float64 `json:"again"`
}

func toReportMemberDTO(m ReportMember) reportMemberDTO {
	out := reportMemberDTO{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role, JoinedAt: m.JoinedAt,
		CompletedLessons: m.CompletedLessons, LessonCount: m.LessonCount, Percent: m.Percent, LastActiveAt: m.LastActiveAt,
		Recognitions: m.Recognitions, Competencies: make([]competencyDTO, len(m.Competencies)),
		Pulse: pulseAggDTO{Responses: m.Pulse.Responses},
		Practice: practiceDTO{Submitted: m.Practice.Submitted, Reviewed: m.Practice.Reviewed,
			AwaitingReview: m.Practice.AwaitingReview}}
	if a := m.Pulse.Averages; a != nil {
		out.Pulse.Averages = &pulseAvgDTO{Clarity: a.Clarity, Understood: a.Understood, Again: a.Again}
	}
	for i, c := range m.Competencies {
		out.Competencies[i] = competencyDTO{Competency: c.Competency, Name: c.Name, Baseline: c.Baseline, Latest: c.Latest,
			Delta: c.Delta, Band: c.Band, Significant: c.Significant, LatestAt: c.LatestAt.UTC(),
			Observed: c.Observed, Gap: c.Gap}
	}
	return out
}

type teamCompetencyDTO struct {
	Competency  string  `json:"competency"`
	Name        string  `json:"name"`
	BaselineAvg float64 `json:"baseline_avg"`
	LatestAvg   float64 `json:"latest_avg"`
	DeltaAvg    float64 `json:"delta_avg"`
	Members     int     `json:"members"`
}

type reportTeamDTO struct {
	MemberCount  int                 `json:"member_count"`
	Competencies []teamCompetencyDTO `json:"competencies"`
}

type reportDTO struct {
	TeamID      string            `json:"team_id"`
	TeamName    string            `json:"team_name"`
	Members     []reportMemberDTO `json:"members"`
	Team        reportTeamDTO     `json:"team"`
	GeneratedAt time.Time         `json:"generated_at"`
}

func (h *Handler) handleReport(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	req := c.Request()
	if wantsCSV(req.Header.Get(echo.HeaderAccept)) {
		b, err := h.svc.SharedReport(req.Context(), web.UserID(c), id, "csv", prepared(encodeCSV))
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition,
			`attachment; filename="team-report-`+b.GeneratedAt.Format("2006-01-02")+`.csv"`)
		return web.ServeBody(c, http.StatusOK, web.Body{ContentType: "text/csv; charset=utf-8", JSON: b.Bytes, Gzip: b.Gzip})
	}
	if _, pretty := c.QueryParams()["pretty"]; pretty || c.Echo().Debug {
		// Indented for a person reading it: rare, so built for this request alone.
		r, err := h.svc.Report(req.Context(), web.UserID(c), id)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, toReportDTO(r))
	}
	b, err := h.svc.SharedReport(req.Context(), web.UserID(c), id, "json", prepared(encodeReportJSON))
	if err != nil {
		return err
	}
	return web.ServeBody(c, http.StatusOK, web.Body{JSON: b.Bytes, Gzip: b.Gzip})
}

// prepared makes encode's output a shared body with its gzip, so the requests that share a build
// share its compression too (a megabyte each, otherwise compressed once per request).
func prepared(encode func(Report) ([]byte, error)) func(Report) (ReportBody, error) {
	return func(r Report) (ReportBody, error) {
		raw, err := encode(r)
		if err != nil {
			return ReportBody{}, err
		}
		b := web.NewBodyBytes(raw)
		return ReportBody{Bytes: b.JSON, Gzip: b.Gzip}, nil
	}
}

// toReportDTO is the whole report as one DTO (the indented answer).
func toReportDTO(r Report) reportDTO {
	out := reportDTO{TeamID: r.TeamID, TeamName: r.TeamName, GeneratedAt: r.GeneratedAt,
		Members: make([]reportMemberDTO, len(r.Members)), Team: toReportTeamDTO(r)}
	for i, m := range r.Members {
		out.Members[i] = toReportMemberDTO(m)
	}
	return out
}

func toReportTeamDTO(r Report) reportTeamDTO {
	out := reportTeamDTO{MemberCount: len(r.Members), Competencies: make([]teamCompetencyDTO, len(r.Competencies))}
	for i, t := range r.Competencies {
		out.Competencies[i] = teamCompetencyDTO{Competency: t.Competency, Name: t.Name, BaselineAvg: t.BaselineAvg,
			LatestAvg: t.LatestAvg, DeltaAvg: t.DeltaAvg, Members: t.Members}
	}
	return out
}

// encodeReportJSON writes the report exactly as encoding/json writes reportDTO (with the
// newline Echo's encoder adds), one member at a time into one buffer sized up front, so a
// 500-rep report never holds a second copy of its members as DTOs.
func encodeReportJSON(r Report) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, 512+len(r.Members)*(640+320*len(r.Competencies))))
	enc := json.NewEncoder(buf)
	// put encodes v and drops the newline the encoder ends every value with.
	put := func(prefix string, v any) error {
		buf.WriteString(prefix)
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
		return nil
	}
	if err := put(`{"team_id":`, r.TeamID); err != nil {
		return nil, err
	}
	if err := put(`,"team_name":`, r.TeamName); err != nil {
		return nil, err
	}
	buf.WriteString(`,"members":[`)
	for i, m := range r.Members {
		sep := ","
		if i == 0 {
			sep = ""
		}
		if err := put(sep, toReportMemberDTO(m)); err != nil {
			return nil, err
		}
	}
	if err := put(`],"team":`, toReportTeamDTO(r)); err != nil {
		return nil, err
	}
	if err := put(`,"generated_at":`, r.GeneratedAt); err != nil {
		return nil, err
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

func (h *Handler) handleMember(c echo.Context) error {
	id, userID, err := teamAndUser(c, "user_id")
	if err != nil {
		return err
	}
	m, err := h.svc.MemberDetail(c.Request().Context(), web.UserID(c), id, userID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toReportMemberDTO(m))
}

// wantsCSV reports whether the Accept header asks for CSV (ahead of JSON when both are listed).
func wantsCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch mt {
		case "text/csv":
			return true
		case "application/json", "*/*":
			return false
		}
	}
	return false
}

// CSVHeader is the report's CSV header: the member columns and practice counts, then baseline,
// latest, delta, band, observed and gap for each competency in keys. Scores and changes are
// whole points, as the SPA shows them; observed and gap are empty until a manager has reviewed
// practice on the competency.
func CSVHeader(keys []string) []string {
	h := []string{"user_id", "name", "email", "completed_lessons", "lesson_count", "percent", "last_active_at",
		"practice_submitted", "practice_reviewed", "practice_awaiting_review"}
	for _, k := range keys {
		h = append(h, k+"_baseline", k+"_latest", k+"_delta", k+"_band", k+"_observed", k+"_gap")
	}
	return h
}

// encodeCSV writes the report as CSV, one row per member. Text cells that a spreadsheet would
// run as a formula are prefixed with a quote.
func encodeCSV(r Report) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	keys := r.CompetencyKeys()
	if err := w.Write(CSVHeader(keys)); err != nil {
		return nil, err
	}
	for _, m := range r.Members {
		if err := w.Write(csvRow(m, keys)); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// csvRow is one member's CSV row.
func csvRow(m ReportMember, keys []string) []string {
	last := ""
	if m.LastActiveAt != nil {
		last = m.LastActiveAt.UTC().Format(time.RFC3339)
	}
	row := []string{m.UserID, safeCell(m.Name), safeCell(m.Email), strconv.Itoa(m.CompletedLessons),
		strconv.Itoa(m.LessonCount), strconv.Itoa(m.Percent), last,
		strconv.Itoa(m.Practice.Submitted), strconv.Itoa(m.Practice.Reviewed), strconv.Itoa(m.Practice.AwaitingReview)}
	byKey := make(map[string]CompetencySummary, len(m.Competencies))
	for _, cs := range m.Competencies {
		byKey[cs.Competency] = cs
	}
	for _, k := range keys {
		cs, ok := byKey[k]
		if !ok {
			row = append(row, "", "", "", "", "", "")
			continue
		}
		row = append(row, strconv.Itoa(ScorePoints(cs.Baseline)), strconv.Itoa(ScorePoints(cs.Latest)),
			FormatChange(ScoreChange(cs.Baseline, cs.Latest)), cs.Band, pointsCell(cs.Observed), changeCell(cs.Gap))
	}
	return row
}

// pointsCell is a score in whole points, empty for none.
func pointsCell(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.Itoa(ScorePoints(*x))
}

// changeCell is a signed difference in whole points, empty for none.
func changeCell(x *float64) string {
	if x == nil {
		return ""
	}
	return FormatChange(int(math.Round(*x)))
}

// safeCell neutralises spreadsheet formula injection in user-supplied text.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// pulseWeekDTO is one week of the team's Buyer Pulse trend; averages and mean_abs_error are null
// in a week with fewer answers than the aggregate rule allows.
type pulseWeekDTO struct {
	WeekStart    string       `json:"week_start"`
	Responses    int          `json:"responses"`
	Averages     *pulseAvgDTO `json:"averages"`
	MeanAbsError *float64     `json:"mean_abs_error"`
}

type pulseTrendDTO struct {
	Weeks        []pulseWeekDTO `json:"weeks"`
	MinResponses int            `json:"min_responses"`
}

// minTrendResponses is the aggregate rule as the client is told it, to explain an empty week.
const minTrendResponses = 3

func (h *Handler) handlePulseTrend(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	weeks, err := h.svc.PulseTrend(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	out := pulseTrendDTO{Weeks: make([]pulseWeekDTO, len(weeks)), MinResponses: minTrendResponses}
	for i, w := range weeks {
		out.Weeks[i] = pulseWeekDTO{WeekStart: w.WeekStart.UTC().Format(time.DateOnly), Responses: w.Responses, MeanAbsError: w.MeanAbsError}
		if a := w.Averages; a != nil {
			out.Weeks[i].Averages = &pulseAvgDTO{Clarity: a.Clarity, Understood: a.Understood, Again: a.Again}
		}
	}
	return c.JSON(http.StatusOK, out)
}
