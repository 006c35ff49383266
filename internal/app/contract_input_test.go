package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// TestContractRefusesEmptyNullAndUnreadableValues sends what third-party contract tools sent:
// an empty or null body, null or "" for a field that is not nullable, and text that is not
// valid UTF-8 (raw bytes or an unpaired surrogate escape). Each is refused with a 4xx
// problem+json naming the field, and nothing is stored.
func TestContractRefusesEmptyNullAndUnreadableValues(t *testing.T) {
	w := newWorld(t)
	learner := w.account("nina", "")
	ins := w.account("ines", "instructor")
	admin := w.account("adam", "admin")
	manager := w.account("mona", "")

	mod := "input-" + randomHex(3)
	w.want(ins, 201, "POST", "/api/v1/studio/modules", map[string]any{"slug": mod, "title": "Input checks",
		"summary": "A module.", "access": "free", "competencies": []string{"self_awareness"}}, nil)
	w.want(ins, 201, "POST", "/api/v1/studio/modules/"+mod+"/lessons",
		map[string]any{"slug": "l1", "title": "Lesson one", "minutes": 5, "markdown": "## One\n\nText."}, nil)
	w.want(ins, 201, "POST", "/api/v1/studio/modules/"+mod+"/publish", nil, nil)
	var detail struct {
		Lessons []struct {
			ID string `json:"id"`
		} `json:"lessons"`
	}
	w.want(ins, 200, "GET", "/api/v1/studio/modules/"+mod, nil, &detail)
	lessonID := detail.Lessons[0].ID
	var team struct {
		ID string `json:"id"`
	}
	w.want(manager, 201, "POST", "/api/v1/teams", map[string]string{"name": "Input Checkers"}, &team)

	moduleURL := "/api/v1/studio/modules/" + mod
	lessonURL := moduleURL + "/lessons/l1"
	progressURL := "/api/v1/progress/lessons/" + lessonID
	grants := "/api/v1/admin/grants"
	recognitions := "/api/v1/teams/" + team.ID + "/recognitions"
	endsAt := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)

	cases := []struct {
		name   string
		who    *account
		method string
		path   string
		body   string
		status int
		field  string
	}{
		{"preview empty object", ins, "POST", "/api/v1/studio/preview", `{}`, 422, "markdown"},
		{"preview null body", ins, "POST", "/api/v1/studio/preview", `null`, 422, "markdown"},
		{"preview null markdown", ins, "POST", "/api/v1/studio/preview", `{"markdown":null}`, 422, "markdown"},
		{"preview unpaired surrogate", ins, "POST", "/api/v1/studio/preview", `{"markdown":"a\udc00b"}`, 422, "markdown"},

		{"me null name", learner, "PATCH", "/api/v1/me", `{"name":null}`, 422, "name"},
		{"me empty name", learner, "PATCH", "/api/v1/me", `{"name":""}`, 422, "name"},
		{"me null time zone", learner, "PATCH", "/api/v1/me", `{"time_zone":null}`, 422, "time_zone"},
		{"me empty time zone", learner, "PATCH", "/api/v1/me", `{"time_zone":""}`, 422, "time_zone"},
		{"me null reminders", learner, "PATCH", "/api/v1/me", `{"weekly_reminders":null}`, 422, "weekly_reminders"},
		{"me empty reminders", learner, "PATCH", "/api/v1/me", `{"weekly_reminders":""}`, 422, "weekly_reminders"},
		{"me invalid UTF-8 name", learner, "PATCH", "/api/v1/me", "{\"name\":\"Nina \xff\xfe\"}", 422, "name"},
		{"me lone high surrogate", learner, "PATCH", "/api/v1/me", `{"name":"Nina \ud800"}`, 422, "name"},

		{"module null title", ins, "PUT", moduleURL, `{"title":null}`, 422, "title"},
		{"module empty title", ins, "PUT", moduleURL, `{"title":""}`, 422, "title"},
		{"module null slug", ins, "PUT", moduleURL, `{"slug":null}`, 422, "slug"},
		{"module empty slug", ins, "PUT", moduleURL, `{"slug":""}`, 422, "slug"},
		{"module null summary", ins, "PUT", moduleURL, `{"summary":null}`, 422, "summary"},
		{"module null access", ins, "PUT", moduleURL, `{"access":null}`, 422, "access"},
		{"module empty access", ins, "PUT", moduleURL, `{"access":""}`, 422, "access"},
		{"module null competencies", ins, "PUT", moduleURL, `{"competencies":null}`, 422, "competencies"},
		{"module null competency", ins, "PUT", moduleURL, `{"competencies":[null]}`, 422, "competencies[0]"},
		{"module null sort order", ins, "PUT", moduleURL, `{"sort_order":null}`, 422, "sort_order"},
		{"module empty sort order", ins, "PUT", moduleURL, `{"sort_order":""}`, 422, "sort_order"},
		{"module invalid UTF-8 summary", ins, "PUT", moduleURL, "{\"summary\":\"\xc3\x28\"}", 422, "summary"},
		{"lesson null title", ins, "PUT", lessonURL, `{"title":null}`, 422, "title"},
		{"lesson empty title", ins, "PUT", lessonURL, `{"title":""}`, 422, "title"},
		{"lesson null slug", ins, "PUT", lessonURL, `{"slug":null}`, 422, "slug"},
		{"lesson empty slug", ins, "PUT", lessonURL, `{"slug":""}`, 422, "slug"},
		{"lesson null minutes", ins, "PUT", lessonURL, `{"minutes":null}`, 422, "minutes"},
		{"lesson null markdown", ins, "PUT", lessonURL, `{"markdown":null}`, 422, "markdown"},
		{"lesson null position", ins, "PUT", lessonURL, `{"position":null}`, 422, "position"},
		{"lesson invalid UTF-8 markdown", ins, "PUT", lessonURL, "{\"markdown\":\"## A\\n\\n\xed\xa0\x80\"}", 422, "markdown"},

		{"progress null status", learner, "PUT", progressURL, `{"status":null}`, 422, "status"},
		{"progress empty status", learner, "PUT", progressURL, `{"status":""}`, 422, "status"},
		{"progress null seconds", learner, "PUT", progressURL, `{"status":"started","seconds":null}`, 422, "seconds"},
		{"progress null position", learner, "PUT", progressURL, `{"status":"started","position":null}`, 422, "position"},
		{"progress invalid UTF-8 position", learner, "PUT", progressURL, "{\"status\":\"started\",\"position\":\"\xff\"}", 422, "position"},
		{"goal null", learner, "PUT", "/api/v1/progress/goal", `{"goal_minutes":null}`, 422, "goal_minutes"},
		{"goal empty", learner, "PUT", "/api/v1/progress/goal", `{"goal_minutes":""}`, 422, "goal_minutes"},

		{"grant null user", admin, "POST", grants, `{"user_id":null,"ends_at":"` + endsAt + `"}`, 422, "user_id"},
		{"grant empty user", admin, "POST", grants, `{"user_id":"","ends_at":"` + endsAt + `"}`, 422, "user_id"},
		{"grant null team", admin, "POST", grants, `{"team_id":null,"seats":3,"ends_at":"` + endsAt + `"}`, 422, "team_id"},
		{"grant empty team", admin, "POST", grants, `{"team_id":"","seats":3,"ends_at":"` + endsAt + `"}`, 422, "team_id"},
		{"grant null seats", admin, "POST", grants, `{"team_id":"` + team.ID + `","seats":null,"ends_at":"` + endsAt + `"}`, 422, "seats"},
		{"grant null end", admin, "POST", grants, `{"user_id":"` + learner.ID + `","ends_at":null}`, 422, "ends_at"},
		{"grant empty end", admin, "POST", grants, `{"user_id":"` + learner.ID + `","ends_at":""}`, 422, "ends_at"},

		{"recognition null kind", manager, "POST", recognitions, `{"user_id":"` + learner.ID + `","message":"Well done.","kind":null}`, 422, "kind"},
		{"recognition empty kind", manager, "POST", recognitions, `{"user_id":"` + learner.ID + `","message":"Well done.","kind":""}`, 422, "kind"},
		{"recognition invalid UTF-8 message", manager, "POST", recognitions, "{\"user_id\":\"" + manager.ID + "\",\"message\":\"Well \xe2\x82 done.\"}", 422, "message"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := w.Do(apptest.Request{Method: tc.method, Path: tc.path, Body: []byte(tc.body), Token: tc.who.Token})
			if r.Code != tc.status {
				t.Fatalf("%s %s %s answered %d, want %d: %s", tc.method, tc.path, tc.body, r.Code, tc.status, r.Body.String())
			}
			if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Fatalf("Content-Type %q, want application/problem+json", ct)
			}
			var p struct {
				Errors []struct {
					Field string `json:"field"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			if len(fields) == 0 || !contains(fields, tc.field) {
				t.Errorf("%s %s: problem names %v, want %q: %s", tc.method, tc.body, fields, tc.field, r.Body.String())
			}
		})
	}

	// Nothing of the refused requests was stored: the profile and the draft are unchanged.
	var me struct {
		Name     string `json:"name"`
		TimeZone string `json:"time_zone"`
	}
	w.want(learner, http.StatusOK, "GET", "/api/v1/me", nil, &me)
	if me.Name != learner.Name || strings.ContainsRune(me.Name, '\uFFFD') || me.TimeZone == "" {
		t.Errorf("profile after refused requests = %+v, want name %q and a time zone", me, learner.Name)
	}
	// Values inside the limits still pass.
	w.want(ins, 200, "POST", "/api/v1/studio/preview", map[string]string{"markdown": ""}, nil)
	w.want(learner, 200, "PATCH", "/api/v1/me", map[string]any{"name": "Nina 🎧 Ünal"}, nil)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
