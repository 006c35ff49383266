package main

// Load data for `rapport demo --learners N` (make bench, make drill).
//
// This is the one place where the command line writes other domains' tables directly with plain
// SQL, on purpose: going through the services would hash 2000 passwords (argon2id costs ~50 ms
// each) and run tens of thousands of single-row transactions, so seeding would take minutes
// instead of seconds. It is CLI-only code that never runs inside the server; the schema it relies
// on is the migrations' (migrations/*.sql), and the rows it writes obey every constraint there.
// If a table it writes changes shape, update seedLoad below.
//
// What it writes, all in one transaction, and only what is missing (so it is idempotent: a
// second run with the same N adds nothing, a run with a larger N adds the difference):
//   - N learners learner-00001@load.rapport.test … sharing one argon2id hash of LoadPassword,
//     e-mail verified, spread over a few time zones, created 30 to 200 days ago;
//   - one team per 50 learners ("Load team 001" …), managed by manager-001@load.rapport.test …
//     (same password), with a complimentary grant of 50 seats, so members read premium lessons;
//   - progress through the published lessons in catalog order (a different depth per learner,
//     the next lesson started for most), a reading-time event per lesson row (the same seconds
//     as the row, as the server would record them), and a certificate per finished module;
//   - 1 to 4 submitted attempts of every current assessment per learner (baseline first, then
//     progress attempts 4 to 6 weeks apart), with an answer to every item and scores computed by
//     the server's own scoring code from those answers; learners improve a little each time;
//   - a few recognitions from each manager to members of the team.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/identity"
)

// LoadPassword is the password of every generated load account (learner-NNNNN@load.rapport.test
// and manager-NNN@load.rapport.test). These accounts are for load tests on scratch databases.
const LoadPassword = "rapport-load-2026"

// LoadTeamSize is the number of learners per generated team.
const LoadTeamSize = 50

// maxLoadLearners bounds --learners (the e-mail numbering and one transaction stay sane).
const maxLoadLearners = 200000

var (
	loadFirstNames = []string{"Ava", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas",
		"Kira", "Liam", "Maya", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera",
		"Will", "Xenia", "Yusuf", "Zoe", "Amir", "Bea", "Carlos", "Dana", "Elif", "Finn", "Gita", "Hana",
		"Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nina"}
	loadLastNames = []string{"Adams", "Becker", "Costa", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
		"Jensen", "Khan", "Lopez", "Meyer", "Nowak", "Okafor", "Patel", "Quinn", "Rossi", "Schmidt", "Tanaka",
		"Umeh", "Vogel", "Wagner", "Xu", "Young", "Zimmer", "Alvarez", "Brown", "Chen", "Dubois", "Eriksen",
		"Fontaine", "Gomez", "Haas", "Iyer", "Jovanovic", "Kowalski", "Larsen", "Moreau", "Nakamura"}
	loadTimeZones = []string{"UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
		"America/Los_Angeles", "Asia/Singapore", "Australia/Sydney"}
)

// seedLoad adds the load learners, teams, progress and attempts described in the file comment.
func seedLoad(ctx context.Context, a *app.App, e *env, learners int) error {
	if learners > maxLoadLearners {
		return fmt.Errorf("demo: --learners must be at most %d", maxLoadLearners)
	}
	start := time.Now()
	hash, err := identity.HashPassword(LoadPassword, identity.OWASPParams)
	if err != nil {
		return err
	}
	tx, err := a.DB.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	// Two seeders at once would both see the same rows missing: the second waits here.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('rapport demo --learners', 0))`); err != nil {
		return err
	}
	teams := (learners + LoadTeamSize - 1) / LoadTeamSize
	args := pgx.NamedArgs{"n": learners, "teams": teams, "size": LoadTeamSize, "hash": hash,
		"first": loadFirstNames, "last": loadLastNames, "zones": loadTimeZones}
	steps := []struct{ name, sql string }{
		// The learners and managers not there yet, with their ids chosen up front.
		{"scratch tables", `CREATE TEMP TABLE load_new (n int PRIMARY KEY, id uuid NOT NULL, email text NOT NULL) ON COMMIT DROP`},
		{"scratch tables", `CREATE TEMP TABLE load_team (k int PRIMARY KEY, team_id uuid NOT NULL, manager_id uuid NOT NULL) ON COMMIT DROP`},
		{"new learners", `
			INSERT INTO load_new (n, id, email)
			SELECT g, gen_random_uuid(), e.email
			FROM generate_series(1, @n::int) g
			CROSS JOIN LATERAL (SELECT 'learner-' || lpad(g::text, greatest(5, length(g::text)), '0') || '@load.rapport.test' AS email) e
			WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.email = e.email)`},
		{"managers", `
			INSERT INTO users (email, name, password_hash, email_verified_at, time_zone, created_at, updated_at)
			SELECT 'manager-' || lpad(k::text, 3, '0') || '@load.rapport.test',
			       (@last::text[])[1 + (k * 7) % cardinality(@last::text[])] || ' Manager ' || lpad(k::text, 3, '0'),
			       @hash::text, now() - interval '220 days', (@zones::text[])[1 + k % cardinality(@zones::text[])],
			       now() - interval '220 days', now() - interval '220 days'
			FROM generate_series(1, @teams::int) k
			ON CONFLICT (email) DO NOTHING`},
		{"teams", `
			INSERT INTO teams (name, created_by, created_at, updated_at)
			SELECT 'Load team ' || lpad(k::text, 3, '0'), u.id, now() - interval '210 days', now() - interval '210 days'
			FROM generate_series(1, @teams::int) k
			JOIN users u ON u.email = 'manager-' || lpad(k::text, 3, '0') || '@load.rapport.test'
			WHERE NOT EXISTS (SELECT 1 FROM teams t WHERE t.created_by = u.id)`},
		{"load teams", `
			INSERT INTO load_team (k, team_id, manager_id)
			SELECT k, t.id, u.id
			FROM generate_series(1, @teams::int) k
			JOIN users u ON u.email = 'manager-' || lpad(k::text, 3, '0') || '@load.rapport.test'
			JOIN teams t ON t.created_by = u.id`},
		{"manager memberships", `
			INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
			SELECT team_id, manager_id, 'manager', false, now() - interval '210 days' FROM load_team
			ON CONFLICT (team_id, user_id) DO NOTHING`},
		{"team seats", `
			INSERT INTO billing_grants (team_id, seats, ends_at)
			SELECT team_id, @size::int, now() + interval '1 year' FROM load_team lt
			WHERE NOT EXISTS (SELECT 1 FROM billing_grants g WHERE g.team_id = lt.team_id AND g.revoked_at IS NULL AND g.ends_at > now())`},
		{"learners", `
			INSERT INTO users (id, email, name, password_hash, email_verified_at, time_zone, created_at, updated_at)
			SELECT l.id, l.email,
			       (@first::text[])[1 + l.n % cardinality(@first::text[])] || ' ' ||
			       (@last::text[])[1 + (l.n / cardinality(@first::text[]) + l.n * 13) % cardinality(@last::text[])],
			       @hash::text, c.at, (@zones::text[])[1 + (l.n * 5) % cardinality(@zones::text[])], c.at, c.at
			FROM load_new l
			CROSS JOIN LATERAL (SELECT now() - (30 + abs(hashtext('created' || l.n)) % 170) * interval '1 day'
			                           - (abs(hashtext('hour' || l.n)) % 86400) * interval '1 second' AS at) c`},
		{"learner memberships", `
			INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
			SELECT lt.team_id, l.id, 'member', true, u.created_at + interval '1 day'
			FROM load_new l JOIN users u ON u.id = l.id JOIN load_team lt ON lt.k = (l.n - 1) / @size::int + 1
			ON CONFLICT (team_id, user_id) DO NOTHING`},
		// Lesson progress: learner n finishes the first `done` published lessons in catalog order
		// (skewed: many learners are early on, a few are far along), started the next one (most do),
		// and spread the activity between joining and a per-learner last-active day.
		{"progress", `
			WITH lessons AS (
			    SELECT lv.lesson_id, m.id AS module_id, lv.minutes,
			           row_number() OVER (ORDER BY m.sort_order, m.slug, lv.position, lv.slug) AS ord,
			           count(*) OVER () AS total
			    FROM modules m
			    JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			    JOIN lesson_versions lv ON lv.module_version_id = v.id
			    WHERE m.state = 'published'
			), learner AS (
			    SELECT l.id, u.created_at + interval '1 day' AS first_at,
			           floor(power((abs(hashtext('depth' || l.n)) % 10000) / 10000.0::float8, 1.4) * (total + 1))::int AS done,
			           abs(hashtext('starts' || l.n)) % 10 < 7 AS starts_next,
			           0.25 + 0.75 * (abs(hashtext('recent' || l.n)) % 1000) / 1000.0::float8 AS active_share
			    FROM load_new l JOIN users u ON u.id = l.id CROSS JOIN (SELECT max(total) AS total FROM lessons) t
			), rows AS (
			    SELECT r.id AS user_id, s.lesson_id, s.module_id,
			           CASE WHEN s.ord <= r.done THEN 'completed' ELSE 'started' END AS status,
			           least(3600, CASE WHEN s.ord <= r.done
			                 THEN s.minutes * 60 * (0.7 + 0.6 * (abs(hashtext(r.id::text || s.ord)) % 100) / 100.0::float8)
			                 ELSE s.minutes * 60 * 0.3::float8 END)::int AS seconds,
			           r.first_at + (now() - r.first_at) * r.active_share * s.ord / (r.done + 2) AS at
			    FROM learner r JOIN lessons s ON s.ord <= r.done OR (s.ord = r.done + 1 AND r.starts_next)
			)
			INSERT INTO lesson_progress (user_id, lesson_id, module_id, status, seconds, position, started_at, completed_at, updated_at)
			SELECT user_id, lesson_id, module_id, status, seconds,
			       CASE WHEN status = 'started' THEN 'scroll:0.' || (10 + abs(hashtext(user_id::text)) % 80) ELSE '' END,
			       at - seconds * interval '1 second', CASE WHEN status = 'completed' THEN at END, at
			FROM rows
			ON CONFLICT (user_id, lesson_id) DO NOTHING`},
		{"reading time", `
			INSERT INTO progress_time_events (user_id, idempotency_key, lesson_id, seconds, at)
			SELECT p.user_id, 'seed-' || p.lesson_id, p.lesson_id, p.seconds, p.updated_at
			FROM lesson_progress p JOIN load_new l ON l.id = p.user_id
			ON CONFLICT DO NOTHING`},
		{"certificates", `
			INSERT INTO certificates (code, user_id, module_id, module_version, issued_at)
			SELECT translate(upper(substr(md5(p.user_id::text || p.module_id::text), 1, 10)), '0189', 'WXYZ'),
			       p.user_id, p.module_id, m.current_version, max(p.completed_at)
			FROM lesson_progress p
			JOIN load_new l ON l.id = p.user_id
			JOIN modules m ON m.id = p.module_id
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			WHERE p.status = 'completed'
			GROUP BY p.user_id, p.module_id, m.current_version, v.lesson_count
			HAVING count(*) = v.lesson_count
			ON CONFLICT DO NOTHING`},
		{"recognitions", `
			INSERT INTO recognitions (team_id, from_user_id, to_user_id, message, kind, created_at)
			SELECT tm.team_id, lt.manager_id, l.id,
			       (ARRAY['Great discovery call today: you let the buyer talk.',
			              'Thanks for mapping the whole buying group on the renewal.',
			              'You finished the consensus module, nice work!'])[1 + l.n % 3],
			       CASE WHEN l.n % 3 = 2 THEN 'milestone' ELSE 'win' END,
			       now() - (abs(hashtext('recognised' || l.n)) % 30) * interval '1 day'
			FROM load_new l
			JOIN team_members tm ON tm.user_id = l.id
			JOIN load_team lt ON lt.team_id = tm.team_id
			WHERE l.n % 7 = 0`},
	}
	for _, s := range steps {
		t := time.Now()
		if _, err := tx.Exec(ctx, s.sql, args); err != nil {
			return fmt.Errorf("demo: seed %s: %w", s.name, err)
		}
		e.log.Debug("demo: seed step", "step", s.name, "took", time.Since(t).String())
	}
	var added int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM load_new`).Scan(&added); err != nil {
		return err
	}
	if added == 0 {
		if err := tx.Commit(ctx); err != nil { // keeps any team, manager or grant that was missing
			return err
		}
		fmt.Fprintf(e.stdout, "demo: the %d load learners are already there (password %q)\n", learners, LoadPassword)
		return nil
	}
	t := time.Now()
	attempts, err := seedAttempts(ctx, e, tx)
	if err != nil {
		return err
	}
	e.log.Debug("demo: seed step", "step", "attempts", "took", time.Since(t).String())
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	// Fresh statistics, so the planner sees the real table sizes straight away.
	if _, err := a.DB.Pool.Exec(ctx, `ANALYZE users, teams, team_members, lesson_progress, progress_time_events,
		certificates, attempts, responses, attempt_scores, recognitions`); err != nil {
		return err
	}
	var progressRows int
	if err := a.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM lesson_progress p JOIN users u ON u.id = p.user_id
		WHERE u.email LIKE '%@load.rapport.test'`).Scan(&progressRows); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo: seeded %d load learners in %d teams (%d progress rows, %d attempts) in %s; password %q\n",
		added, teams, progressRows, attempts, time.Since(start).Round(time.Millisecond), LoadPassword)
	return nil
}

// loadLearner is a new load learner as seedAttempts needs it.
type loadLearner struct {
	id      pgtype.UUID
	n       int
	created time.Time
}

// loadInstrument is the current version of one assessment.
type loadInstrument struct {
	id, versionID pgtype.UUID
	def           *assess.Instrument
}

// seedAttempts gives every learner in load_new 1 to 4 submitted attempts of each current
// instrument, with an answer to every item and the scores assess computes from them, written with
// COPY. It returns the number of attempts written.
func seedAttempts(ctx context.Context, e *env, tx pgx.Tx) (int, error) {
	insts, err := loadInstruments(ctx, tx)
	if err != nil || len(insts) == 0 {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT l.id, l.n, u.created_at FROM load_new l JOIN users u ON u.id = l.id
		WHERE NOT EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = l.id) ORDER BY l.n`)
	if err != nil {
		return 0, err
	}
	learners, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (loadLearner, error) {
		var l loadLearner
		return l, r.Scan(&l.id, &l.n, &l.created)
	})
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	var attemptRows, responseRows, scoreRows [][]any
	for _, l := range learners {
		for ii, in := range insts {
			rng := rand.New(rand.NewPCG(uint64(l.n), uint64(ii)+1))
			ability := map[string]float64{}
			for _, c := range in.def.Competencies {
				ability[c.Key] = clamp(50+rng.NormFloat64()*14, 10, 90)
			}
			at := l.created.Add(time.Duration(24+rng.IntN(72)) * time.Hour)
			count := 1 + rng.IntN(4)
			for k := 0; k < count && at.Add(time.Hour).Before(now); k++ {
				id := pgtype.UUID{Bytes: uuid.New(), Valid: true}
				kind := assess.KindProgress
				if k == 0 {
					kind = assess.KindBaseline
				}
				order := make([]string, len(in.def.Items))
				for i, p := range rng.Perm(len(in.def.Items)) {
					order[i] = in.def.Items[p].ID
				}
				took := time.Duration(10+rng.IntN(15)) * time.Minute
				submitted := at.Add(took)
				answers := map[string]assess.Answer{}
				for _, it := range in.def.Items {
					a, raw := loadAnswer(rng, it, ability[it.Competency])
					answers[it.ID] = a
					responseRows = append(responseRows, []any{id, it.ID, raw, submitted.Add(-time.Minute)})
				}
				scores, err := assess.ScoreAttempt(in.def, answers)
				if err != nil {
					return 0, fmt.Errorf("demo: score seeded attempt: %w", err)
				}
				for _, s := range scores {
					scoreRows = append(scoreRows, []any{id, s.Competency, s.Score, s.Likert, s.SJT})
				}
				attemptRows = append(attemptRows, []any{id, l.id, in.id, in.versionID, kind, order, at, submitted})
				// Learners grow a little between check-ins, some more than others.
				for c := range ability {
					ability[c] = clamp(ability[c]+2+rng.Float64()*6, 0, 98)
				}
				at = at.Add(time.Duration(28+rng.IntN(15)) * 24 * time.Hour)
			}
		}
	}
	copies := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"attempts", []string{"id", "user_id", "instrument_id", "instrument_version_id", "kind", "item_order", "started_at", "submitted_at"}, attemptRows},
		{"responses", []string{"attempt_id", "item_id", "value", "updated_at"}, responseRows},
		{"attempt_scores", []string{"attempt_id", "competency", "score", "likert", "sjt"}, scoreRows},
	}
	for _, c := range copies {
		t := time.Now()
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return 0, fmt.Errorf("demo: copy %s: %w", c.table, err)
		}
		e.log.Debug("demo: seed copy", "table", c.table, "rows", len(c.rows), "took", time.Since(t).String())
	}
	return len(attemptRows), nil
}

// loadInstruments reads the current version of every instrument. The definition is decoded from
// its stored JSON (the storage format assess documents in store_definition.go).
func loadInstruments(ctx context.Context, tx pgx.Tx) ([]loadInstrument, error) {
	rows, err := tx.Query(ctx, `SELECT i.id, v.id, v.definition FROM instruments i
		JOIN instrument_versions v ON v.instrument_id = i.id AND v.version = i.current_version ORDER BY i.slug`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (loadInstrument, error) {
		var in loadInstrument
		var raw []byte
		if err := r.Scan(&in.id, &in.versionID, &raw); err != nil {
			return in, err
		}
		var doc struct {
			Weights struct {
				Likert float64 `json:"likert"`
				SJT    float64 `json:"sjt"`
			} `json:"weights"`
			Competencies []struct {
				Key string `json:"key"`
			} `json:"competencies"`
			Items []struct {
				ID         string `json:"id"`
				Competency string `json:"competency"`
				Type       string `json:"type"`
				Reverse    bool   `json:"reverse"`
				Options    []struct {
					ID      string `json:"id"`
					Key     int    `json:"key"`
					Correct bool   `json:"correct"`
				} `json:"options"`
			} `json:"items"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return in, fmt.Errorf("demo: decode instrument definition: %w", err)
		}
		def := &assess.Instrument{Weights: assess.Weights{Likert: doc.Weights.Likert, SJT: doc.Weights.SJT}}
		for _, c := range doc.Competencies {
			def.Competencies = append(def.Competencies, assess.Competency{Key: c.Key})
		}
		for _, it := range doc.Items {
			item := assess.Item{ID: it.ID, Competency: it.Competency, Type: it.Type, Reverse: it.Reverse}
			for _, o := range it.Options {
				item.Options = append(item.Options, assess.Option{ID: o.ID, Key: o.Key, Correct: o.Correct})
			}
			def.Items = append(def.Items, item)
		}
		in.def = def
		return in, nil
	})
}

// loadAnswer answers one item as a learner of the given ability (0-100) would, noisily: Likert
// agreement tracks ability (reverse items are answered reversed), SJT ratings land nearer the
// expert key the more able the learner, and a choice item is right with probability ability.
// It returns the answer and its JSON as stored in responses.value.
func loadAnswer(rng *rand.Rand, it assess.Item, ability float64) (assess.Answer, string) {
	switch it.Type {
	case assess.TypeLikert:
		v := scale(1 + 4*ability/100 + rng.NormFloat64()*0.8)
		if it.Reverse {
			v = assess.ScaleMax + assess.ScaleMin - v
		}
		return assess.Answer{Likert: v}, strconv.Itoa(v)
	case assess.TypeSJT:
		ratings := make([]int, len(it.Options))
		for i, o := range it.Options {
			ratings[i] = scale(float64(o.Key) + rng.NormFloat64()*(2.2-2*ability/100))
		}
		raw, _ := json.Marshal(ratings) // a slice of ints always marshals
		return assess.Answer{Ratings: ratings}, string(raw)
	}
	choice := ""
	right := rng.Float64()*100 < ability
	for _, o := range it.Options {
		if choice == "" || o.Correct == right {
			choice = o.ID
		}
		if o.Correct == right {
			break
		}
	}
	raw, _ := json.Marshal(choice)
	return assess.Answer{Choice: choice}, string(raw)
}

// scale rounds x to a whole answer on the 1-5 scale.
func scale(x float64) int {
	return int(clamp(math.Round(x), assess.ScaleMin, assess.ScaleMax))
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
