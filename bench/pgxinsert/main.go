// Command pgxinsert is the database baseline of `make bench`: WORKERS goroutines INSERT single
// rows as fast as they can, each statement its own (durable) transaction, through one pgx pool,
// into a scratch table shaped like progress_time_events (the row a progress write adds). It
// prints one JSON object: requests, seconds, rps, p50_ms, p99_ms and errors.
//
//	go run ./bench/pgxinsert -db "$DATABASE_URL" -workers 32 -conns 40 -duration 10s
//
// The table (bench_pgx_insert by default) is created at start and dropped at the end.
//
// With -statement progress it runs Rapport's own progress write instead (the statement of
// PUT /progress/lessons/{id}, progress.UpsertProgressSQL) on the seeded database: request i is
// load learner i % WORKERS on published lesson (i / WORKERS) % lessons with a fresh key, as
// `make bench` sends them over HTTP. The route's figure over this one is what HTTP costs; this
// one over the INSERT is what the statement costs.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapport-hq/rapport/internal/progress"
)

// result is what the program prints.
type result struct {
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	Workers  int     `json:"workers"`
	Conns    int     `json:"conns"`
}

func main() {
	dsn := flag.String("db", os.Getenv("DATABASE_URL"), "PostgreSQL URL")
	workers := flag.Int("workers", 32, "concurrent inserters")
	conns := flag.Int("conns", 40, "pool size")
	duration := flag.Duration("duration", 10*time.Second, "measured time")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured time before it")
	table := flag.String("table", "bench_pgx_insert", "scratch table (created, then dropped)")
	statement := flag.String("statement", "insert", "insert (one row into the scratch table) or progress (Rapport's progress write)")
	flag.Parse()
	if *statement != "insert" && *statement != "progress" {
		log.Fatal("pgxinsert: -statement is insert or progress")
	}
	if err := run(*dsn, *table, *statement, *workers, *conns, *warmup, *duration); err != nil {
		log.Fatal("pgxinsert: ", err)
	}
}

func run(dsn, table, statement string, workers, conns int, warmup, duration time.Duration) error {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return err
	}
	cfg.MaxConns = int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	write, cleanup, err := writer(ctx, pool, table, statement, workers)
	if err != nil {
		return err
	}
	defer cleanup()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	start := time.Now()
	measureFrom, end := start.Add(warmup), start.Add(warmup+duration)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := 0; ; i++ {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				err := write(ctx, w, i)
				if t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += bad
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	measured := time.Since(measureFrom).Seconds()
	slices.Sort(latencies)
	r := result{Requests: len(latencies), Errors: errs, Seconds: measured, Workers: workers, Conns: conns,
		RPS: float64(len(latencies)) / measured, P50: ms(pct(latencies, 0.50)), P99: ms(pct(latencies, 0.99))}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// pct is the q-quantile of sorted durations (nearest rank).
func pct(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)) * q)
	return sorted[min(i, len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// writer returns the statement a worker runs (worker w's i-th call) and what to undo at the end.
func writer(ctx context.Context, pool *pgxpool.Pool, table, statement string, workers int) (func(context.Context, int, int) error, func(), error) {
	if statement == "insert" {
		t := pgx.Identifier{table}.Sanitize()
		if _, err := pool.Exec(ctx, `CREATE TABLE `+t+` (
			user_id uuid NOT NULL, idempotency_key text NOT NULL, lesson_id uuid NOT NULL,
			seconds integer NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (user_id, idempotency_key))`); err != nil {
			return nil, nil, err
		}
		drop := func() { pool.Exec(context.Background(), `DROP TABLE IF EXISTS `+t) } //nolint:errcheck // best effort
		insert := `INSERT INTO ` + t + ` (user_id, idempotency_key, lesson_id, seconds, at) VALUES ($1, $2, $3, $4, now())`
		users, lessons := make([]uuid.UUID, workers), make([]uuid.UUID, workers)
		for w := range users {
			users[w], lessons[w] = uuid.New(), uuid.New()
		}
		return func(ctx context.Context, w, i int) error {
			_, err := pool.Exec(ctx, insert, users[w], fmt.Sprintf("k-%d", i), lessons[w], 30)
			return err
		}, drop, nil
	}
	users, err := column(ctx, pool, `SELECT CAST(id AS text) FROM users WHERE email LIKE 'learner-%@load.rapport.test'
		ORDER BY email DESC LIMIT $1`, workers)
	if err != nil {
		return nil, nil, err
	}
	lessons, err := column(ctx, pool, `SELECT CAST(lv.lesson_id AS text) FROM modules m
		JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		JOIN lesson_versions lv ON lv.module_version_id = v.id
		WHERE m.state = 'published' ORDER BY m.slug, lv.position LIMIT $1`, 10000)
	if err != nil {
		return nil, nil, err
	}
	if len(users) < workers || len(lessons) == 0 {
		return nil, nil, fmt.Errorf("-statement progress needs %d load learners and published lessons (rapport demo --learners N): found %d and %d",
			workers, len(users), len(lessons))
	}
	var n atomic.Int64
	run := uuid.NewString()[:8]
	return func(ctx context.Context, _, _ int) error {
		i := int(n.Add(1))
		var user, lesson, module, status, position, slug string
		var seconds int
		var started, updated time.Time
		var completed *time.Time
		return pool.QueryRow(ctx, progress.UpsertProgressSQL, users[i%workers], lessons[(i/workers)%len(lessons)],
			"started", 30, "scroll:0.42", true, fmt.Sprintf("pgx-%s-%d", run, i), time.Now()).
			Scan(&user, &lesson, &module, &status, &seconds, &position, &started, &completed, &updated, &slug)
	}, func() {}, nil
}

// column runs q (one text column, $1 the limit) and returns its values.
func column(ctx context.Context, pool *pgxpool.Pool, q string, limit int) ([]string, error) {
	rows, err := pool.Query(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
