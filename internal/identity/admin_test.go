package identity_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

type adminUser struct {
	ID            string   `json:"id"`
	Email         string   `json:"email"`
	Name          string   `json:"name"`
	Roles         []string `json:"roles"`
	EmailVerified bool     `json:"email_verified"`
	CreatedAt     string   `json:"created_at"`
}

// makeAdmin makes a verified admin (as the CLI does) and signs it in.
func makeAdmin(t *testing.T, a *apptest.App) account {
	t.Helper()
	acc := signedIn(t, a, "admin", role.Admin)
	if _, body := me(t, a, acc.Access); fmt.Sprint(body["roles"]) != "[learner admin]" || body["email_verified"] != true {
		t.Fatalf("admin = %v, want a verified learner+admin", body)
	}
	return acc
}

func listUsers(t *testing.T, a *apptest.App, token, query string) []adminUser {
	t.Helper()
	path := "/api/v1/admin/users"
	if query != "" {
		path += "?query=" + query
	}
	var body struct {
		Users []adminUser `json:"users"`
	}
	a.Do(apptest.Request{Method: "GET", Path: path, Token: token}).Want(http.StatusOK).Decode(&body)
	if body.Users == nil {
		t.Fatal("users is null, want a list")
	}
	return body.Users
}

func setRoles(a *apptest.App, token, id string, body any) *apptest.Response {
	return a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/admin/users/" + id + "/roles", Token: token, Body: body})
}

func TestAdminRoutesNeedTheAdminRole(t *testing.T) {
	a := apptest.New(t, nil)
	learner := signedIn(t, a, "learner", "")
	tests := []struct {
		name, method, path, token string
		body                      any
		want                      int
	}{
		{"anonymous list", "GET", "/api/v1/admin/users", "", nil, 401},
		{"anonymous roles", "PUT", "/api/v1/admin/users/" + learner.ID + "/roles", "", map[string]any{"roles": []string{"admin"}}, 401},
		{"learner list", "GET", "/api/v1/admin/users", learner.Access, nil, 403},
		{"learner grants itself admin", "PUT", "/api/v1/admin/users/" + learner.ID + "/roles", learner.Access, map[string]any{"roles": []string{"admin"}}, 403},
		{"bad token", "GET", "/api/v1/admin/users", "garbage", nil, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, a.Do(apptest.Request{Method: tt.method, Path: tt.path, Token: tt.token, Body: tt.body}), tt.want)
		})
	}
	_, body := me(t, a, learner.Access)
	if roles, _ := body["roles"].([]any); len(roles) != 1 {
		t.Errorf("the learner's roles changed: %v", body["roles"])
	}
}

func TestAdminListsAndSearchesUsers(t *testing.T) {
	a := apptest.New(t, nil)
	admin := makeAdmin(t, a)
	tag := randomHex(4)
	email := "findme-" + tag + "@example.com"
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
		Body: map[string]string{"email": email, "password": password, "name": "Grace Hopper " + tag}}).Want(http.StatusCreated)
	// num makes the LIKE cases unique in the shared database; the decoy would match if % or _
	// were treated as wildcards.
	num := fmt.Sprintf("%08d", ipSeq.Add(1)*7919%100000000)
	for _, name := range []string{"Sale " + num + "%_off", "Decoy " + num + "0 Xoff"} {
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
			Body: map[string]string{"email": uniqueEmail("pct"), "password": password, "name": name}}).Want(http.StatusCreated)
	}

	all := listUsers(t, a, admin.Access, "")
	if len(all) < 3 {
		t.Errorf("unfiltered list has %d users, want at least 3", len(all))
	}
	tests := []struct {
		name, query string
		want        []string // e-mails or name fragments expected, exactly this many results
	}{
		{"by e-mail fragment", "findme-" + tag, []string{email}},
		{"by e-mail in upper case", strings.ToUpper("FINDME-" + tag), []string{email}},
		{"by name, any case", "grace%20hopper%20" + tag, []string{email}},
		{"percent is literal", num + "%25", []string{num + "%_off"}},
		{"percent and underscore are literal", num + "%25_off", []string{num + "%_off"}},
		{"decoy is findable", num + "0", []string{"Decoy"}},
		{"no match", "zz-no-such-user-" + tag, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := listUsers(t, a, admin.Access, tt.query)
			if len(got) != len(tt.want) {
				t.Fatalf("query %q found %d users %v, want %d", tt.query, len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if got[i].Email != w && !strings.Contains(got[i].Name, w) {
					t.Errorf("result %d = %+v, want %s", i, got[i], w)
				}
			}
		})
	}
	found := listUsers(t, a, admin.Access, "findme-"+tag)[0]
	if !uuidRE.MatchString(found.ID) || !slices.Equal(found.Roles, []string{"learner"}) || found.EmailVerified || found.CreatedAt == "" {
		t.Errorf("listed user = %+v", found)
	}
}

func TestAdminSetsRoles(t *testing.T) {
	a := apptest.New(t, nil)
	admin := makeAdmin(t, a)
	target := signedIn(t, a, "promote", "")

	r := setRoles(a, admin.Access, target.ID, map[string]any{"roles": []string{"instructor"}}).Want(http.StatusOK)
	var u adminUser
	r.Decode(&u)
	if u.ID != target.ID || !slices.Equal(u.Roles, []string{"learner", "instructor"}) {
		t.Fatalf("PUT roles = %+v, want learner + instructor", u)
	}
	if _, body := me(t, a, target.Access); len(body["roles"].([]any)) != 2 {
		t.Errorf("GET /me roles = %v", body["roles"])
	}
	// An instructor is still not an admin.
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/users", Token: target.Access}), http.StatusForbidden)

	tests := []struct {
		name   string
		id     string
		body   any
		want   int
		fields []string
	}{
		{"unknown role", target.ID, map[string]any{"roles": []string{"instructor", "superuser"}}, 422, []string{"roles[1]"}},
		{"roles missing", target.ID, map[string]any{}, 422, []string{"roles"}},
		{"roles not a list", target.ID, map[string]any{"roles": "admin"}, 422, []string{"roles"}},
		{"too many roles", target.ID, map[string]any{"roles": []string{"learner", "instructor", "admin", "learner"}}, 422, []string{"roles"}},
		{"non-UUID id", "not-a-uuid", map[string]any{"roles": []string{"instructor"}}, 404, nil},
		{"SQL as id", "1%20OR%201=1", map[string]any{"roles": []string{"instructor"}}, 404, nil},
		{"unknown UUID", uuid.NewString(), map[string]any{"roles": []string{"instructor"}}, 404, nil},
		{"admin removes own admin role", admin.ID, map[string]any{"roles": []string{"learner", "instructor"}}, 409, nil},
		{"admin clears own roles", admin.ID, map[string]any{"roles": []string{}}, 409, nil},
		{"admin removes own admin role via upper-case id", strings.ToUpper(admin.ID), map[string]any{"roles": []string{"learner"}}, 409, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wantProblem(t, setRoles(a, admin.Access, tt.id, tt.body), tt.want)
			for _, f := range tt.fields {
				if !p.has(f) {
					t.Errorf("errors %v do not name %s", p.fields(), f)
				}
			}
		})
	}
	if _, body := me(t, a, target.Access); len(body["roles"].([]any)) != 2 {
		t.Errorf("rejected role changes altered the target: %v", body["roles"])
	}
	listUsers(t, a, admin.Access, "") // the admin is still an admin

	t.Run("learner is always kept", func(t *testing.T) {
		var u adminUser
		setRoles(a, admin.Access, target.ID, map[string]any{"roles": []string{}}).Want(http.StatusOK).Decode(&u)
		if !slices.Equal(u.Roles, []string{"learner"}) {
			t.Errorf("roles = %v, want [learner]", u.Roles)
		}
	})
}

// RequireRole reads roles from the database, so a revoked role stops working on the very next
// call even though the access token is still valid.
func TestRoleChangesTakeEffectAtOnce(t *testing.T) {
	a := apptest.New(t, nil)
	admin := makeAdmin(t, a)
	deputy := signedIn(t, a, "deputy", "")
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/users", Token: deputy.Access}), http.StatusForbidden)

	setRoles(a, admin.Access, deputy.ID, map[string]any{"roles": []string{"admin"}}).Want(http.StatusOK)
	listUsers(t, a, deputy.Access, "") // same token, now admin

	setRoles(a, admin.Access, deputy.ID, map[string]any{"roles": []string{"learner"}}).Want(http.StatusOK)
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/users", Token: deputy.Access}), http.StatusForbidden)

	// Two admins can demote each other; only self-demotion is refused.
	setRoles(a, admin.Access, deputy.ID, map[string]any{"roles": []string{"admin"}}).Want(http.StatusOK)
	setRoles(a, deputy.Access, admin.ID, map[string]any{"roles": []string{"instructor"}}).Want(http.StatusOK)
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/users", Token: admin.Access}), http.StatusForbidden)
}
