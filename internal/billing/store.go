package billing

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
)

type customerRow struct {
	StripeCustomerID string `gorm:"primaryKey"`
	UserID           *string
	TeamID           *string
	CreatedAt        time.Time
}

func (customerRow) TableName() string { return "billing_customers" }

type subscriptionRow struct {
	StripeID          string `gorm:"primaryKey"`
	StripeCustomerID  string
	UserID            *string
	TeamID            *string
	PlanID            string
	Status            string
	Quantity          int
	CurrentPeriodEnd  *time.Time
	CancelAtPeriodEnd bool
	PastDueSince      *time.Time
	LastEventCreated  *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (subscriptionRow) TableName() string { return "billing_subscriptions" }

func (r subscriptionRow) toSubscription() Subscription {
	return Subscription{StripeID: r.StripeID, CustomerID: r.StripeCustomerID, UserID: deref(r.UserID), TeamID: deref(r.TeamID),
		PlanID: r.PlanID, Status: r.Status, Quantity: r.Quantity, CurrentPeriodEnd: utcPtr(r.CurrentPeriodEnd),
		CancelAtPeriodEnd: r.CancelAtPeriodEnd, PastDueSince: utcPtr(r.PastDueSince), UpdatedAt: r.UpdatedAt.UTC()}
}

type eventRow struct {
	ID          string `gorm:"primaryKey"`
	Type        string
	Created     time.Time
	Payload     string `gorm:"type:jsonb"`
	State       string
	Attempts    int
	LastError   *string
	ReceivedAt  time.Time
	ProcessedAt *time.Time
}

func (eventRow) TableName() string { return "billing_webhook_events" }

func (r eventRow) toEvent() Event {
	return Event{ID: r.ID, Type: r.Type, Created: r.Created.UTC(), State: r.State, Attempts: r.Attempts,
		LastError: deref(r.LastError), ReceivedAt: r.ReceivedAt.UTC(), ProcessedAt: utcPtr(r.ProcessedAt)}
}

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

// store is billing's data access. Every method takes the *gorm.DB to use (the pool or a tx).
type store struct{}

// ownerWhere selects the row of a user (teamID "") or of a team.
func ownerWhere(g *gorm.DB, userID, teamID string) *gorm.DB {
	if teamID != "" {
		return g.Where("team_id = ?", teamID)
	}
	return g.Where("user_id = ?", userID)
}

func (store) findCustomer(ctx context.Context, g *gorm.DB, userID, teamID string) (string, error) {
	var r customerRow
	err := ownerWhere(g.WithContext(ctx), userID, teamID).Take(&r).Error
	return r.StripeCustomerID, db.Err(err)
}

// linkCustomer records that a Stripe customer belongs to a user or team (the first link wins)
// and gives the customer's subscriptions that arrived before the link their owner.
func (store) linkCustomer(ctx context.Context, g *gorm.DB, customerID, userID, teamID string) error {
	row := customerRow{StripeCustomerID: customerID, UserID: ptr(userID), TeamID: ptr(teamID)}
	if err := g.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fkErr(err)
	}
	return db.Err(g.WithContext(ctx).Model(&subscriptionRow{}).
		Where("stripe_customer_id = ? AND user_id IS NULL AND team_id IS NULL", customerID).
		Updates(map[string]any{"user_id": ptr(userID), "team_id": ptr(teamID), "updated_at": gorm.Expr("now()")}).Error)
}

// customerOwner returns the user or team a Stripe customer is linked to ("" and "" when unknown).
func (store) customerOwner(ctx context.Context, g *gorm.DB, customerID string) (userID, teamID string, err error) {
	var r customerRow
	err = g.WithContext(ctx).Where("stripe_customer_id = ?", customerID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", "", nil
	}
	return deref(r.UserID), deref(r.TeamID), db.Err(err)
}

// lockSubscription reads a subscription FOR UPDATE, so events for it apply one at a time.
func (store) lockSubscription(ctx context.Context, tx *gorm.DB, stripeID string) (subscriptionRow, bool, error) {
	var r subscriptionRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("stripe_id = ?", stripeID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return subscriptionRow{}, false, nil
	}
	return r, err == nil, db.Err(err)
}

// saveSubscription replaces a subscription row read with lockSubscription, or inserts a new one
// with INSERT … ON CONFLICT DO NOTHING. It reports false when another transaction inserted the
// same subscription first (PostgreSQL waits for that transaction to commit, so the caller can
// then lock the row and apply its change on top), instead of failing on the primary key.
func (store) saveSubscription(ctx context.Context, tx *gorm.DB, r *subscriptionRow, exists bool) (bool, error) {
	if exists {
		return true, fkErr(tx.WithContext(ctx).Save(r).Error)
	}
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "stripe_id"}}, DoNothing: true}).Create(r)
	return res.RowsAffected == 1, fkErr(res.Error)
}

// userSubscription returns the user's most relevant subscription: the newest one.
func (store) userSubscription(ctx context.Context, g *gorm.DB, userID string) (subscriptionRow, error) {
	var r subscriptionRow
	err := g.WithContext(ctx).Where("user_id = ?", userID).
		Order("(status IN ('active', 'trialing', 'past_due')) DESC, updated_at DESC").Take(&r).Error
	return r, db.Err(err)
}

// insertEvent stores an event unless its id is known; it reports whether it was new.
func (store) insertEvent(ctx context.Context, g *gorm.DB, r *eventRow) (bool, error) {
	res := g.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r)
	return res.RowsAffected == 1, db.Err(res.Error)
}

func (store) findEvent(ctx context.Context, g *gorm.DB, id string) (eventRow, error) {
	var r eventRow
	err := g.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r, db.Err(err)
}

// finishEvent records one processing attempt and its outcome.
func (store) finishEvent(ctx context.Context, g *gorm.DB, id, state, lastError string, at time.Time) error {
	fields := map[string]any{"state": state, "attempts": gorm.Expr("attempts + 1"), "last_error": ptr(lastError)}
	if state != EventFailed {
		fields["processed_at"] = at
	}
	return db.Err(g.WithContext(ctx).Model(&eventRow{}).Where("id = ?", id).Updates(fields).Error)
}

func (store) listEvents(ctx context.Context, g *gorm.DB, limit int) ([]eventRow, error) {
	var rows []eventRow
	err := g.WithContext(ctx).Omit("payload").Order("received_at DESC, id").Limit(limit).Find(&rows).Error
	return rows, db.Err(err)
}

func (store) createGrant(ctx context.Context, g *gorm.DB, r *grantRow) error {
	return fkErr(g.WithContext(ctx).Create(r).Error)
}

// grantViewSQL reads grants with their owner's names: billing reads (never writes) identity's
// users and the teams domain's teams here, so the admin list costs one query however long it is.
const grantViewSQL = `
	SELECT g.id, g.user_id, g.team_id, g.seats, g.ends_at, g.created_by, g.created_at, g.revoked_at,
	       u.name AS user_name, u.email AS user_email, t.name AS team_name
	FROM billing_grants g
	LEFT JOIN users u ON u.id = g.user_id
	LEFT JOIN teams t ON t.id = g.team_id`

// listGrants lists the newest grants with their owners' names.
func (store) listGrants(ctx context.Context, g *gorm.DB, limit int) ([]grantRow, error) {
	var rows []grantRow
	err := g.WithContext(ctx).Raw(grantViewSQL+` ORDER BY g.created_at DESC, g.id LIMIT ?`, limit).Scan(&rows).Error
	return rows, db.Err(err)
}

// findGrant reads one grant with its owner's names.
func (store) findGrant(ctx context.Context, g *gorm.DB, id string) (grantRow, error) {
	var rows []grantRow
	err := g.WithContext(ctx).Raw(grantViewSQL+` WHERE g.id = ?`, id).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return grantRow{}, db.Err(err)
	}
	return rows[0], nil
}

// revokeGrant ends a grant now; revoking it again keeps the first time. Unknown → NotFound.
func (store) revokeGrant(ctx context.Context, g *gorm.DB, id string, at time.Time) error {
	res := g.WithContext(ctx).Model(&grantRow{}).Where("id = ?", id).
		Update("revoked_at", gorm.Expr("coalesce(revoked_at, ?)", at))
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return db.Err(gorm.ErrRecordNotFound)
	}
	return nil
}

func (store) hasActiveUserGrant(ctx context.Context, g *gorm.DB, userID string, now time.Time) (bool, error) {
	var n int64
	err := g.WithContext(ctx).Model(&grantRow{}).
		Where("user_id = ? AND revoked_at IS NULL AND ends_at > ?", userID, now).Count(&n).Error
	return n > 0, db.Err(err)
}

// entitledSub is the rule for a subscription that gives access, over the alias s: active or
// trialing (until the period end once cancellation is scheduled), or past due within the grace
// period counted from the first failed payment (or the period end when no failure is known).
const entitledSub = `((s.status IN ('active', 'trialing') AND (NOT s.cancel_at_period_end OR s.current_period_end > @now))
	OR (s.status = 'past_due' AND coalesce(s.past_due_since, s.current_period_end) > @grace_from))`

// activeGrant is the rule for a grant that gives access, over the alias g.
const activeGrant = `(g.revoked_at IS NULL AND g.ends_at > @now)`

// entitlement answers, in one query, which sources give the user premium access.
func (store) entitlement(ctx context.Context, g *gorm.DB, userID string, teamIDs []string, now, graceFrom time.Time) (individual, team, grant bool, err error) {
	var row struct{ Individual, Team, Granted bool }
	if teamIDs == nil {
		teamIDs = []string{}
	}
	err = g.WithContext(ctx).Raw(`
		SELECT EXISTS (SELECT 1 FROM billing_subscriptions s WHERE s.user_id = @user AND `+entitledSub+`) AS individual,
		       EXISTS (SELECT 1 FROM billing_subscriptions s WHERE s.team_id = ANY(CAST(@teams AS uuid[])) AND `+entitledSub+`)
		       OR EXISTS (SELECT 1 FROM billing_grants g WHERE g.team_id = ANY(CAST(@teams AS uuid[])) AND `+activeGrant+`) AS team,
		       EXISTS (SELECT 1 FROM billing_grants g WHERE g.user_id = @user AND `+activeGrant+`) AS granted`,
		map[string]any{"user": userID, "teams": db.StringArray(teamIDs), "now": now, "grace_from": graceFrom}).Scan(&row).Error
	return row.Individual, row.Team, row.Granted, db.Err(err)
}

// teamSeats is the team's seat count: entitled subscription quantities plus active grant seats.
func (store) teamSeats(ctx context.Context, g *gorm.DB, teamID string, now, graceFrom time.Time) (int, error) {
	var n int
	err := g.WithContext(ctx).Raw(`
		SELECT coalesce((SELECT sum(s.quantity) FROM billing_subscriptions s WHERE s.team_id = @team AND `+entitledSub+`), 0)
		     + coalesce((SELECT sum(g.seats) FROM billing_grants g WHERE g.team_id = @team AND `+activeGrant+`), 0)`,
		map[string]any{"team": teamID, "now": now, "grace_from": graceFrom}).Scan(&n).Error
	return n, db.Err(err)
}

// teamsSeats is teamSeats for many teams in one query; teams without seats are absent.
func (store) teamsSeats(ctx context.Context, g *gorm.DB, teamIDs []string, now, graceFrom time.Time) (map[string]int, error) {
	var rows []struct {
		TeamID string
		Seats  int
	}
	err := g.WithContext(ctx).Raw(`
		SELECT team_id, sum(n) AS seats FROM (
		    SELECT s.team_id, s.quantity AS n FROM billing_subscriptions s
		    WHERE s.team_id = ANY(CAST(@teams AS uuid[])) AND `+entitledSub+`
		    UNION ALL
		    SELECT g.team_id, g.seats AS n FROM billing_grants g
		    WHERE g.team_id = ANY(CAST(@teams AS uuid[])) AND `+activeGrant+`
		) owned GROUP BY team_id`,
		map[string]any{"teams": db.StringArray(teamIDs), "now": now, "grace_from": graceFrom}).Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.TeamID] = r.Seats
	}
	return out, db.Err(err)
}

// fkErr turns a foreign-key violation (an unknown user) into NotFound; other errors as db.Err.
func fkErr(err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23503" {
		return apperr.Wrap(apperr.NotFound, "We couldn’t find that user.", err)
	}
	return db.Err(err)
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
