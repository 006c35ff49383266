// Command drillclient is the load client of `make drill` (bench/drill.sh). It drives one or more
// Rapport processes (round-robin) and records every request, so the script can check afterwards
// what the client saw against what the database holds.
//
//	drillclient load -targets URL[,URL] -out DIR [-duration 20s] [-writers 16] [-reporters 0]
//	                 [-registrars 0 -register-n 0 -register-prefix P] [-retry] [-watch-ready]
//	                 [-started-file F]
//	drillclient sessions -targets URL,URL -out DIR [-from 41 -n 40]
//
// load logs in load learners (learner-00001@load.rapport.test …, made by `rapport demo
// --learners`) and runs until -duration has passed or it receives SIGINT or SIGTERM:
//   - writers send PUT /api/v1/progress/lessons/{id} with a unique Idempotency-Key per logical
//     write and 5 s of reading time; with -retry a failed write is sent again with the same key
//     (to the next target) every 100 ms until it is acknowledged or the run ends;
//   - reporters read the team report as manager-001 (slower requests, to have some in flight);
//   - registrars POST /api/v1/auth/register for up to -register-n new accounts (never retried:
//     a register is not idempotent), each of which queues one verification e-mail job in its own
//     transaction; every 201 goes to registered.csv, which the drill holds against the queued
//     jobs ("0 registrations acknowledged without a queued mail");
//   - with -watch-ready, /readyz of every target is polled every 100 ms and changes are logged.
//
// It writes DIR/attempts.csv (every request: op, target, start and end in Unix µs, status,
// error kind, key, connections used, first full write in Unix µs), DIR/acked.csv (user_id, key, seconds of every acknowledged write),
// DIR/registered.csv (email, target, user_id of every 201) and DIR/summary.json.
//
// sessions checks that sessions work across processes: for each of -n learners it logs in on one
// target, refreshes on the other, uses the new access token on the first, refreshes again there,
// uses that token on the second, then replays the spent first refresh token (must be refused:
// reuse detection) and tries the family's latest one (must be refused too: the family is revoked).
//
// Errors are counted by kind: reset (ECONNRESET), refused (ECONNREFUSED), eof (connection closed
// before a response), idle_closed (Go's "server closed idle connection"), timeout, other. Go's
// transport itself re-sends idempotent requests (GET, and PUT with an Idempotency-Key) that hit
// a keep-alive connection the server had just closed, as browsers do; POST register is not
// re-sent, so it shows such races.
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Password is LoadPassword in cmd/rapport/demo_load.go.
const Password = "rapport-load-2026"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: drillclient load|sessions [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "load":
		err = runLoad(os.Args[2:])
	case "sessions":
		err = runSessions(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "drillclient:", err)
		os.Exit(1)
	}
}

// client is an HTTP client with keep-alive connections to every target.
var client = &http.Client{
	Timeout: 30 * time.Second,
	Transport: &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        1000,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
	},
}

// kindOf names the kind of a transport error.
func kindOf(err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.EPIPE):
		return "broken_pipe"
	case strings.Contains(err.Error(), "server closed idle connection"):
		return "idle_closed"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "other"
}

// call sends one request and returns the status (0 on a transport error), the body, the
// response's Set-Cookie values and the error kind.
func call(method, url, token string, hdr map[string]string, body any) (int, []byte, []*http.Cookie, string, error) {
	return callTraced(nil, method, url, token, hdr, body)
}

// sent is what an httptrace saw of one request: how many connections it was given (Go's
// transport re-sends an idempotent request on a new connection when a keep-alive one is closed
// before any answer) and when it was first written in full (Unix µs, 0 if never).
type sent struct {
	conns atomic.Int32
	wrote atomic.Int64
}

// callTraced is call, recording on tr (when not nil) the connections used and the first write.
func callTraced(tr *sent, method, url, token string, hdr map[string]string, body any) (int, []byte, []*http.Cookie, string, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, "other", err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, nil, "other", err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if tr != nil {
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotConn:      func(httptrace.GotConnInfo) { tr.conns.Add(1) },
			WroteRequest: func(httptrace.WroteRequestInfo) { tr.wrote.CompareAndSwap(0, time.Now().UnixMicro()) },
		}))
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, kindOf(err), err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, nil, kindOf(err), err
	}
	return res.StatusCode, b, res.Cookies(), "", nil
}

// session is a logged-in account.
type session struct {
	Email, UserID, Access, Refresh string
}

// login signs in on target.
func login(target, email string) (session, error) {
	st, b, cookies, _, err := call("POST", target+"/api/v1/auth/login", "", nil,
		map[string]string{"email": email, "password": Password})
	if err != nil || st != http.StatusOK {
		return session{}, fmt.Errorf("login %s on %s: %d %v %s", email, target, st, err, b)
	}
	var out struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return session{}, err
	}
	return session{Email: email, UserID: out.User.ID, Access: out.AccessToken, Refresh: refreshCookie(cookies)}, nil
}

func refreshCookie(cs []*http.Cookie) string {
	for _, c := range cs {
		if c.Name == "rapport_refresh" {
			return c.Value
		}
	}
	return ""
}

func learnerEmail(n int) string { return fmt.Sprintf("learner-%05d@load.rapport.test", n) }

// attempt is one request as the client saw it.
type attempt struct {
	Op         string
	Target     int
	Start, End time.Time
	Status     int
	Kind       string
	Key        string
	Conns      int   // connections the transport used for it
	WroteUs    int64 // when it was first written in full (Unix µs), 0 if never
}

// send runs one request for a, filling in its status, error kind, connections, write time and
// end, and returns the body.
func send(a *attempt, method, url, token string, hdr map[string]string, body any) []byte {
	var tr sent
	var b []byte
	a.Status, b, _, a.Kind, _ = callTraced(&tr, method, url, token, hdr, body)
	a.End = time.Now()
	a.Conns, a.WroteUs = int(tr.conns.Load()), tr.wrote.Load()
	return b
}

// recorder collects attempts and outcomes from every goroutine.
type recorder struct {
	mu         sync.Mutex
	attempts   []attempt
	acked      [][]string
	registered [][]string
	abandoned  map[string]int
	ready      []readyChange
}

type readyChange struct {
	AtMs   int64  `json:"at_ms"` // Unix milliseconds
	Target int    `json:"target"`
	State  string `json:"state"`
}

func (r *recorder) add(a attempt) {
	r.mu.Lock()
	r.attempts = append(r.attempts, a)
	r.mu.Unlock()
}

func runLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	targetsFlag := fs.String("targets", "", "comma-separated base URLs, used round-robin")
	out := fs.String("out", "", "output directory")
	duration := fs.Duration("duration", 20*time.Second, "how long to run")
	writers := fs.Int("writers", 16, "progress writers")
	reporters := fs.Int("reporters", 0, "team-report readers (as manager-001)")
	registrars := fs.Int("registrars", 0, "registering workers")
	registerN := fs.Int("register-n", 0, "how many accounts to register at most")
	registerPrefix := fs.String("register-prefix", "drill", "e-mail prefix of registered accounts")
	learners := fs.Int("learners", 20, "load learners to write as (learner-00001 …)")
	keyPrefix := fs.String("key-prefix", "drill", "Idempotency-Key prefix (unique per run)")
	retry := fs.Bool("retry", false, "re-send a failed write with the same key until acknowledged")
	watch := fs.Bool("watch-ready", false, "poll /readyz of every target every 100 ms")
	startedFile := fs.String("started-file", "", "file created when the load starts (after the logins)")
	_ = fs.Parse(args)
	targets := strings.Split(*targetsFlag, ",")
	if *targetsFlag == "" || *out == "" {
		return errors.New("load: -targets and -out are required")
	}

	// Sessions and lessons, before the clock starts.
	sessions := make([]session, *learners)
	for i := range sessions {
		s, err := login(targets[i%len(targets)], learnerEmail(i+1))
		if err != nil {
			return err
		}
		sessions[i] = s
	}
	lessons, err := lessonIDs(targets[0], sessions[0].Access)
	if err != nil {
		return err
	}
	var manager session
	var team string
	if *reporters > 0 {
		if manager, err = login(targets[0], "manager-001@load.rapport.test"); err != nil {
			return err
		}
		if team, err = firstTeam(targets[0], manager.Access); err != nil {
			return err
		}
	}

	rec := &recorder{abandoned: map[string]int{}}
	start := time.Now()
	if *startedFile != "" {
		if err := os.WriteFile(*startedFile, []byte(strconv.FormatInt(start.UnixMicro(), 10)), 0o644); err != nil {
			return err
		}
	}
	// The run ends after -duration, or earlier on SIGINT or SIGTERM (the drill script stops it
	// when its timeline is done); requests under way finish either way.
	sctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(sctx, *duration)
	defer cancel()
	running := func() bool { return ctx.Err() == nil }
	var wg sync.WaitGroup
	if *watch {
		for t := range targets {
			wg.Add(1)
			go func() { defer wg.Done(); watchReady(ctx, rec, t, targets[t]) }()
		}
	}
	for w := 0; w < *writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; running(); seq++ {
				s := sessions[(w+seq*(*writers))%len(sessions)]
				lesson := lessons[(w+seq)%len(lessons)]
				key := fmt.Sprintf("%s-w%d-%d", *keyPrefix, w, seq)
				for try := 0; ; try++ {
					t := (w + seq + try) % len(targets)
					a := attempt{Op: "write", Target: t, Start: time.Now(), Key: key}
					send(&a, "PUT", targets[t]+"/api/v1/progress/lessons/"+lesson, s.Access,
						map[string]string{"Idempotency-Key": key}, map[string]any{"status": "started", "seconds": 5})
					rec.add(a)
					if a.Status == http.StatusOK {
						rec.mu.Lock()
						rec.acked = append(rec.acked, []string{s.UserID, key, "5"})
						rec.mu.Unlock()
						break
					}
					if !*retry || !running() {
						rec.mu.Lock()
						rec.abandoned["write"]++
						rec.mu.Unlock()
						if a.Status == 0 {
							time.Sleep(100 * time.Millisecond) // the server is gone: do not spin
						}
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	for r := 0; r < *reporters; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; running(); i++ {
				t := (r + i) % len(targets)
				a := attempt{Op: "report", Target: t, Start: time.Now()}
				send(&a, "GET", targets[t]+"/api/v1/teams/"+team+"/report", manager.Access, nil, nil)
				rec.add(a)
				if a.Status == 0 {
					time.Sleep(100 * time.Millisecond) // the server is gone: do not spin
				}
			}
		}()
	}
	var next atomic.Int64
	for g := 0; g < *registrars; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for running() {
				i := int(next.Add(1))
				if i > *registerN {
					return
				}
				t := i % len(targets)
				email := fmt.Sprintf("%s-%05d@drill.rapport.test", *registerPrefix, i)
				a := attempt{Op: "register", Target: t, Start: time.Now(), Key: email}
				b := send(&a, "POST", targets[t]+"/api/v1/auth/register", "", nil,
					map[string]string{"email": email, "password": Password, "name": fmt.Sprintf("Drill %d", i)})
				rec.add(a)
				if a.Status == http.StatusCreated {
					var out struct {
						User struct {
							ID string `json:"id"`
						} `json:"user"`
					}
					_ = json.Unmarshal(b, &out)
					rec.mu.Lock()
					rec.registered = append(rec.registered, []string{email, strconv.Itoa(t), out.User.ID})
					rec.mu.Unlock()
				} else if a.Status == 0 {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	return rec.write(*out, start, time.Since(start))
}

// watchReady polls target's /readyz every 100 ms until ctx ends and records each change.
func watchReady(ctx context.Context, rec *recorder, t int, target string) {
	last := ""
	for ctx.Err() == nil {
		state := ""
		req, _ := http.NewRequestWithContext(ctx, "GET", target+"/readyz", nil)
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		res, err := client.Do(req.WithContext(rctx))
		if err != nil {
			state = "error:" + kindOf(err)
		} else {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			state = strconv.Itoa(res.StatusCode)
		}
		cancel()
		if ctx.Err() != nil {
			return
		}
		if state != last {
			rec.mu.Lock()
			rec.ready = append(rec.ready, readyChange{AtMs: time.Now().UnixMilli(), Target: t, State: state})
			rec.mu.Unlock()
			last = state
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// lessonIDs lists every published lesson's id through the catalog.
func lessonIDs(target, token string) ([]string, error) {
	st, b, _, _, err := call("GET", target+"/api/v1/modules", token, nil, nil)
	if err != nil || st != http.StatusOK {
		return nil, fmt.Errorf("catalog: %d %v", st, err)
	}
	var cat struct {
		Modules []struct {
			Slug string `json:"slug"`
		} `json:"modules"`
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		return nil, err
	}
	var ids []string
	for _, m := range cat.Modules {
		st, b, _, _, err := call("GET", target+"/api/v1/modules/"+m.Slug, token, nil, nil)
		if err != nil || st != http.StatusOK {
			return nil, fmt.Errorf("module %s: %d %v", m.Slug, st, err)
		}
		var mod struct {
			Lessons []struct {
				ID string `json:"id"`
			} `json:"lessons"`
		}
		if err := json.Unmarshal(b, &mod); err != nil {
			return nil, err
		}
		for _, l := range mod.Lessons {
			ids = append(ids, l.ID)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("no published lessons")
	}
	return ids, nil
}

func firstTeam(target, token string) (string, error) {
	st, b, _, _, err := call("GET", target+"/api/v1/teams", token, nil, nil)
	if err != nil || st != http.StatusOK {
		return "", fmt.Errorf("teams: %d %v", st, err)
	}
	var out struct {
		Teams []struct {
			ID string `json:"id"`
		} `json:"teams"`
	}
	if err := json.Unmarshal(b, &out); err != nil || len(out.Teams) == 0 {
		return "", fmt.Errorf("teams: none (%v)", err)
	}
	return out.Teams[0].ID, nil
}

// opSummary is one operation's totals in summary.json.
type opSummary struct {
	Attempts  int            `json:"attempts"`
	ByStatus  map[string]int `json:"by_status"`
	ByKind    map[string]int `json:"errors_by_kind"`
	Abandoned int            `json:"abandoned"`
	P50ms     float64        `json:"p50_ms"`
	P99ms     float64        `json:"p99_ms"`
}

// write saves the CSV files and summary.json into dir.
func (r *recorder) write(dir string, start time.Time, took time.Duration) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rows := [][]string{{"op", "target", "start_us", "end_us", "status", "kind", "key", "conns", "wrote_us"}}
	ops := map[string]*opSummary{}
	lat := map[string][]time.Duration{}
	for _, a := range r.attempts {
		rows = append(rows, []string{a.Op, strconv.Itoa(a.Target), strconv.FormatInt(a.Start.UnixMicro(), 10),
			strconv.FormatInt(a.End.UnixMicro(), 10), strconv.Itoa(a.Status), a.Kind, a.Key,
			strconv.Itoa(a.Conns), strconv.FormatInt(a.WroteUs, 10)})
		s := ops[a.Op]
		if s == nil {
			s = &opSummary{ByStatus: map[string]int{}, ByKind: map[string]int{}}
			ops[a.Op] = s
		}
		s.Attempts++
		if a.Status != 0 {
			s.ByStatus[strconv.Itoa(a.Status)]++
			lat[a.Op] = append(lat[a.Op], a.End.Sub(a.Start))
		} else {
			s.ByKind[a.Kind]++
		}
	}
	for op, s := range ops {
		s.Abandoned = r.abandoned[op]
		l := lat[op]
		slices.Sort(l)
		if len(l) > 0 {
			s.P50ms = float64(l[len(l)/2].Microseconds()) / 1000
			s.P99ms = float64(l[min(len(l)-1, len(l)*99/100)].Microseconds()) / 1000
		}
	}
	files := map[string][][]string{
		"attempts.csv":   rows,
		"acked.csv":      r.acked,
		"registered.csv": r.registered,
	}
	for name, rs := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w := csv.NewWriter(f)
		_ = w.WriteAll(rs)
		if err := errors.Join(w.Error(), f.Close()); err != nil {
			return err
		}
	}
	sum := map[string]any{"start_unix_ms": start.UnixMilli(), "seconds": took.Seconds(), "ops": ops,
		"acked_writes": len(r.acked), "registered": len(r.registered), "ready": r.ready}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "summary.json"), b, 0o644)
}

// step counts one check of the sessions drill.
type step struct {
	OK       int      `json:"ok"`
	Failed   int      `json:"failed"`
	Examples []string `json:"examples,omitempty"`
}

func runSessions(args []string) error {
	fs := flag.NewFlagSet("sessions", flag.ExitOnError)
	targetsFlag := fs.String("targets", "", "two comma-separated base URLs")
	out := fs.String("out", "", "output directory")
	from := fs.Int("from", 41, "first load learner number")
	n := fs.Int("n", 40, "learners to check")
	workers := fs.Int("workers", 4, "learners checked at once")
	_ = fs.Parse(args)
	targets := strings.Split(*targetsFlag, ",")
	if len(targets) != 2 || *out == "" {
		return errors.New("sessions: -targets A,B and -out are required")
	}
	names := []string{"login", "refresh_other", "token_on_first", "refresh_first", "token_on_other",
		"spent_token_refused", "family_revoked"}
	var mu sync.Mutex
	steps := map[string]*step{}
	for _, s := range names {
		steps[s] = &step{}
	}
	check := func(name string, ok bool, detail string) bool {
		mu.Lock()
		defer mu.Unlock()
		s := steps[name]
		if ok {
			s.OK++
		} else {
			s.Failed++
			if len(s.Examples) < 5 {
				s.Examples = append(s.Examples, detail)
			}
		}
		return ok
	}
	refresh := func(target, token string) (int, string, string) {
		st, b, cookies, _, _ := call("POST", target+"/api/v1/auth/refresh", "",
			map[string]string{"Cookie": "rapport_refresh=" + token}, nil)
		var body struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.Unmarshal(b, &body)
		return st, body.AccessToken, refreshCookie(cookies)
	}
	me := func(target, token string) int {
		st, _, _, _, _ := call("GET", target+"/api/v1/me", token, nil, nil)
		return st
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				a, b := targets[i%2], targets[(i+1)%2]
				email := learnerEmail(i)
				s, err := login(a, email)
				if !check("login", err == nil && s.Refresh != "", fmt.Sprint(email, err)) {
					continue
				}
				st, access2, refresh2 := refresh(b, s.Refresh)
				if !check("refresh_other", st == http.StatusOK && access2 != "" && refresh2 != "", fmt.Sprint(email, " ", st)) {
					continue
				}
				check("token_on_first", me(a, access2) == http.StatusOK, email)
				st, access3, refresh3 := refresh(a, refresh2)
				if !check("refresh_first", st == http.StatusOK && refresh3 != "", fmt.Sprint(email, " ", st)) {
					continue
				}
				check("token_on_other", me(b, access3) == http.StatusOK, email)
				st, _, _ = refresh(b, s.Refresh)
				check("spent_token_refused", st == http.StatusUnauthorized, fmt.Sprint(email, " ", st))
				st, _, _ = refresh(a, refresh3)
				check("family_revoked", st == http.StatusUnauthorized, fmt.Sprint(email, " ", st))
			}
		}()
	}
	for i := *from; i < *from+*n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(map[string]any{"learners": *n, "steps": steps, "order": names}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, "sessions.json"), b, 0o644)
}
