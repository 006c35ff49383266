// Command pgxinsert is the database baseline of `make bench`: WORKERS goroutines INSERT single
// rows as fast as they can, each statement its own (durable) transaction, through one pgx pool,
// into a scratch table shaped like progress_time_events (the row a progress write adds). It
// prints one JSON object: requests, seconds, rps, p50_ms, p99_ms and errors.
//
//	go run ./bench/pgxinsert -db "$DATABASE_URL" -workers 32 -conns 40 -duration 10s
//
// The table (bench_pgx_insert by default) is created at start and dropped at the end.
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
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
	flag.Parse()
	if err := run(*dsn, *table, *workers, *conns, *warmup, *duration); err != nil {
		log.Fatal("pgxinsert: ", err)
	}
}

func run(dsn, table string, workers, conns int, warmup, duration time.Duration) error {
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
	t := pgx.Identifier{table}.Sanitize()
	if _, err := pool.Exec(ctx, `CREATE TABLE `+t+` (
		user_id uuid NOT NULL, idempotency_key text NOT NULL, lesson_id uuid NOT NULL,
		seconds integer NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (user_id, idempotency_key))`); err != nil {
		return err
	}
	defer pool.Exec(context.Background(), `DROP TABLE IF EXISTS `+t) //nolint:errcheck // best effort
	insert := `INSERT INTO ` + t + ` (user_id, idempotency_key, lesson_id, seconds, at) VALUES ($1, $2, $3, $4, now())`

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
		go func() {
			defer wg.Done()
			user, lesson := uuid.New(), uuid.New()
			var mine []time.Duration
			bad := 0
			for i := 0; ; i++ {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				_, err := pool.Exec(ctx, insert, user, fmt.Sprintf("k-%d", i), lesson, 30)
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
		}()
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
