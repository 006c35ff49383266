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

// findModuleStats aggregates a learner's progress per published module they started, newest
// activity first, in one query: counts are over each module's latest published version, and
// the last-touched and next lessons are picked in SQL (no per-module queries).
func (store) findModuleStats(ctx context.Context, g *gorm.DB, userID string) ([]moduleStatRow, error) {
	var rows []moduleStatRow
	err := g.WithContext(ctx).Raw(`
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
	return rows, db.Err(err)
}

// weekRow is the learner's current week in their time zone.
type weekRow struct {
	TimeZone    string
	GoalMinutes int
	GoalSet     bool
	WeekStart   time.Time
	Minutes     int
	StreakWeeks int
}

// findWeek computes the current week's minutes, the goal and the streak in one query. Weeks run
// from Monday 00:00 to Monday 00:00 in the learner's time zone (users.time_zone, as it is now);
// a week's minutes are the floor of its seconds / 60. The streak counts consecutive weeks with
// minutes >= the current goal, ending with this week when it is met, else with last week.
func (store) findWeek(ctx context.Context, g *gorm.DB, userID string, now time.Time) (weekRow, error) {
	var rows []weekRow
	err := g.WithContext(ctx).Raw(`
		WITH u AS (
			SELECT u.time_zone AS tz, coalesce(g.goal_minutes, CAST(@default_goal AS integer)) AS goal,
			       g.goal_minutes IS NOT NULL AS goal_set,
			       date_trunc('week', CAST(@now AS timestamptz) AT TIME ZONE u.time_zone) AS week_local
			FROM users u LEFT JOIN weekly_goals g ON g.user_id = u.id
			WHERE u.id = @user
		), weeks AS (
			SELECT date_trunc('week', e.at AT TIME ZONE u.tz) AS wk, sum(e.seconds) / 60 AS minutes
			FROM progress_time_events e, u
			WHERE e.user_id = @user AND e.at < ((u.week_local + interval '1 week') AT TIME ZONE u.tz)
			GROUP BY 1
		), met AS (
			SELECT wk, row_number() OVER (ORDER BY wk DESC) AS rn
			FROM weeks, u WHERE weeks.minutes >= u.goal
		), anchor AS (
			SELECT CASE WHEN EXISTS (SELECT 1 FROM met WHERE met.wk = u.week_local)
			            THEN u.week_local ELSE u.week_local - interval '1 week' END AS a
			FROM u
		)
		SELECT u.tz AS time_zone, u.goal AS goal_minutes, u.goal_set, u.week_local::date AS week_start,
		       coalesce((SELECT minutes FROM weeks WHERE weeks.wk = u.week_local), 0) AS minutes,
		       (SELECT count(*) FROM met, anchor WHERE met.wk = anchor.a - (met.rn - 1) * interval '1 week') AS streak_weeks
		FROM u`, map[string]any{"user": userID, "now": now, "default_goal": DefaultGoalMinutes}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return weekRow{}, db.Err(err)
	}
	return rows[0], nil
}

// teamRow is one learner's totals for a team report.
type teamRow struct {
	UserID           string
	CompletedLessons int
	LessonCount      int
	LastActiveAt     *time.Time
}

// findTeamProgress totals the given learners' completed lessons over every published module's
// latest version, in one query.
func (store) findTeamProgress(ctx context.Context, g *gorm.DB, userIDs []string) ([]teamRow, error) {
	var rows []teamRow
	err := g.WithContext(ctx).Raw(`
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
	return rows, db.Err(err)
}

// moduleCountRow is one learner's counts in one module.
type moduleCountRow struct {
	UserID      string
	ModuleID    string
	LessonCount int
	Started     int
	Completed   int
}

// findModuleCounts counts every learner's started and completed lessons of each module's latest
// published version, in one query.
func (store) findModuleCounts(ctx context.Context, g *gorm.DB, userIDs, moduleIDs []string) ([]moduleCountRow, error) {
	var rows []moduleCountRow
	err := g.WithContext(ctx).Raw(`
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
	return rows, db.Err(err)
}

// findCompletions lists the learners' certificates issued at or after since, newest first.
func (store) findCompletions(ctx context.Context, g *gorm.DB, userIDs []string, since time.Time) ([]Completion, error) {
	var rows []Completion
	err := g.WithContext(ctx).Raw(`
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

// reminderRow is one learner claimed for this week's reminder.
type reminderRow struct {
	UserID      string
	Email       string
	Name        string
	GoalMinutes int
	Minutes     int
	WeekStart   time.Time
}

// claimReminders finds learners who want reminders, whose local time is Friday 09:00 or later in
// their current week, who are below their goal and have not been reminded this week, and records
// the reminder for each in reminder_log in the same statement. A row that another process
// claimed first is skipped by ON CONFLICT, so each learner is claimed once a week.
func (store) claimReminders(ctx context.Context, g *gorm.DB, now time.Time) ([]reminderRow, error) {
	var rows []reminderRow
	err := g.WithContext(ctx).Raw(`
		WITH cand AS (
			SELECT u.id, u.email, u.name, u.time_zone, coalesce(g.goal_minutes, CAST(@default_goal AS integer)) AS goal,
			       g.goal_minutes IS NOT NULL AS goal_set,
			       date_trunc('week', CAST(@now AS timestamptz) AT TIME ZONE u.time_zone) AS week_local,
			       CAST(@now AS timestamptz) AT TIME ZONE u.time_zone AS local_now
			FROM users u LEFT JOIN weekly_goals g ON g.user_id = u.id
			WHERE u.weekly_reminders
		), due AS (
			SELECT c.*,
			       (SELECT coalesce(sum(e.seconds), 0) / 60 FROM progress_time_events e
			        WHERE e.user_id = c.id AND e.at >= (c.week_local AT TIME ZONE c.time_zone)
			          AND e.at < CAST(@now AS timestamptz)) AS minutes
			FROM cand c
			WHERE c.local_now >= c.week_local + interval '4 days 9 hours'
			  AND NOT EXISTS (SELECT 1 FROM reminder_log r WHERE r.user_id = c.id AND r.week_start = c.week_local::date)
		), claimed AS (
			INSERT INTO reminder_log (user_id, week_start, sent_at)
			SELECT id, week_local::date, CAST(@now AS timestamptz) FROM due WHERE minutes < goal
			ON CONFLICT DO NOTHING
			RETURNING user_id
		)
		SELECT d.id AS user_id, d.email, d.name, d.goal AS goal_minutes, d.minutes, d.week_local::date AS week_start
		FROM due d JOIN claimed ON claimed.user_id = d.id
		ORDER BY d.id`, map[string]any{"now": now, "default_goal": DefaultGoalMinutes}).Scan(&rows).Error
	return rows, db.Err(err)
}

// releaseReminder forgets a claim whose mail could not be queued, so the next run retries it.
func (store) releaseReminder(ctx context.Context, g *gorm.DB, userID string, weekStart time.Time) error {
	return db.Err(g.WithContext(ctx).Exec(`DELETE FROM reminder_log WHERE user_id = ? AND week_start = ?`,
		userID, weekStart.Format(time.DateOnly)).Error)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
