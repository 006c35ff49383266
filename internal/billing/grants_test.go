package billing_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
)

type grantBody struct {
	ID        string     `json:"id"`
	UserID    *string    `json:"user_id"`
	TeamID    *string    `json:"team_id"`
	Seats     *int       `json:"seats"`
	EndsAt    time.Time  `json:"ends_at"`
	CreatedBy *string    `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	Active    bool       `json:"active"`
}

// premiumModule publishes a premium module with one lesson (l1) through the catalog service.
func premiumModule(tb testing.TB, a *apptest.App) string {
	tb.Helper()
	ctx := context.Background()
	slug, title, access := "prem-"+randomHex(4), "Premium module", "premium"
	if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: &slug, Title: &title, Access: &access,
		Competencies: []string{"self_awareness"}}); err != nil {
		tb.Fatalf("create module: %v", err)
	}
	ls, lt, md, minutes := "l1", "Lesson one", "## Premium\n\nOnly for subscribers.\n", 5
	if _, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: &ls, Title: &lt, Minutes: &minutes, Markdown: &md}); err != nil {
		tb.Fatalf("create lesson: %v", err)
	}
	if _, err := a.Catalog.Publish(ctx, slug, ""); err != nil {
		tb.Fatalf("publish: %v", err)
	}
	return "/api/v1/modules/" + slug + "/lessons/l1"
}

func TestGrantsGivePremiumAccess(t *testing.T) {
	a := apptest.New(t, nil) // grants work without Stripe
	admin, learner := mustUser(t, a, "admin"), mustUser(t, a, "learner")
	lesson := premiumModule(t, a)
	a.Do(apptest.Request{Method: "GET", Path: lesson, Token: learner.Token}).Want(http.StatusPaymentRequired)
	a.Do(apptest.Request{Method: "GET", Path: lesson, Token: admin.Token}).Want(http.StatusOK) // admins read everything
	if p, _ := premium(t, a, admin.Token); p {
		t.Error("an admin is premium by entitlement; only the catalog lets admins in")
	}

	ends := a.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	var g grantBody
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: admin.Token,
		Body: map[string]any{"user_id": learner.ID, "ends_at": ends.Format(time.RFC3339)}}).Want(http.StatusCreated).Decode(&g)
	if g.ID == "" || g.UserID == nil || *g.UserID != learner.ID || g.TeamID != nil || g.Seats != nil || !g.EndsAt.Equal(ends) ||
		g.CreatedBy == nil || *g.CreatedBy != admin.ID || !g.Active || g.RevokedAt != nil {
		t.Errorf("created grant = %+v", g)
	}
	wantPremium(t, a, learner, true, "grant")
	a.Do(apptest.Request{Method: "GET", Path: lesson, Token: learner.Token}).Want(http.StatusOK)

	var list struct {
		Grants []grantBody `json:"grants"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/grants", Token: admin.Token}).Want(http.StatusOK).Decode(&list)
	if len(list.Grants) == 0 || list.Grants[0].ID != g.ID {
		t.Errorf("grants = %+v, want the new grant first", list.Grants)
	}

	a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/admin/grants/" + g.ID, Token: admin.Token}).Want(http.StatusNoContent)
	a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/admin/grants/" + g.ID, Token: admin.Token}).Want(http.StatusNoContent)
	wantPremium(t, a, learner, false, nil)
	a.Do(apptest.Request{Method: "GET", Path: lesson, Token: learner.Token}).Want(http.StatusPaymentRequired)
	wantProblem(t, a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/admin/grants/" + uuid.NewString(), Token: admin.Token}), 404, "")
	wantProblem(t, a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/admin/grants/nope", Token: admin.Token}), 404, "")

	t.Run("a grant expires by itself", func(t *testing.T) {
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: admin.Token,
			Body: map[string]any{"user_id": learner.ID, "ends_at": a.Now().Add(time.Hour).Format(time.RFC3339)}}).Want(http.StatusCreated)
		a.Do(apptest.Request{Method: "GET", Path: lesson, Token: learner.Token}).Want(http.StatusOK)
		wantPremium(t, a, learner, true, "grant")
		advance(t, a, &learner, 2*time.Hour)
		wantPremium(t, a, learner, false, nil)
	})
}

func TestGrantValidationAndAccess(t *testing.T) {
	a := apptest.New(t, nil)
	admin, learner := mustUser(t, a, "admin"), mustUser(t, a, "learner")
	future := a.Now().Add(24 * time.Hour).Format(time.RFC3339)
	team := uuid.NewString()
	tests := []struct {
		name  string
		token string
		body  any
		want  int
		field string
	}{
		{"anonymous", "", map[string]any{"user_id": learner.ID, "ends_at": future}, 401, ""},
		{"learner", learner.Token, map[string]any{"user_id": learner.ID, "ends_at": future}, 403, ""},
		{"neither user nor team", admin.Token, map[string]any{"ends_at": future}, 422, "user_id"},
		{"both user and team", admin.Token, map[string]any{"user_id": learner.ID, "team_id": team, "seats": 2, "ends_at": future}, 422, "user_id"},
		{"seats for a user", admin.Token, map[string]any{"user_id": learner.ID, "seats": 2, "ends_at": future}, 422, "seats"},
		{"team without seats", admin.Token, map[string]any{"team_id": team, "ends_at": future}, 422, "seats"},
		{"too many seats", admin.Token, map[string]any{"team_id": team, "seats": 1001, "ends_at": future}, 422, "seats"},
		{"ends in the past", admin.Token, map[string]any{"user_id": learner.ID, "ends_at": "2020-01-01T00:00:00Z"}, 422, "ends_at"},
		{"ends_at not RFC 3339", admin.Token, map[string]any{"user_id": learner.ID, "ends_at": "next year"}, 422, "ends_at"},
		{"no ends_at", admin.Token, map[string]any{"user_id": learner.ID}, 422, "ends_at"},
		{"user id not a UUID", admin.Token, map[string]any{"user_id": "bob", "ends_at": future}, 422, "user_id"},
		{"unknown user", admin.Token, map[string]any{"user_id": uuid.NewString(), "ends_at": future}, 422, "user_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: tt.token, Body: tt.body}), tt.want, tt.field)
		})
	}
	for _, r := range []apptest.Request{
		{Method: "GET", Path: "/api/v1/admin/grants", Token: learner.Token},
		{Method: "DELETE", Path: "/api/v1/admin/grants/" + uuid.NewString(), Token: learner.Token},
	} {
		wantProblem(t, a.Do(r), 403, "")
	}

	t.Run("team grant seats count for TeamSeats", func(t *testing.T) {
		var g grantBody
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: admin.Token,
			Body: map[string]any{"team_id": team, "seats": 4, "ends_at": future}}).Want(http.StatusCreated).Decode(&g)
		if g.Seats == nil || *g.Seats != 4 || g.TeamID == nil || *g.TeamID != team || g.UserID != nil {
			t.Errorf("team grant = %+v", g)
		}
		if n, err := a.Billing.TeamSeats(context.Background(), team); err != nil || n != 4 {
			t.Errorf("TeamSeats = %d, %v; want 4", n, err)
		}
	})
}

// TestTeamSeatEntitlement drives the service with a fixed team directory, so the seat rule is
// tested apart from the teams domain.
func TestTeamSeatEntitlement(t *testing.T) {
	a, spy := billingApp(t)
	manager, rep, outsider := mustUser(t, a, "learner"), mustUser(t, a, "learner"), mustUser(t, a, "learner")
	team := uuid.NewString()
	svc := newService(t, a, spy.URL, func(d *billing.Deps) { d.Teams = teamDir{members: map[string][]string{rep.ID: {team}}} })
	ctx := context.Background()
	source := func(u user) string {
		t.Helper()
		e, err := svc.Entitlement(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Source == nil {
			return ""
		}
		return *e.Source
	}
	if source(rep) != "" {
		t.Fatal("rep is premium before the team pays")
	}
	subID, customer := newID("sub"), newID("cus")
	meta := map[string]string{"team_id": team, "user_id": manager.ID, "plan_id": "team-monthly"}
	deliver(t, a, newID("evt"), "customer.subscription.created", a.Now(),
		subscription(subID, customer, "active", a.Now().Add(720*time.Hour), 7, "rapport_team_monthly", meta))
	if source(rep) != "team" || source(outsider) != "" || source(manager) != "" {
		t.Errorf("sources: rep %q, outsider %q, manager %q; want team, none, none", source(rep), source(outsider), source(manager))
	}
	if n, err := svc.TeamSeats(ctx, team); err != nil || n != 7 {
		t.Errorf("TeamSeats = %d, %v; want 7", n, err)
	}
	deliver(t, a, newID("evt"), "customer.subscription.deleted", a.Now().Add(time.Second),
		subscription(subID, customer, "canceled", a.Now().Add(720*time.Hour), 7, "rapport_team_monthly", meta))
	if source(rep) != "" {
		t.Error("rep is still premium after the team's subscription was deleted")
	}
	if n, _ := svc.TeamSeats(ctx, team); n != 0 {
		t.Errorf("TeamSeats after deletion = %d", n)
	}
	if _, err := svc.CreateGrant(ctx, "", billing.GrantInput{TeamID: &team, Seats: ptrInt(3), EndsAt: a.Now().Add(time.Hour).Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	if source(rep) != "team" {
		t.Error("a team grant does not give its members access")
	}
}

func ptrInt(n int) *int { return &n }
