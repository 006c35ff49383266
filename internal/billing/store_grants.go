package billing

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type grantRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	UserID    *string
	TeamID    *string
	Seats     *int
	EndsAt    time.Time
	CreatedBy *string
	CreatedAt time.Time
	RevokedAt *time.Time
	// Who the grant is for, read with it by grantViewSQL and never written.
	UserName  *string `gorm:"->"`
	UserEmail *string `gorm:"->"`
	TeamName  *string `gorm:"->"`
}

func (grantRow) TableName() string { return "billing_grants" }

func (r grantRow) toGrant() Grant {
	g := Grant{ID: r.ID, UserID: deref(r.UserID), TeamID: deref(r.TeamID), EndsAt: r.EndsAt.UTC(),
		CreatedBy: deref(r.CreatedBy), CreatedAt: r.CreatedAt.UTC(), RevokedAt: utcPtr(r.RevokedAt),
		UserName: deref(r.UserName), UserEmail: deref(r.UserEmail), TeamName: deref(r.TeamName)}
	if r.Seats != nil {
		g.Seats = *r.Seats
	}
	return g
}

// CreateGrant stores a new grant (seats only for a team's) and returns its id. An unknown user
// is NotFound.
func (s *Store) CreateGrant(ctx context.Context, g Grant) (string, error) {
	r := grantRow{UserID: ptr(g.UserID), TeamID: ptr(g.TeamID), EndsAt: g.EndsAt, CreatedBy: ptr(g.CreatedBy), CreatedAt: g.CreatedAt}
	if g.TeamID != "" {
		r.Seats = &g.Seats
	}
	err := s.db.WithContext(ctx).Create(&r).Error
	return r.ID, fkErr(err)
}

// grantViewSQL reads grants with their owner's names: billing reads (never writes) identity's
// users and the teams domain's teams here, so the admin list costs one query however long it is.
const grantViewSQL = `
	SELECT g.id, g.user_id, g.team_id, g.seats, g.ends_at, g.created_by, g.created_at, g.revoked_at,
	       u.name AS user_name, u.email AS user_email, t.name AS team_name
	FROM billing_grants g
	LEFT JOIN users u ON u.id = g.user_id
	LEFT JOIN teams t ON t.id = g.team_id`

// FindGrants lists the newest grants (at most limit) with their owners' names.
func (s *Store) FindGrants(ctx context.Context, limit int) ([]Grant, error) {
	var rows []grantRow
	err := s.db.WithContext(ctx).Raw(grantViewSQL+` ORDER BY g.created_at DESC, g.id LIMIT ?`, limit).Scan(&rows).Error
	out := make([]Grant, len(rows))
	for i, r := range rows {
		out[i] = r.toGrant()
	}
	return out, db.Err(err)
}

// FindGrantByID reads one grant with its owner's names; NotFound when unknown.
func (s *Store) FindGrantByID(ctx context.Context, id string) (Grant, error) {
	var rows []grantRow
	err := s.db.WithContext(ctx).Raw(grantViewSQL+` WHERE g.id = ?`, id).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return Grant{}, db.Err(err)
	}
	return rows[0].toGrant(), nil
}

// RevokeGrant ends a grant at `at`; revoking it again keeps the first time. Unknown → NotFound.
func (s *Store) RevokeGrant(ctx context.Context, id string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&grantRow{}).Where("id = ?", id).
		Update("revoked_at", gorm.Expr("coalesce(revoked_at, ?)", at))
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return db.Err(gorm.ErrRecordNotFound)
	}
	return nil
}

// accessRow is one subscription (kind 's') or grant (kind 'g') of FindAccess's union.
type accessRow struct {
	Kind              string
	ID                string
	UserID            *string
	TeamID            *string
	Status            string
	Quantity          int
	CurrentPeriodEnd  *time.Time
	CancelAtPeriodEnd bool
	PastDueSince      *time.Time
	Seats             *int
	EndsAt            *time.Time
	RevokedAt         *time.Time
}

// FindAccess reads, in one query, every subscription and grant of the user (userID "" for none)
// and of the teams: whatever their state, because whether they give access is decided in Go
// (Subscription.Entitles, Grant.State), not here. The history of one user or team is a handful
// of rows, found through the owner indexes (migration 20261206090000 made the grants' ones
// cover revoked grants, so this read is not a sequential scan).
func (s *Store) FindAccess(ctx context.Context, userID string, teamIDs []string) (Access, error) {
	var rows []accessRow
	err := s.db.WithContext(ctx).Raw(`
		SELECT 's' AS kind, s.stripe_id AS id, s.user_id, s.team_id, s.status, s.quantity, s.current_period_end,
		       s.cancel_at_period_end, s.past_due_since, NULL::integer AS seats, NULL::timestamptz AS ends_at,
		       NULL::timestamptz AS revoked_at
		FROM billing_subscriptions s
		WHERE s.user_id = CAST(@user AS uuid) OR s.team_id = ANY(CAST(@teams AS uuid[]))
		UNION ALL
		SELECT 'g', g.id::text, g.user_id, g.team_id, '', 0, NULL, false, NULL, g.seats, g.ends_at, g.revoked_at
		FROM billing_grants g
		WHERE g.user_id = CAST(@user AS uuid) OR g.team_id = ANY(CAST(@teams AS uuid[]))`,
		map[string]any{"user": ptr(userID), "teams": db.StringArray(teamIDs)}).Scan(&rows).Error
	var a Access
	for _, r := range rows {
		if r.Kind == "s" {
			a.Subscriptions = append(a.Subscriptions, Subscription{StripeID: r.ID, UserID: deref(r.UserID), TeamID: deref(r.TeamID),
				Status: r.Status, Quantity: r.Quantity, CurrentPeriodEnd: utcPtr(r.CurrentPeriodEnd),
				CancelAtPeriodEnd: r.CancelAtPeriodEnd, PastDueSince: utcPtr(r.PastDueSince)})
			continue
		}
		g := Grant{ID: r.ID, UserID: deref(r.UserID), TeamID: deref(r.TeamID), RevokedAt: utcPtr(r.RevokedAt)}
		if r.EndsAt != nil {
			g.EndsAt = r.EndsAt.UTC()
		}
		if r.Seats != nil {
			g.Seats = *r.Seats
		}
		a.Grants = append(a.Grants, g)
	}
	return a, db.Err(err)
}

// ReaderAccess is everything that decides whether one user reads premium content: whether the
// account exists and holds the admin role, the teams on which it holds a seat, and the
// subscriptions and grants of the user and of those teams.
type ReaderAccess struct {
	Exists bool
	Admin  bool
	Teams  []string
	Access Access
}

// FindReaderAccess reads a ReaderAccess in one statement (the premium check of every lesson
// read). The seat rule is the teams domain's (an active learning member holds a seat: teams'
// seatHolder), repeated here so the check is one round trip.
func (s *Store) FindReaderAccess(ctx context.Context, userID, adminRole string) (ReaderAccess, error) {
	const q = `
		WITH me AS (
			SELECT CASE WHEN CAST($2 AS text) = ANY(u.roles) THEN 'admin' ELSE '' END AS status
			FROM users u WHERE u.id = CAST($1 AS uuid)
		), seats AS (
			SELECT m.team_id FROM team_members m
			WHERE m.user_id = CAST($1 AS uuid) AND m.removed_at IS NULL AND m.is_learner
		)
		SELECT 'u', '', NULL::text, NULL::text, me.status, 0, NULL::timestamptz, false, NULL::timestamptz,
		       NULL::integer, NULL::timestamptz, NULL::timestamptz
		FROM me
		UNION ALL
		SELECT 't', '', NULL, CAST(seats.team_id AS text), '', 0, NULL, false, NULL, NULL, NULL, NULL FROM seats
		UNION ALL
		SELECT 's', s.stripe_id, CAST(s.user_id AS text), CAST(s.team_id AS text), s.status, s.quantity,
		       s.current_period_end, s.cancel_at_period_end, s.past_due_since, NULL, NULL, NULL
		FROM billing_subscriptions s
		WHERE s.user_id = CAST($1 AS uuid) OR s.team_id IN (SELECT team_id FROM seats)
		UNION ALL
		SELECT 'g', CAST(g.id AS text), CAST(g.user_id AS text), CAST(g.team_id AS text), '', 0, NULL, false, NULL,
		       g.seats, g.ends_at, g.revoked_at
		FROM billing_grants g
		WHERE (g.user_id = CAST($1 AS uuid) OR g.team_id IN (SELECT team_id FROM seats)) AND g.revoked_at IS NULL`
	var rows []accessRow
	collect := func(scan func(...any) error) error {
		var r accessRow
		if err := scan(&r.Kind, &r.ID, &r.UserID, &r.TeamID, &r.Status, &r.Quantity, &r.CurrentPeriodEnd,
			&r.CancelAtPeriodEnd, &r.PastDueSince, &r.Seats, &r.EndsAt, &r.RevokedAt); err != nil {
			return err
		}
		rows = append(rows, r)
		return nil
	}
	// Every lesson read of premium content runs this: straight on pgx (no GORM statement building
	// or reflection), or on the transaction's connection when the store is bound to one.
	if s.pool != nil {
		rs, err := s.pool.Query(ctx, q, userID, adminRole)
		if err != nil {
			return ReaderAccess{}, db.Err(err)
		}
		defer rs.Close()
		for rs.Next() {
			if err := collect(rs.Scan); err != nil {
				return ReaderAccess{}, db.Err(err)
			}
		}
		if err := rs.Err(); err != nil {
			return ReaderAccess{}, db.Err(err)
		}
	} else {
		rs, err := s.db.WithContext(ctx).Statement.ConnPool.QueryContext(ctx, q, userID, adminRole)
		if err != nil {
			return ReaderAccess{}, db.Err(err)
		}
		defer rs.Close()
		for rs.Next() {
			if err := collect(rs.Scan); err != nil {
				return ReaderAccess{}, db.Err(err)
			}
		}
		if err := rs.Err(); err != nil {
			return ReaderAccess{}, db.Err(err)
		}
	}
	var out ReaderAccess
	for _, r := range rows {
		switch r.Kind {
		case "u":
			out.Exists, out.Admin = true, r.Status == "admin"
		case "t":
			out.Teams = append(out.Teams, deref(r.TeamID))
		case "s":
			out.Access.Subscriptions = append(out.Access.Subscriptions, Subscription{StripeID: r.ID, UserID: deref(r.UserID),
				TeamID: deref(r.TeamID), Status: r.Status, Quantity: r.Quantity, CurrentPeriodEnd: utcPtr(r.CurrentPeriodEnd),
				CancelAtPeriodEnd: r.CancelAtPeriodEnd, PastDueSince: utcPtr(r.PastDueSince)})
		case "g":
			g := Grant{ID: r.ID, UserID: deref(r.UserID), TeamID: deref(r.TeamID), RevokedAt: utcPtr(r.RevokedAt)}
			if r.EndsAt != nil {
				g.EndsAt = r.EndsAt.UTC()
			}
			if r.Seats != nil {
				g.Seats = *r.Seats
			}
			out.Access.Grants = append(out.Access.Grants, g)
		}
	}
	return out, nil
}
