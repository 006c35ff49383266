package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
)

func TestMeShape(t *testing.T) {
	a := apptest.New(t, nil)
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me"}), http.StatusUnauthorized)
	acc := register(t, a, "shape")
	code, body := me(t, a, acc.Access)
	if code != http.StatusOK {
		t.Fatalf("GET /me = %d", code)
	}
	for _, k := range []string{"id", "email", "name", "roles", "email_verified", "entitlement", "teams"} {
		if _, ok := body[k]; !ok {
			t.Errorf("/me lacks %q: %v", k, body)
		}
	}
	if body["id"] != acc.ID || body["email"] != acc.Email || body["name"] != "Test shape" || body["email_verified"] != false {
		t.Errorf("/me = %v", body)
	}
	if roles, _ := body["roles"].([]any); len(roles) != 1 || roles[0] != "learner" {
		t.Errorf("roles = %v", body["roles"])
	}
	ent, _ := body["entitlement"].(map[string]any)
	if src, has := ent["source"]; ent == nil || ent["premium"] != false || !has || src != nil {
		t.Errorf("entitlement = %v, want {premium:false, source:null}", body["entitlement"])
	}
	if teams, ok := body["teams"].([]any); !ok || len(teams) != 0 {
		t.Errorf("teams = %#v, want an empty list (not null)", body["teams"])
	}
	if body["time_zone"] != "UTC" || body["weekly_reminders"] != true {
		t.Errorf("defaults: time_zone %v, weekly_reminders %v", body["time_zone"], body["weekly_reminders"])
	}
	created, _ := body["created_at"].(string)
	if ts, err := time.Parse(time.RFC3339, created); err != nil || !strings.HasSuffix(created, "Z") || time.Since(ts) > time.Minute {
		t.Errorf("created_at = %q (%v), want a recent UTC RFC 3339 time", created, err)
	}
}

func TestPatchMe(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "patch", "")
	patch := func(body any) *apptest.Response {
		return a.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: acc.Access, Body: body})
	}
	wantProblem(t, a.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/me", Body: map[string]any{"name": "X"}}), http.StatusUnauthorized)

	steps := []struct {
		name string
		body any
		want map[string]any // fields of the returned me
	}{
		{"name only", map[string]any{"name": "  New \t Name "}, map[string]any{"name": "New Name", "time_zone": "UTC", "weekly_reminders": true}},
		{"time zone only", map[string]any{"time_zone": "Europe/Berlin"}, map[string]any{"name": "New Name", "time_zone": "Europe/Berlin"}},
		{"reminders off", map[string]any{"weekly_reminders": false}, map[string]any{"weekly_reminders": false, "time_zone": "Europe/Berlin"}},
		{"nothing", map[string]any{}, map[string]any{"name": "New Name", "time_zone": "Europe/Berlin", "weekly_reminders": false}},
		{"all three", map[string]any{"name": "Ann", "time_zone": "America/Argentina/Buenos_Aires", "weekly_reminders": true},
			map[string]any{"name": "Ann", "time_zone": "America/Argentina/Buenos_Aires", "weekly_reminders": true}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			body := patch(s.body).Want(http.StatusOK).JSON()
			_, again := me(t, a, acc.Access)
			for k, v := range s.want {
				if body[k] != v {
					t.Errorf("PATCH response %s = %v, want %v", k, body[k], v)
				}
				if again[k] != v {
					t.Errorf("GET /me %s = %v after PATCH, want %v", k, again[k], v)
				}
			}
			if body["id"] != acc.ID || body["email"] != acc.Email || body["teams"] == nil {
				t.Errorf("PATCH did not answer with the full me: %v", body)
			}
		})
	}

	bad := []struct {
		name  string
		body  any
		field string
	}{
		{"unknown zone", map[string]any{"time_zone": "Mars/Olympus_Mons"}, "time_zone"},
		{"empty zone", map[string]any{"time_zone": ""}, "time_zone"},
		{"Local", map[string]any{"time_zone": "Local"}, "time_zone"},
		{"path traversal", map[string]any{"time_zone": "../../etc/passwd"}, "time_zone"},
		{"bad zone with a good name", map[string]any{"name": "Changed", "time_zone": "Nowhere/Land"}, "time_zone"},
		{"blank name", map[string]any{"name": "   "}, "name"},
		{"long name", map[string]any{"name": strings.Repeat("x", 101)}, "name"},
		{"reminders as a string", map[string]any{"weekly_reminders": "yes"}, "weekly_reminders"},
		{"e-mail is not editable here", map[string]any{"email": "new@example.com"}, "email"},
		{"roles are not editable here", map[string]any{"roles": []string{"admin"}}, "roles"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			wantFields(t, patch(tt.body), tt.field)
		})
	}
	_, after := me(t, a, acc.Access)
	if after["name"] != "Ann" || after["time_zone"] != "America/Argentina/Buenos_Aires" || after["email"] != acc.Email {
		t.Errorf("rejected PATCHes changed the profile: %v", after)
	}
	if roles, _ := after["roles"].([]any); len(roles) != 1 {
		t.Errorf("roles = %v", after["roles"])
	}
}

func TestChangePassword(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "chpw", "")
	other := login(t, a, acc.Email, password)
	put := func(token string, body any) *apptest.Response {
		return a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/me/password", Token: token, Body: body})
	}
	const next = "my next passphrase"

	wantProblem(t, put("", map[string]string{"current_password": password, "new_password": next}), http.StatusUnauthorized)
	tests := []struct {
		name   string
		body   any
		fields []string
	}{
		{"wrong current password", map[string]string{"current_password": "not my password", "new_password": next}, []string{"current_password"}},
		{"missing current password", map[string]string{"new_password": next}, []string{"current_password"}},
		{"short new password", map[string]string{"current_password": password, "new_password": "short"}, []string{"new_password"}},
		{"huge new password", map[string]string{"current_password": password, "new_password": strings.Repeat("n", 10_000)}, []string{"new_password"}},
		{"huge current password", map[string]string{"current_password": strings.Repeat("c", 10_000), "new_password": next}, []string{"current_password"}},
		{"unknown field", map[string]string{"password": next}, []string{"password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFields(t, put(acc.Access, tt.body), tt.fields...)
		})
	}
	refresh(a, other.Refresh).Want(http.StatusOK) // nothing above ended a session

	r := put(acc.Access, map[string]string{"current_password": password, "new_password": next}).Want(http.StatusOK)
	got := toAccount(t, r.Body.Bytes(), r.Cookie(identity.RefreshCookie), acc.Email, next)
	if got.ID != acc.ID {
		t.Errorf("new session is for %s, want %s", got.ID, acc.ID)
	}
	if code, _ := me(t, a, got.Access); code != http.StatusOK {
		t.Errorf("new access token: GET /me = %d", code)
	}
	for name, ck := range map[string]*http.Cookie{"registration": acc.Refresh, "other login": other.Refresh} {
		if r := refresh(a, ck); r.Code != http.StatusUnauthorized {
			t.Errorf("%s session survived the password change: %d", name, r.Code)
		}
	}
	refresh(a, got.Refresh).Want(http.StatusOK)
	if rec := loginFrom(t, a, freshIP(), acc.Email, password); rec.Code != http.StatusUnauthorized {
		t.Errorf("old password still works: %d", rec.Code)
	}
	login(t, a, acc.Email, next)
}
