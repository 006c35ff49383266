package teams

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ClaimDigests records, in one statement, every manager who is due this week's digest at now:
// weekly e-mails on, their own wall clock at or past DigestAfter into their week, an active
// manager of a team with at least one other seat holder, and no digest logged for that week yet.
// It returns them with their address, read in the same statement, so repeated or concurrent
// runs never claim one manager twice in a week.
func (s *Store) ClaimDigests(ctx context.Context, now time.Time) ([]DueDigest, error) {
	var rows []DueDigest
	err := s.db.WithContext(ctx).Raw(`
		WITH due AS (
			SELECT u.id, date_trunc('week', CAST(@now AS timestamptz) AT TIME ZONE u.time_zone) AS week
			FROM users u
			WHERE u.weekly_reminders
			  AND EXISTS (SELECT 1 FROM team_members mg
			              JOIN team_members m ON m.team_id = mg.team_id AND m.user_id <> mg.user_id
			                   AND m.removed_at IS NULL AND m.is_learner
			              WHERE mg.user_id = u.id AND mg.role = @manager AND mg.removed_at IS NULL)
		), claimed AS (
			INSERT INTO manager_digest_log (user_id, week_start, sent_at)
			SELECT d.id, d.week::date, @now FROM due d JOIN users u ON u.id = d.id
			WHERE CAST(@now AS timestamptz) AT TIME ZONE u.time_zone >= d.week + make_interval(secs => @after)
			ON CONFLICT DO NOTHING
			RETURNING user_id, week_start
		)
		SELECT c.user_id, c.week_start, u.email, u.name FROM claimed c JOIN users u ON u.id = c.user_id
		ORDER BY c.user_id`,
		map[string]any{"now": now, "manager": RoleManager, "after": DigestAfter.Seconds()}).Scan(&rows).Error
	return rows, db.Err(err)
}

// ReleaseDigest forgets a claim whose mail could not be queued, so the next run retries it.
func (s *Store) ReleaseDigest(ctx context.Context, userID string, week time.Time) error {
	return db.Err(s.db.WithContext(ctx).Exec(`DELETE FROM manager_digest_log WHERE user_id = ? AND week_start = ?`,
		userID, week.Format(time.DateOnly)).Error)
}

// FindManagedTeams lists the teams each manager actively manages, by name, keyed by manager id.
func (s *Store) FindManagedTeams(ctx context.Context, managerIDs []string) (map[string][]Team, error) {
	var rows []struct {
		UserID string
		ID     string
		Name   string
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT m.user_id, t.id, t.name FROM team_members m JOIN teams t ON t.id = m.team_id
		WHERE m.user_id = ANY(CAST(@users AS uuid[])) AND m.role = @manager AND m.removed_at IS NULL
		ORDER BY lower(t.name), t.id`,
		map[string]any{"users": db.StringArray(managerIDs), "manager": RoleManager}).Scan(&rows).Error
	out := map[string][]Team{}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], Team{ID: r.ID, Name: r.Name})
	}
	return out, db.Err(err)
}

// FindPulseWins reads Buyer Pulse's pulses (a join listed in docs/ARCHITECTURE.md): the reps
// among userIDs whose answers in [since, until) number at least pulseWinMinAnswers and average
// PulseWinAverage or more over the three questions, with the latest answer's time. Never a
// comment and never a single answer, as the manager's aggregates.
func (s *Store) FindPulseWins(ctx context.Context, userIDs []string, since, until time.Time) (map[string]PulseWin, error) {
	var rows []PulseWin
	err := s.db.WithContext(ctx).Raw(`
		SELECT user_id, count(*) AS answers, avg((clarity + understood + again) / 3.0) AS average, max(answered_at) AS last_at
		FROM pulses
		WHERE user_id = ANY(CAST(@users AS uuid[])) AND answered_at >= @since AND answered_at < @until
		GROUP BY user_id
		HAVING count(*) >= @min AND avg((clarity + understood + again) / 3.0) >= @avg`,
		map[string]any{"users": db.StringArray(userIDs), "since": since, "until": until,
			"min": pulseWinMinAnswers, "avg": PulseWinAverage}).Scan(&rows).Error
	out := make(map[string]PulseWin, len(rows))
	for _, r := range rows {
		out[r.UserID] = r
	}
	return out, db.Err(err)
}
