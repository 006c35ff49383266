package teams

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// The team report's two reading statements. They read other domains' tables (progress, Buyer
// Pulse, practice, assessments; listed in docs/ARCHITECTURE.md) because the report must cost the
// same few statements for 5 reps or 500; they return raw sums and scores, and the service turns
// them into percentages, averages, bands and observed scores with each domain's own rule
// (ProgressReader.Percent, PulseReader.PulseAggregate, SkillReader.JudgeSkills,
// PracticeReader.ObservedScores). Both go straight to pgx: they are on the hot path and return
// hundreds of rows.

// reportMembersSQL lists a team's seat holders (%s: an optional filter on $2) with, per member,
// recognitions received in the team, completed lessons of the published modules' latest versions
// and the last lesson touched (any module, as progress counts it), answered pulses summed, and
// practice submissions counted. Managers read the same numbers from progress, pulse and practice
// on their own pages; the definitions are theirs (progress.FindTeamProgress, pulse AnswerSums,
// practice FindEvidence).
const reportMembersSQL = `
	WITH learners AS (
		SELECT m.user_id, u.name, u.email, m.role, m.joined_at
		FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = $1 AND ` + seatHolder + `%s
	), live AS (
		SELECT lv.lesson_id
		FROM modules mo
		JOIN module_versions v ON v.module_id = mo.id AND v.version = mo.current_version
		JOIN lesson_versions lv ON lv.module_version_id = v.id
		WHERE mo.state = 'published'
	), recognised AS (
		SELECT r.to_user_id AS user_id, count(*) AS n FROM recognitions r
		WHERE r.team_id = $1 AND r.to_user_id IN (SELECT user_id FROM learners)
		GROUP BY r.to_user_id
	), progress AS (
		SELECT p.user_id, count(live.lesson_id) AS completed, max(p.updated_at) AS last_active_at
		FROM lesson_progress p
		LEFT JOIN live ON live.lesson_id = p.lesson_id AND p.status = 'completed'
		WHERE p.user_id IN (SELECT user_id FROM learners)
		GROUP BY p.user_id
	), pulse AS (
		SELECT user_id, count(*) AS n, sum(clarity) AS clarity, sum(understood) AS understood, sum(again) AS again
		FROM pulses WHERE user_id IN (SELECT user_id FROM learners) AND answered_at IS NOT NULL
		GROUP BY user_id
	), practice AS (
		SELECT user_id, count(*) AS submitted,
		       count(*) FILTER (WHERE status = 'reviewed') AS reviewed,
		       count(*) FILTER (WHERE status = 'submitted') AS awaiting_review
		FROM practice_submissions
		WHERE user_id IN (SELECT user_id FROM learners) AND status <> 'draft'
		GROUP BY user_id
	)
	SELECT l.user_id::text, l.name, l.email, l.role, l.joined_at, coalesce(r.n, 0),
	       coalesce(p.completed, 0), (SELECT count(*) FROM live), p.last_active_at,
	       coalesce(q.n, 0), coalesce(q.clarity, 0), coalesce(q.understood, 0), coalesce(q.again, 0),
	       coalesce(k.submitted, 0), coalesce(k.reviewed, 0), coalesce(k.awaiting_review, 0)
	FROM learners l
	LEFT JOIN recognised r ON r.user_id = l.user_id
	LEFT JOIN progress p ON p.user_id = l.user_id
	LEFT JOIN pulse q ON q.user_id = l.user_id
	LEFT JOIN practice k ON k.user_id = l.user_id
	ORDER BY lower(l.name), l.user_id`

// reportFacts is one seat holder with the raw numbers of their report row.
type reportFacts struct {
	Learner
	Progress MemberProgress // Percent is left to the service
	Pulse    PulseSums
	Practice PracticeEvidence // counts only; observed scores come with the competency rows
}

// FindReportMembers reads a team's seat holders (only those listed, when only is not nil) with
// their report numbers, in one statement, by name.
func (s *Store) FindReportMembers(ctx context.Context, teamID string, only []string) ([]reportFacts, error) {
	filter, args := "", []any{teamID}
	if only != nil {
		filter, args = ` AND m.user_id = ANY(CAST($2 AS uuid[]))`, append(args, only)
	}
	var out []reportFacts
	err := s.query(ctx, fmt.Sprintf(reportMembersSQL, filter), args, func(scan func(...any) error) error {
		var f reportFacts
		var last *time.Time
		if err := scan(&f.UserID, &f.Name, &f.Email, &f.Role, &f.JoinedAt, &f.Recognitions,
			&f.Progress.CompletedLessons, &f.Progress.LessonCount, &last,
			&f.Pulse.Responses, &f.Pulse.Clarity, &f.Pulse.Understood, &f.Pulse.Again,
			&f.Practice.Submitted, &f.Practice.Reviewed, &f.Practice.AwaitingReview); err != nil {
			return err
		}
		f.JoinedAt = f.JoinedAt.UTC()
		if last != nil {
			t := last.UTC()
			f.Progress.LastActiveAt = &t
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// reportCompetenciesSQL reads, for the learners $1, three kinds of per-competency rows in one
// statement: (1) the competency scores of each learner's baseline and latest submitted attempt of
// every instrument, in time order (assessments' FindBaselineAndLatest); (2) each learner's latest
// self-rating, the Likert part of their latest attempt scoring it (assessments'
// FindSelfRatings); (3) the managers' mean rubric score over the learner's latest $2 reviewed
// submissions scoring the competency, peer reviews left out (practice's FindEvidence).
const reportCompetenciesSQL = `
	WITH learners AS (
		SELECT m.user_id FROM team_members m WHERE m.team_id = $1 AND ` + seatHolder + `%s
	), mine AS (
		SELECT id, user_id, instrument_id, kind, submitted_at FROM attempts
		WHERE user_id IN (SELECT user_id FROM learners) AND submitted_at IS NOT NULL
	), latest AS (
		SELECT DISTINCT ON (user_id, instrument_id) id FROM mine
		ORDER BY user_id, instrument_id, submitted_at DESC, id DESC
	), self AS (
		SELECT DISTINCT ON (a.user_id, s.competency) a.user_id, s.competency, s.likert::float8 AS likert
		FROM mine a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE s.likert IS NOT NULL
		ORDER BY a.user_id, s.competency, a.submitted_at DESC, a.id DESC
	), criteria AS (
		SELECT s.id, s.user_id, s.reviewed_at, c->>'id' AS criterion_id, c->>'competency' AS competency
		FROM practice_submissions s
		JOIN practice_activities a ON a.id = s.activity_id
		CROSS JOIN LATERAL jsonb_array_elements(a.rubric) c
		WHERE s.user_id IN (SELECT user_id FROM learners) AND s.status = 'reviewed'
	), recent AS (
		SELECT id, competency,
		       row_number() OVER (PARTITION BY user_id, competency ORDER BY reviewed_at DESC, id DESC) AS n
		FROM (SELECT DISTINCT id, user_id, competency, reviewed_at FROM criteria) d
	), observed AS (
		SELECT c.user_id, c.competency, avg((sc->>'score')::float8) AS mean, count(DISTINCT r.id) AS reviews
		FROM recent w
		JOIN criteria c ON c.id = w.id AND c.competency = w.competency
		JOIN practice_reviews r ON r.submission_id = w.id AND r.role = 'manager' AND r.submitted_at IS NOT NULL
		CROSS JOIN LATERAL jsonb_array_elements(r.scores) sc
		WHERE w.n <= $2 AND sc->>'criterion_id' = c.criterion_id
		GROUP BY c.user_id, c.competency
	)
	SELECT 1 AS src, a.user_id::text AS user_id, a.instrument_id::text, a.id::text AS attempt_id, a.kind,
	       a.submitted_at, s.competency, s.score::float8, 0::bigint
	FROM mine a JOIN attempt_scores s ON s.attempt_id = a.id
	WHERE a.kind = 'baseline' OR a.id IN (SELECT id FROM latest)
	UNION ALL
	SELECT 2, user_id::text, '', '', '', NULL, competency, likert, 0 FROM self
	UNION ALL
	SELECT 3, user_id::text, '', '', '', NULL, competency, mean, reviews FROM observed
	ORDER BY src, user_id, submitted_at, attempt_id`

// competencyFacts are the raw per-competency rows of a report's learners.
type competencyFacts struct {
	Scores   []SkillScore
	Self     map[string]map[string]float64      // user → competency → self-rating
	Observed map[string]map[string]ObservedMean // user → competency → managers' mean
}

// FindReportCompetencies reads the team's seat holders' (only those listed, when only is not nil)
// assessment scores, self-ratings and observed practice means in one statement; window is
// practice's observed window. It selects the learners itself, as FindReportMembers does, so the
// two statements can run at the same time. A 500-rep team sends
// thousands of rows repeating a few hundred ids, so each row is scanned into the same variables,
// its text read in place and every distinct id kept once.
func (s *Store) FindReportCompetencies(ctx context.Context, teamID string, only []string, window int) (competencyFacts, error) {
	filter, args := "", []any{teamID, window}
	if only != nil {
		filter, args = ` AND m.user_id = ANY(CAST($3 AS uuid[]))`, append(args, only)
	}
	out := competencyFacts{Self: map[string]map[string]float64{}, Observed: map[string]map[string]ObservedMean{}}
	var (
		src, reviews                          int
		user, instrument, attempt, kind, comp pgtype.DriverBytes
		at                                    pgtype.Timestamptz
		value                                 float64
	)
	names := map[string]string{}
	name := func(b []byte) string {
		if v, ok := names[string(b)]; ok {
			return v
		}
		v := string(b)
		names[v] = v
		return v
	}
	err := s.query(ctx, fmt.Sprintf(reportCompetenciesSQL, filter), args, func(scan func(...any) error) error {
		if err := scan(&src, &user, &instrument, &attempt, &kind, &at, &comp, &value, &reviews); err != nil {
			return err
		}
		uid, c := name(user), name(comp)
		switch src {
		case 1:
			out.Scores = append(out.Scores, SkillScore{UserID: uid, InstrumentID: name(instrument), AttemptID: name(attempt),
				Kind: name(kind), SubmittedAt: at.Time.UTC(), Competency: c, Score: value})
		case 2:
			inner(out.Self, uid)[c] = value
		default:
			inner(out.Observed, uid)[c] = ObservedMean{Mean: value, Reviews: reviews}
		}
		return nil
	})
	return out, err
}

// inner returns m[k], creating it when missing.
func inner[V any](m map[string]map[string]V, k string) map[string]V {
	v := m[k]
	if v == nil {
		v = map[string]V{}
		m[k] = v
	}
	return v
}

// errNoPool is a report statement on a store bound to a transaction (the report never runs in one).
var errNoPool = errors.New("teams: the report's statements run on the pool, not in a transaction")

// query runs one reading statement straight on pgx and calls each with a scanner for every row.
func (s *Store) query(ctx context.Context, sql string, args []any, each func(scan func(...any) error) error) error {
	if s.pool == nil {
		return errNoPool
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return db.Err(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return db.Err(err)
		}
	}
	return db.Err(rows.Err())
}
