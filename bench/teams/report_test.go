package teamsbench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Size of the seeded team.
const (
	reps     = 500
	lessons  = 30
	attempts = 4
)

// BenchmarkTeamReport times the report as JSON and as CSV through the real router.
func BenchmarkTeamReport(b *testing.B) {
	a := apptest.New(b, map[string]string{"SMTP_URL": ""})
	token, team := seed(b, a)
	for _, tc := range []struct{ name, accept string }{{"json", "application/json"}, {"csv", "text/csv"}} {
		b.Run(tc.name, func(b *testing.B) {
			req := apptest.Request{Method: "GET", Path: "/api/v1/teams/" + team + "/report", Token: token,
				Header: map[string]string{"Accept": tc.accept}}
			a.Do(req).Want(http.StatusOK) // warms the assessment caches, as any running process has
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := a.Do(req); r.Code != http.StatusOK {
					b.Fatalf("report: %d %s", r.Code, r.Body.String())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/report")
		})
	}
	// 32 screens asking at once, as make bench's load does (16 goroutines per CPU): each
	// iteration is one request, so B/op is what one request costs while others overlap it.
	b.Run("json-parallel32", func(b *testing.B) {
		path := "/api/v1/teams/" + team + "/report"
		b.SetParallelism(16)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				a.Echo.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Errorf("report: %d %s", rec.Code, rec.Body.String())
					return
				}
			}
		})
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/report")
	})
	// The progress and skills domains' own batched readers, alone, for comparison with the
	// report's two statements.
	var ids []string
	a.DB.Gorm.Raw(`SELECT user_id FROM team_members WHERE team_id = ? AND is_learner`, team).Scan(&ids)
	ctx := context.Background()
	b.Run("progress-reader", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := a.Progress.TeamProgress(ctx, ids); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/call")
	})
	b.Run("skills-reader", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := a.Assess.SkillSummaries(ctx, ids); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/call")
	})
}

// seed loads the shipped curriculum and assessment, then writes the team straight into the
// tables: reps, memberships, 30 lessons of progress each (a different number completed per rep)
// and a baseline plus three progress attempts each with a score on every competency. It returns
// the manager's access token and the team id.
func seed(b *testing.B, a *apptest.App) (string, string) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	if rep, err := a.Catalog.Import(ctx, content.FS); err != nil || len(rep.Errors) > 0 {
		b.Fatalf("import curriculum: %v %v", err, rep.Errors)
	}
	if rep, err := a.Assess.ImportInstruments(ctx, content.FS); err != nil || len(rep.Errors) > 0 {
		b.Fatalf("import assessments: %v %v", err, rep.Errors)
	}
	const pw = "bench password 123"
	mgr, err := a.Identity.CreateUser(ctx, "manager@bench.test", pw, "Manager", "")
	if err != nil {
		b.Fatal(err)
	}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login",
		Body: map[string]string{"email": mgr.Email, "password": pw}}).Want(http.StatusOK).Decode(&login)
	var team struct {
		ID string `json:"id"`
	}
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams", Token: login.AccessToken,
		Body: map[string]string{"name": "Bench"}}).Want(http.StatusCreated).Decode(&team)

	steps := []struct {
		name string
		sql  string
		args map[string]any
	}{
		{"reps", `INSERT INTO users (email, name, password_hash, weekly_reminders)
			SELECT 'rep' || g || '@bench.test', 'Rep ' || lpad(g::text, 3, '0'), 'unusable', false
			FROM generate_series(1, @reps) g`, nil},
		{"members", `INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
			SELECT @team, id, 'member', true, now() - interval '100 days' FROM users WHERE email LIKE 'rep%@bench.test'`, nil},
		{"progress", `
			WITH r AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'rep%@bench.test'),
			     l AS (SELECT lv.lesson_id, m.id AS module_id, row_number() OVER (ORDER BY m.sort_order, lv.position) AS ord
			           FROM modules m
			           JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			           JOIN lesson_versions lv ON lv.module_version_id = v.id
			           WHERE m.state = 'published' ORDER BY ord LIMIT @lessons)
			INSERT INTO lesson_progress (user_id, lesson_id, module_id, status, seconds, started_at, completed_at, updated_at)
			SELECT r.id, l.lesson_id, l.module_id,
			       CASE WHEN l.ord <= r.n % (@lessons + 1) THEN 'completed' ELSE 'started' END, 300,
			       now() - interval '60 days',
			       CASE WHEN l.ord <= r.n % (@lessons + 1) THEN now() - l.ord * interval '1 day' END,
			       now() - l.ord * interval '1 day'
			FROM r CROSS JOIN l`, nil},
		{"attempts", `
			INSERT INTO attempts (user_id, instrument_id, instrument_version_id, kind, item_order, started_at, submitted_at)
			SELECT u.id, i.id, v.id, CASE WHEN k = 1 THEN 'baseline' ELSE 'progress' END, ARRAY['seeded'],
			       now() - interval '90 days' + (k - 1) * interval '21 days',
			       now() - interval '90 days' + (k - 1) * interval '21 days' + interval '20 minutes'
			FROM users u
			CROSS JOIN generate_series(1, @attempts) k
			CROSS JOIN instruments i
			JOIN instrument_versions v ON v.instrument_id = i.id AND v.version = i.current_version
			WHERE u.email LIKE 'rep%@bench.test'`, nil},
		{"scores", `
			WITH a AS (SELECT id, user_id, row_number() OVER (PARTITION BY user_id, instrument_id ORDER BY submitted_at) AS k
			           FROM attempts WHERE item_order = ARRAY['seeded'])
			INSERT INTO attempt_scores (attempt_id, competency, score, likert, sjt)
			SELECT a.id, c, s, s, s
			FROM a CROSS JOIN unnest(CAST(@comps AS text[])) c
			CROSS JOIN LATERAL (SELECT least(100, 30 + abs(hashtext(a.user_id::text || c)) % 40 + (a.k - 1) * 6)::numeric AS s) x`,
			map[string]any{"comps": db.StringArray(catalog.Competencies)}},
	}
	for _, s := range steps {
		args := map[string]any{"reps": reps, "team": team.ID, "lessons": lessons, "attempts": attempts}
		for k, v := range s.args {
			args[k] = v
		}
		if err := a.DB.Gorm.WithContext(ctx).Exec(s.sql, args).Error; err != nil {
			b.Fatalf("seed %s: %v", s.name, err)
		}
	}
	if err := a.DB.Gorm.WithContext(ctx).Exec(`ANALYZE`).Error; err != nil {
		b.Fatalf("analyze: %v", err)
	}
	var counts struct{ Members, Progress, Attempts, Scores int }
	a.DB.Gorm.Raw(`SELECT (SELECT count(*) FROM team_members WHERE team_id = ?) AS members,
		(SELECT count(*) FROM lesson_progress) AS progress, (SELECT count(*) FROM attempts) AS attempts,
		(SELECT count(*) FROM attempt_scores) AS scores`, team.ID).Scan(&counts)
	b.Logf("seeded %d members, %d progress rows, %d attempts, %d scores in %s", counts.Members, counts.Progress,
		counts.Attempts, counts.Scores, time.Since(start).Round(time.Millisecond))
	if counts.Members != reps+1 || counts.Progress != reps*lessons || counts.Attempts != reps*attempts {
		b.Fatalf("seed: %+v", counts)
	}
	return login.AccessToken, team.ID
}
