package billing

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// Store is billing's data access: the only code of the package that knows GORM, tables and SQL.
// Its methods take and return the domain types of model.go; rows stay in here.
type Store struct {
	db *gorm.DB
	// pool is the pool under GORM, for the statement on the hot path (FindReaderAccess); nil in
	// a store bound to a transaction.
	pool *pgxpool.Pool
	jobs *jobs.Inserter
}

// NewStore returns the store on the process's database; jobs are inserted through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store {
	return &Store{db: d.Gorm, pool: d.Pool, jobs: ins}
}

// Tx runs fn in one transaction; fn gets a Store bound to it. fn's error rolls back and is
// returned (driver errors as apperr kinds).
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(&Store{db: tx, jobs: s.jobs}) }))
}

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
		CancelAtPeriodEnd: r.CancelAtPeriodEnd, PastDueSince: utcPtr(r.PastDueSince),
		LastEventCreated: utcPtr(r.LastEventCreated)}
}

func subscriptionRowOf(s Subscription) subscriptionRow {
	return subscriptionRow{StripeID: s.StripeID, StripeCustomerID: s.CustomerID, UserID: ptr(s.UserID), TeamID: ptr(s.TeamID),
		PlanID: s.PlanID, Status: s.Status, Quantity: s.Quantity, CurrentPeriodEnd: s.CurrentPeriodEnd,
		CancelAtPeriodEnd: s.CancelAtPeriodEnd, PastDueSince: s.PastDueSince, LastEventCreated: s.LastEventCreated}
}

// ownerWhere selects the row of a user (teamID "") or of a team.
func ownerWhere(g *gorm.DB, userID, teamID string) *gorm.DB {
	if teamID != "" {
		return g.Where("team_id = ?", teamID)
	}
	return g.Where("user_id = ?", userID)
}

// FindCustomer returns the Stripe customer id of a user (teamID "") or a team; NotFound when
// none is linked.
func (s *Store) FindCustomer(ctx context.Context, userID, teamID string) (string, error) {
	var r customerRow
	err := ownerWhere(s.db.WithContext(ctx), userID, teamID).Take(&r).Error
	return r.StripeCustomerID, db.Err(err)
}

// LinkCustomer records that a Stripe customer belongs to a user or team (the first link wins)
// and gives the customer's subscriptions that arrived before the link their owner.
func (s *Store) LinkCustomer(ctx context.Context, customerID, userID, teamID string) error {
	row := customerRow{StripeCustomerID: customerID, UserID: ptr(userID), TeamID: ptr(teamID)}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fkErr(err)
	}
	return db.Err(s.db.WithContext(ctx).Model(&subscriptionRow{}).
		Where("stripe_customer_id = ? AND user_id IS NULL AND team_id IS NULL", customerID).
		Updates(map[string]any{"user_id": ptr(userID), "team_id": ptr(teamID), "updated_at": gorm.Expr("now()")}).Error)
}

// CustomerOwner returns the user or team a Stripe customer is linked to ("" and "" when unknown).
func (s *Store) CustomerOwner(ctx context.Context, customerID string) (userID, teamID string, err error) {
	var r customerRow
	err = s.db.WithContext(ctx).Where("stripe_customer_id = ?", customerID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", "", nil
	}
	return deref(r.UserID), deref(r.TeamID), db.Err(err)
}

// LockSubscription reads a subscription FOR UPDATE (inside Tx), so the events of one
// subscription apply one at a time; found is false when it is not stored yet.
func (s *Store) LockSubscription(ctx context.Context, stripeID string) (sub Subscription, found bool, err error) {
	var r subscriptionRow
	err = s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("stripe_id = ?", stripeID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Subscription{}, false, nil
	}
	return r.toSubscription(), err == nil, db.Err(err)
}

// SaveSubscription writes a subscription read with LockSubscription (exists), or inserts a new
// one with INSERT … ON CONFLICT DO NOTHING. It reports false when another transaction inserted
// the same subscription first (PostgreSQL waits for that transaction to commit, so the caller
// can then lock the row and apply its change on top), instead of failing on the primary key.
func (s *Store) SaveSubscription(ctx context.Context, sub Subscription, exists bool) (bool, error) {
	r := subscriptionRowOf(sub)
	if exists {
		// Every column but created_at, zero values included; GORM sets updated_at.
		err := s.db.WithContext(ctx).Model(&r).Select("*").Omit("stripe_id", "created_at").Updates(&r).Error
		return true, fkErr(err)
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "stripe_id"}}, DoNothing: true}).Create(&r)
	return res.RowsAffected == 1, fkErr(res.Error)
}

// FindUserSubscriptions lists the user's own subscriptions, the most recently changed first.
func (s *Store) FindUserSubscriptions(ctx context.Context, userID string) ([]Subscription, error) {
	var rows []subscriptionRow
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("updated_at DESC, stripe_id").Find(&rows).Error
	out := make([]Subscription, len(rows))
	for i, r := range rows {
		out[i] = r.toSubscription()
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
