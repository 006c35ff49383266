package teams_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// adminTeam is one entry of GET /api/v1/admin/teams.
type adminTeam struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	ManagerName  *string `json:"manager_name"`
	ManagerEmail *string `json:"manager_email"`
	Seats        struct {
		Total, Used, Pending, Free int
	} `json:"seats"`
}

func (e *env) findTeams(u *user, query string) []adminTeam {
	e.t.Helper()
	var out struct {
		Teams []adminTeam `json:"teams"`
	}
	e.call(u, "GET", "/api/v1/admin/teams?query="+url.QueryEscape(query), nil).Want(http.StatusOK).Decode(&out)
	return out.Teams
}

func TestAdminFindsTeamsByName(t *testing.T) {
	e := newEnv(t)
	tag := randomHex(4) // the package's tests share a database: names carry a tag
	mgr, other, rep, learner := e.user("mgr", ""), e.user("other", ""), e.user("rep", ""), e.user("learner", "")
	north := e.teamOf(mgr, "North "+tag+" Sellers")
	south := e.teamOf(other, "South "+tag+" Closers")
	e.grant(north, 4)
	e.grant(north, 2)
	e.seedMember(north, rep)
	e.seedInvite(north, "pending-"+tag+"@example.com", mgr.ID)

	got := e.findTeams(e.admin, "north "+strings.ToUpper(tag))
	if len(got) != 1 || got[0].ID != north || got[0].Name != "North "+tag+" Sellers" {
		t.Fatalf("search by name = %+v, want the north team only", got)
	}
	n := got[0]
	if n.ManagerName == nil || *n.ManagerName != mgr.Name || n.ManagerEmail == nil || *n.ManagerEmail != mgr.Email {
		t.Errorf("manager = %v %v, want %s %s", n.ManagerName, n.ManagerEmail, mgr.Name, mgr.Email)
	}
	if n.Seats.Total != 6 || n.Seats.Used != 1 || n.Seats.Pending != 1 || n.Seats.Free != 4 {
		t.Errorf("seats = %+v, want total 6 (two grants), used 1, pending 1, free 4", n.Seats)
	}

	tests := []struct {
		name, query string
		want        []string
	}{
		{"part of both names, name order", tag, []string{north, south}},
		{"a name's start comes first", "south " + tag, []string{south}},
		{"the manager's e-mail", other.Email, []string{south}},
		{"no match", "zz-" + tag + "-none", nil},
		{"LIKE wildcards are plain text", "%" + tag, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.findTeams(e.admin, tt.query)
			var ids []string
			for _, g := range got {
				ids = append(ids, g.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
				t.Errorf("query %q found %v, want %v", tt.query, ids, tt.want)
			}
		})
	}
	if all := e.findTeams(e.admin, ""); len(all) < 2 || len(all) > 20 {
		t.Errorf("empty query listed %d teams, want 2 to 20", len(all))
	}

	t.Run("access", func(t *testing.T) {
		wantProblem(t, e.call(nil, "GET", "/api/v1/admin/teams", nil), http.StatusUnauthorized)
		wantProblem(t, e.call(learner, "GET", "/api/v1/admin/teams?query="+tag, nil), http.StatusForbidden)
		wantProblem(t, e.call(mgr, "GET", "/api/v1/admin/teams?query="+tag, nil), http.StatusForbidden)
		p := wantProblem(t, e.call(e.admin, "GET", "/api/v1/admin/teams?query="+strings.Repeat("a", 101), nil), http.StatusUnprocessableEntity)
		if !p.hasField("query") {
			t.Errorf("problem = %+v, want the query field", p)
		}
	})
}

func TestGrantsListTeamAndUserNames(t *testing.T) {
	e := newEnv(t)
	mgr, rep := e.user("mgr", ""), e.user("rep", "")
	name := "Named " + randomHex(4)
	team := e.teamOf(mgr, name)
	teamGrant := e.grant(team, 3)
	var userGrant struct {
		ID       string  `json:"id"`
		UserName *string `json:"user_name"`
	}
	e.call(e.admin, "POST", "/api/v1/admin/grants", map[string]any{"user_id": rep.ID, "ends_at": "2999-01-01T00:00:00Z"}).
		Want(http.StatusCreated).Decode(&userGrant)
	if userGrant.UserName == nil || *userGrant.UserName != rep.Name {
		t.Errorf("created grant's user_name = %v, want %q", userGrant.UserName, rep.Name)
	}

	var list struct {
		Grants []struct {
			ID        string  `json:"id"`
			UserName  *string `json:"user_name"`
			UserEmail *string `json:"user_email"`
			TeamName  *string `json:"team_name"`
		} `json:"grants"`
	}
	e.call(e.admin, "GET", "/api/v1/admin/grants", nil).Want(http.StatusOK).Decode(&list)
	found := 0
	for _, g := range list.Grants {
		switch g.ID {
		case teamGrant:
			found++
			if g.TeamName == nil || *g.TeamName != name || g.UserName != nil || g.UserEmail != nil {
				t.Errorf("team grant names = %v %v %v, want team %q only", g.TeamName, g.UserName, g.UserEmail, name)
			}
		case userGrant.ID:
			found++
			if g.UserName == nil || *g.UserName != rep.Name || g.UserEmail == nil || *g.UserEmail != rep.Email || g.TeamName != nil {
				t.Errorf("user grant names = %v %v %v, want %s <%s>", g.UserName, g.UserEmail, g.TeamName, rep.Name, rep.Email)
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of the 2 new grants in %+v", found, list.Grants)
	}
}
