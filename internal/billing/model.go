// Package billing owns plans, Stripe Checkout and Customer Portal sessions, Stripe webhooks,
// complimentary grants and the entitlement rules that decide who may read premium content.
package billing

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Subscription statuses as Stripe names them (the ones our rules look at).
const (
	StatusIncomplete = "incomplete"
	StatusTrialing   = "trialing"
	StatusActive     = "active"
	StatusPastDue    = "past_due"
	StatusCanceled   = "canceled"
)

// Entitlement sources, as shown in /me's entitlement.source.
const (
	SourceIndividual = "individual"
	SourceTeam       = "team"
	SourceGrant      = "grant"
)

// Limits on seats and grants.
const (
	MinSeats = 1
	MaxSeats = 1000
)

// Plan is something a customer can buy, mapped to a Stripe Price by its lookup key.
type Plan struct {
	ID        string
	Name      string
	LookupKey string
	// Interval is the billing period: "month" or "year".
	Interval string
	// Amount is the price per period (per seat for per-seat plans) in the currency's minor unit.
	Amount    int64
	Currency  string
	PerSeat   bool
	TrialDays int
}

// Grant is complimentary access given by an admin: premium for a user, or seats for a team.
type Grant struct {
	ID        string
	UserID    string
	TeamID    string
	Seats     int
	EndsAt    time.Time
	CreatedBy string
	CreatedAt time.Time
	RevokedAt *time.Time
	// UserName, UserEmail and TeamName name the grant's owner for admins ("" when unknown).
	UserName  string
	UserEmail string
	TeamName  string
}

// Grant states, as State reports them.
const (
	GrantActive  = "active"
	GrantExpired = "expired"
	GrantRevoked = "revoked"
)

// State says whether the grant gives access at now: revoked (by an admin, at any time, which
// wins over expiry), expired (its end has come: EndsAt itself is no longer covered) or active.
// Like Subscription.Entitles, this is the only statement of the rule (see there).
func (g Grant) State(now time.Time) string {
	switch {
	case g.RevokedAt != nil:
		return GrantRevoked
	case !g.EndsAt.After(now):
		return GrantExpired
	}
	return GrantActive
}

// Active reports whether the grant gives access at now.
func (g Grant) Active(now time.Time) bool { return g.State(now) == GrantActive }

// GrantInput is an admin's request for a grant; pointers are optional fields.
type GrantInput struct {
	UserID *string
	TeamID *string
	Seats  *int
	EndsAt string
}

// validate checks the input against now and returns the grant to store.
func (in GrantInput) validate(now time.Time) (Grant, error) {
	var fields apperr.Fields
	var g Grant
	switch {
	case in.UserID != nil && in.TeamID != nil:
		fields.Add("user_id", "Choose either a user or a team, not both.")
	case in.UserID == nil && in.TeamID == nil:
		fields.Add("user_id", "Choose a user or a team.")
	case in.UserID != nil:
		g.UserID = normUUID(*in.UserID)
		if g.UserID == "" {
			fields.Add("user_id", "This user isn’t valid. Pick one from the search results.")
		}
		if in.Seats != nil {
			fields.Add("seats", "Seats are only for team grants. Leave the number of seats empty for a user.")
		}
	default:
		g.TeamID = normUUID(*in.TeamID)
		if g.TeamID == "" {
			fields.Add("team_id", "This team isn’t valid. Pick one from the search results.")
		}
		if in.Seats == nil {
			fields.Add("seats", "Enter the number of seats for this team.")
		} else if *in.Seats < MinSeats || *in.Seats > MaxSeats {
			fields.Add("seats", fmt.Sprintf("Choose from %d to %d seats.", MinSeats, MaxSeats))
		} else {
			g.Seats = *in.Seats
		}
	}
	ends, err := time.Parse(time.RFC3339, in.EndsAt)
	switch {
	case in.EndsAt == "":
		fields.Add("ends_at", "Choose an end date.")
	case err != nil:
		fields.Add("ends_at", "Enter the end date as a date and time, such as 2027-01-31T00:00:00Z.")
	case !ends.After(now):
		fields.Add("ends_at", "Choose an end date in the future.")
	case ends.UTC().Year() > 9999: // RFC 3339 (and so every JSON answer listing it) has 4-digit years
		fields.Add("ends_at", "Choose an end date before the year 10000.")
	default:
		g.EndsAt = ends.UTC()
	}
	if err := fields.Err(); err != nil {
		return Grant{}, err
	}
	return g, nil
}

// CheckoutInput is a request to start Stripe Checkout.
type CheckoutInput struct {
	PlanID string
	Seats  *int
	TeamID *string
}

// validate resolves the plan and the seat count.
func (in CheckoutInput) validate(plans []Plan) (Plan, int, string, error) {
	var fields apperr.Fields
	plan, ok := findPlan(plans, in.PlanID)
	if !ok {
		fields.Add("plan_id", "Choose one of the plans on the pricing page.")
	}
	seats, teamID := 1, ""
	if in.TeamID != nil {
		if teamID = normUUID(*in.TeamID); teamID == "" {
			fields.Add("team_id", "This team isn’t valid. Choose your team again.")
		}
	}
	switch {
	case !ok:
	case plan.PerSeat:
		if in.Seats == nil {
			fields.Add("seats", "Enter how many seats your team needs.")
		} else if *in.Seats < MinSeats || *in.Seats > MaxSeats {
			fields.Add("seats", fmt.Sprintf("Choose from %d to %d seats.", MinSeats, MaxSeats))
		} else {
			seats = *in.Seats
		}
		if in.TeamID == nil {
			fields.Add("team_id", "Choose the team these seats are for.")
		}
	default:
		if in.Seats != nil && *in.Seats != 1 {
			fields.Add("seats", "Individual plans have one seat. Leave the number of seats empty.")
		}
		if in.TeamID != nil {
			fields.Add("team_id", "Individual plans are for you alone, so don’t choose a team.")
		}
	}
	if err := fields.Err(); err != nil {
		return Plan{}, 0, "", err
	}
	return plan, seats, teamID, nil
}

// Event is a stored Stripe webhook event and its processing state.
type Event struct {
	ID          string
	Type        string
	Created     time.Time
	State       string
	Attempts    int
	LastError   string
	ReceivedAt  time.Time
	ProcessedAt *time.Time
}

// Event processing states.
const (
	EventReceived  = "received"
	EventProcessed = "processed"
	EventFailed    = "failed"
	EventIgnored   = "ignored"
)

// Finished reports whether the event needs no more work: it was applied or deliberately
// ignored. A received or failed event is (re)queued and applied when its job runs.
func (e Event) Finished() bool { return e.State == EventProcessed || e.State == EventIgnored }

func findPlan(plans []Plan, id string) (Plan, bool) {
	for _, p := range plans {
		if p.ID == id {
			return p, true
		}
	}
	return Plan{}, false
}

func planByLookupKey(plans []Plan, key string) (Plan, bool) {
	for _, p := range plans {
		if key != "" && p.LookupKey == key {
			return p, true
		}
	}
	return Plan{}, false
}

// normUUID returns s as a canonical lower-case UUID, or "" when it is not one.
func normUUID(s string) string {
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return ""
	}
	return u.String()
}
