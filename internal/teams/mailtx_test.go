package teams_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/teams"
)

// mailJobs counts the e-mail jobs ever queued to the address, in any state (River keeps
// delivered jobs for a day, so a job the worker already ran still counts).
func (e *env) mailJobs(to string) int {
	e.t.Helper()
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM river_job WHERE kind = $1 AND args->>'to' = $2`, mail.SendArgs{}.Kind(), to).Scan(&n); err != nil {
		e.t.Fatalf("count mail jobs: %v", err)
	}
	return n
}

func (e *env) inserter() *jobs.Inserter {
	e.t.Helper()
	ins, err := jobs.NewInserter(e.DB.SQL)
	if err != nil {
		e.t.Fatalf("inserter: %v", err)
	}
	return ins
}

// TestStoreMailFollowsTheWrite proves the store's promise the services build on: a mail queued
// in a Tx exists exactly when the Tx's writes commit.
func TestStoreMailFollowsTheWrite(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mgr := e.user("mgr", "")
	st := teams.NewStore(e.DB, e.inserter())
	teamsNamed := func(name string) int {
		var n int
		if err := e.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM teams WHERE name = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rollback := errors.New("a later step failed")
	cases := []struct {
		name      string
		createdBy string // the team's creator: an unknown account makes the write itself fail
		fnErr     error
		wantErr   bool
		want      int
	}{
		{name: "committed", createdBy: mgr.ID, want: 1},
		{name: "the write fails after the mail was queued", createdBy: "00000000-0000-4000-8000-000000000000", wantErr: true},
		{name: "a later step fails after the write and its mail", createdBy: mgr.ID, fnErr: rollback, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to := "tx-" + randomHex(6) + "@example.com"
			team := "Tx " + to
			err := st.Tx(ctx, func(st *teams.Store) error {
				if err := st.EnqueueMail(ctx, mail.Message{To: to, Subject: "Welcome", Text: "Hello"}); err != nil {
					return err
				}
				if _, err := st.CreateTeam(ctx, team, c.createdBy, e.Now()); err != nil {
					return err
				}
				return c.fnErr
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("Tx = %v, want an error: %v", err, c.wantErr)
			}
			if got := e.mailJobs(to); got != c.want {
				t.Errorf("mail jobs = %d, want %d", got, c.want)
			}
			if got := teamsNamed(team); got != c.want {
				t.Errorf("teams written = %d, want %d", got, c.want)
			}
		})
	}
}

// TestInviteMailCommitsWithTheInvite: every issued invite has exactly one mail job; a refused
// invite has none.
func TestInviteMailCommitsWithTheInvite(t *testing.T) {
	e := newEnv(t)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Mail jobs")
	e.grant(team, 2)
	a, b, c := "ja-"+randomHex(4)+"@example.com", "jb-"+randomHex(4)+"@example.com", "jc-"+randomHex(4)+"@example.com"
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites", map[string]any{"emails": []string{a, b}}).Want(http.StatusCreated)
	wantProblem(t, e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites", map[string]any{"emails": []string{c}}), http.StatusPaymentRequired)
	for addr, want := range map[string]int{a: 1, b: 1, c: 0} {
		if got := e.mailJobs(addr); got != want {
			t.Errorf("mail jobs to %s = %d, want %d", addr, got, want)
		}
	}
}

// TestServiceWithNoOps builds the service with the explicit no-op dependencies: no seats, no
// progress, no skills, no catalog. Every path still answers (nothing is nil), and the mails it
// does send commit with their writes.
func TestServiceWithNoOps(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	svc := teams.NewService(teams.Deps{DB: e.DB, Jobs: e.inserter(), Now: e.Now, PublicURL: "http://rapport.test",
		Seats: teams.NoSeats{}, Progress: teams.NoProgress{}, Skills: teams.NoSkills{}, Modules: teams.NoModules{}, Pulses: teams.NoPulses{}, Practice: teams.NoPractice{}})
	mgr, rep := e.user("mgr", ""), e.user("rep", "")
	d, err := svc.CreateTeam(ctx, mgr.ID, "No-ops")
	if err != nil {
		t.Fatal(err)
	}
	e.seedMember(d.ID, rep)

	to := "noop-" + randomHex(4) + "@example.com"
	if _, err := svc.Invite(ctx, mgr.ID, d.ID, []string{to}); !apperr.Is(err, apperr.PaymentRequired) {
		t.Errorf("invite without seats = %v, want PaymentRequired", err)
	}
	if got := e.mailJobs(to); got != 0 {
		t.Errorf("a refused invite queued %d mails", got)
	}

	if _, err := svc.Recognize(ctx, mgr.ID, d.ID, teams.RecognitionInput{UserID: rep.ID, Message: "Great call"}); err != nil {
		t.Fatal(err)
	}
	if got := e.mailJobs(rep.Email); got != 1 {
		t.Errorf("recognition mails = %d, want 1", got)
	}

	_, err = svc.CreateAssignment(ctx, mgr.ID, d.ID, teams.AssignmentInput{ModuleSlug: modAlpha, DueAt: e.Now().Add(72 * time.Hour),
		UserIDs: []string{rep.ID}})
	var ae *apperr.Error
	if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Field != "module_slug" {
		t.Errorf("assignment without a catalog = %v, want module_slug refused", err)
	}

	r, err := svc.Report(ctx, mgr.ID, d.ID)
	if err != nil || len(r.Members) != 1 || r.Members[0].Percent != 0 || len(r.Members[0].Competencies) != 0 {
		t.Errorf("report = %+v, %v; want one member with no progress or skills", r, err)
	}
	ps, err := svc.Prompts(ctx, mgr.ID, d.ID)
	if err != nil || len(ps) != 0 {
		t.Errorf("prompts = %+v, %v; want none", ps, err)
	}
	listing, err := svc.FindTeams(ctx, "No-ops")
	if err != nil || len(listing) == 0 || listing[0].Seats.Total != 0 || !strings.HasPrefix(listing[0].Name, "No-ops") {
		t.Errorf("admin search = %+v, %v", listing, err)
	}
}
