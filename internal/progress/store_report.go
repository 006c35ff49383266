package progress

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// moduleStatRow is one started, published module with its counts and lessons of interest.
type moduleStatRow struct {
	ModuleID         string
	Slug             string
	Title            string
	LessonCount      int
	CompletedLessons int
	LastAt           time.Time
	LastID           *string
	LastSlug         *string
	LastTitle        *string
	LastStatus       *string
	NextID           *string
	NextSlug         *string
	NextTitle        *string
}

func (r moduleStatRow) toModuleStat() ModuleStat {
	m := ModuleStat{ModuleID: r.ModuleID, Slug: r.Slug, Title: r.Title, CompletedLessons: r.CompletedLessons,
		LessonCount: r.LessonCount, Percent: percent(r.CompletedLessons, r.LessonCount), LastActivityAt: r.LastAt.UTC()}
	if r.LastID != nil {
		m.LastLesson = &LessonRef{ID: *r.LastID, Slug: deref(r.LastSlug), Title: deref(r.LastTitle), Status: deref(r.LastStatus)}
	}
	if r.NextID != nil {
		m.NextLesson = &LessonRef{ID: *r.NextID, Slug: deref(r.NextSlug), Title: deref(r.NextTitle)}
	}
	return m
}

// FindModuleStats aggregates a learner's progress per published module they started, newest
// activity first, in one query: counts are over each module's latest published version, and
// the last-touched and next lessons are picked in SQL (no per-module queries).
func (s *Store) FindModuleStats(ctx context.Context, userID string) ([]ModuleStat, error) {
	var rows []moduleStatRow
	err := s.g(ctx).Raw(`
		WITH mine AS (
			SELECT module_id, max(updated_at) AS last_at FROM lesson_progress WHERE user_id = @user GROUP BY module_id
		), cur AS (
			SELECT m.id, m.slug, v.title, v.id AS version_id, v.lesson_count, mine.last_at
			FROM mine
			JOIN modules m ON m.id = mine.module_id AND m.state = 'published'
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		), les AS (
			SELECT c.id AS module_id, lv.lesson_id, lv.slug, lv.title, p.status, p.updated_at,
			       row_number() OVER (PARTITION BY c.id ORDER BY lv.position, lv.slug) AS ord
			FROM cur c
			JOIN lesson_versions lv ON lv.module_version_id = c.version_id
			LEFT JOIN lesson_progress p ON p.user_id = @user AND p.lesson_id = lv.lesson_id
		), last AS (
			SELECT DISTINCT ON (module_id) module_id, lesson_id, slug, title, status, ord
			FROM les WHERE updated_at IS NOT NULL
			ORDER BY module_id, updated_at DESC, ord
		), nxt AS (
			SELECT DISTINCT ON (l.module_id) l.module_id, l.lesson_id, l.slug, l.title
			FROM les l LEFT JOIN last ON last.module_id = l.module_id
			WHERE l.status IS DISTINCT FROM 'completed'
			ORDER BY l.module_id, l.ord < coalesce(last.ord, 0), l.ord
		), done AS (
			SELECT module_id, count(*) FILTER (WHERE status = 'completed') AS n FROM les GROUP BY module_id
		)
		SELECT c.id AS module_id, c.slug, c.title, c.lesson_count, c.last_at, d.n AS completed_lessons,
		       last.lesson_id AS last_id, last.slug AS last_slug, last.title AS last_title, last.status AS last_status,
		       nxt.lesson_id AS next_id, nxt.slug AS next_slug, nxt.title AS next_title
		FROM cur c
		JOIN done d ON d.module_id = c.id
		LEFT JOIN last ON last.module_id = c.id
		LEFT JOIN nxt ON nxt.module_id = c.id
		ORDER BY c.last_at DESC, c.slug`, map[string]any{"user": userID}).Scan(&rows).Error
	out := make([]ModuleStat, len(rows))
	for i, r := range rows {
		out[i] = r.toModuleStat()
	}
	return out, db.Err(err)
}

// calendarDayRow is the learner's calendar with one day of reading (none: Day is nil).
type calendarDayRow struct {
	TimeZone    string
	LocalNow    time.Time
	GoalMinutes *int
	Day         *time.Time
	Seconds     int
}

// FindWeekReading returns the learner's calendar at now (zone, wall-clock time, goal) and their
// reading per local calendar day before until, in one query; unknown learner → NotFound. Local
// days are counted in the learner's zone as it is now (users.time_zone).
func (s *Store) FindWeekReading(ctx context.Context, userID string, now, until time.Time) (Calendar, []DaySeconds, error) {
	var rows []calendarDayRow
	err := s.g(ctx).Raw(`
		SELECT u.time_zone, CAST(@now AS timestamptz) AT TIME ZONE u.time_zone AS local_now, g.goal_minutes, d.day, coalesce(d.seconds, 0) AS seconds
		FROM users u
		LEFT JOIN weekly_goals g ON g.user_id = u.id
		LEFT JOIN LATERAL (
			SELECT (e.at AT TIME ZONE u.time_zone)::date AS day, sum(e.seconds) AS seconds
			FROM progress_time_events e
			WHERE e.user_id = u.id AND e.at < @until
			GROUP BY 1
		) d ON true
		WHERE u.id = @user
		ORDER BY d.day`, map[string]any{"user": userID, "now": now, "until": until}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return Calendar{}, nil, db.Err(err)
	}
	c := Calendar{TimeZone: rows[0].TimeZone, LocalNow: rows[0].LocalNow, Goal: GoalOf(rows[0].GoalMinutes)}
	var days []DaySeconds
	for _, r := range rows {
		if r.Day != nil {
			days = append(days, DaySeconds{Day: *r.Day, Seconds: r.Seconds})
		}
	}
	return c, days, nil
}

// teamRow is one learner's totals for a team report.
type teamRow struct {
	UserID           string
	CompletedLessons int
	LessonCount      int
	LastActiveAt     *time.Time
}

// FindTeamProgress totals the given learners' completed lessons over every published module's
// latest version, in one query, keyed by user id (unknown ids get zero progress).
func (s *Store) FindTeamProgress(ctx context.Context, userIDs []string) (map[string]MemberProgress, error) {
	var rows []teamRow
	err := s.g(ctx).Raw(`
		WITH live AS (
			SELECT lv.lesson_id
			FROM modules m
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			JOIN lesson_versions lv ON lv.module_version_id = v.id
			WHERE m.state = 'published'
		)
		SELECT ids.id AS user_id, count(live.lesson_id) AS completed_lessons,
		       (SELECT count(*) FROM live) AS lesson_count, max(p.updated_at) AS last_active_at
		FROM unnest(?::uuid[]) AS ids(id)
		LEFT JOIN lesson_progress p ON p.user_id = ids.id
		LEFT JOIN live ON live.lesson_id = p.lesson_id AND p.status = 'completed'
		GROUP BY ids.id`, db.StringArray(userIDs)).Scan(&rows).Error
	out := make(map[string]MemberProgress, len(rows))
	for _, r := range rows {
		var last *time.Time
		if r.LastActiveAt != nil {
			t := r.LastActiveAt.UTC()
			last = &t
		}
		out[r.UserID] = MemberProgress{CompletedLessons: r.CompletedLessons, LessonCount: r.LessonCount,
			Percent: percent(r.CompletedLessons, r.LessonCount), LastActiveAt: last}
	}
	return out, db.Err(err)
}

// moduleCountRow is one learner's counts in one module.
type moduleCountRow struct {
	UserID      string
	ModuleID    string
	LessonCount int
	Started     int
	Completed   int
}

// FindModuleCounts counts every learner's started and completed lessons of each module's latest
// published version, in one query: result[userID][moduleID], zero counts included.
func (s *Store) FindModuleCounts(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]ModuleCount, error) {
	var rows []moduleCountRow
	err := s.g(ctx).Raw(`
		WITH live AS (
			SELECT m.id AS module_id, lv.lesson_id, v.lesson_count
			FROM modules m
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			JOIN lesson_versions lv ON lv.module_version_id = v.id
			WHERE m.id = ANY(CAST(@modules AS uuid[]))
		)
		SELECT u.id AS user_id, l.module_id, max(l.lesson_count) AS lesson_count,
		       count(p.lesson_id) AS started,
		       count(p.lesson_id) FILTER (WHERE p.status = 'completed') AS completed
		FROM unnest(CAST(@users AS uuid[])) AS u(id)
		CROSS JOIN live l
		LEFT JOIN lesson_progress p ON p.user_id = u.id AND p.lesson_id = l.lesson_id
		GROUP BY u.id, l.module_id`,
		map[string]any{"users": db.StringArray(userIDs), "modules": db.StringArray(moduleIDs)}).Scan(&rows).Error
	out := map[string]map[string]ModuleCount{}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]ModuleCount{}
		}
		out[r.UserID][r.ModuleID] = ModuleCount{LessonCount: r.LessonCount, Started: r.Started, Completed: r.Completed}
	}
	return out, db.Err(err)
}

// FindCompletions lists the learners' certificates issued at or after since, newest first.
func (s *Store) FindCompletions(ctx context.Context, userIDs []string, since time.Time) ([]Completion, error) {
	var rows []Completion
	err := s.g(ctx).Raw(`
		SELECT c.user_id, m.slug AS module_slug, v.title AS module_title, c.issued_at AS at
		FROM certificates c
		JOIN modules m ON m.id = c.module_id
		JOIN module_versions v ON v.module_id = c.module_id AND v.version = c.module_version
		WHERE c.user_id = ANY(CAST(@users AS uuid[])) AND c.issued_at >= @since
		ORDER BY c.issued_at DESC, c.code`, map[string]any{"users": db.StringArray(userIDs), "since": since}).Scan(&rows).Error
	for i := range rows {
		rows[i].At = rows[i].At.UTC()
	}
	return rows, db.Err(err)
}

// reminderCandidateRow is a learner who wants reminders, with their calendar at now.
type reminderCandidateRow struct {
	UserID       string
	Email        string
	Name         string
	TimeZone     string
	LocalNow     time.Time
	GoalMinutes  *int
	LastReminded *time.Time
}

// FindReminderCandidates lists every learner who wants weekly reminders, with their calendar at
// now and the week of their latest reminder, by user id.
func (s *Store) FindReminderCandidates(ctx context.Context, now time.Time) ([]ReminderCandidate, error) {
	var rows []reminderCandidateRow
	err := s.g(ctx).Raw(`
		SELECT u.id AS user_id, u.email, u.name, u.time_zone,
		       CAST(@now AS timestamptz) AT TIME ZONE u.time_zone AS local_now, g.goal_minutes,
		       (SELECT max(r.week_start) FROM reminder_log r WHERE r.user_id = u.id) AS last_reminded
		FROM users u LEFT JOIN weekly_goals g ON g.user_id = u.id
		WHERE u.weekly_reminders
		ORDER BY u.id`, map[string]any{"now": now}).Scan(&rows).Error
	out := make([]ReminderCandidate, len(rows))
	for i, r := range rows {
		out[i] = ReminderCandidate{UserID: r.UserID, Email: r.Email, Name: r.Name, LastReminded: r.LastReminded,
			Calendar: Calendar{TimeZone: r.TimeZone, LocalNow: r.LocalNow, Goal: GoalOf(r.GoalMinutes)}}
	}
	return out, db.Err(err)
}

// FindReadingDays returns the learners' reading per local calendar day (each in their own zone)
// for the instants in [from, until), keyed by user id.
func (s *Store) FindReadingDays(ctx context.Context, userIDs []string, from, until time.Time) (map[string][]DaySeconds, error) {
	var rows []struct {
		UserID  string
		Day     time.Time
		Seconds int
	}
	err := s.g(ctx).Raw(`
		SELECT e.user_id, (e.at AT TIME ZONE u.time_zone)::date AS day, sum(e.seconds) AS seconds
		FROM progress_time_events e JOIN users u ON u.id = e.user_id
		WHERE e.user_id = ANY(CAST(@users AS uuid[])) AND e.at >= @from AND e.at < @until
		GROUP BY 1, 2`,
		map[string]any{"users": db.StringArray(userIDs), "from": from, "until": until}).Scan(&rows).Error
	out := map[string][]DaySeconds{}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], DaySeconds{Day: r.Day, Seconds: r.Seconds})
	}
	return out, db.Err(err)
}

// ClaimReminder records the learner's reminder for the week starting on the local date week;
// false when it was already claimed (by an earlier run or another process at the same moment).
func (s *Store) ClaimReminder(ctx context.Context, userID string, week, now time.Time) (bool, error) {
	res := s.g(ctx).Exec(`INSERT INTO reminder_log (user_id, week_start, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, week.Format(time.DateOnly), now)
	return res.RowsAffected == 1, db.Err(res.Error)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// FindLessonCompletions lists when each of the learners completed each of their completed
// lessons, keyed by user id.
func (s *Store) FindLessonCompletions(ctx context.Context, userIDs []string) (map[string][]time.Time, error) {
	var rows []struct {
		UserID      string
		CompletedAt time.Time
	}
	err := s.g(ctx).Raw(`SELECT user_id, completed_at FROM lesson_progress
		WHERE user_id IN ? AND completed_at IS NOT NULL`, userIDs).Scan(&rows).Error
	out := make(map[string][]time.Time)
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.CompletedAt.UTC())
	}
	return out, db.Err(err)
}
