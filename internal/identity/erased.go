package identity

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/token"
)

// Access tokens are stateless JWTs, so an erased account's token would stay valid until it expires
// (token.TTL). Checking the users table on every request would cost a query per request; instead
// each process keeps the small set of accounts erased within the last token lifetime: filled at
// once when this process erases an account, and learnt from the account_deletions audit log by a
// poll of the rows it has not seen yet, so every other process refuses the token within about a
// second. Nothing older than a token's lifetime is kept, as no token issued before it is still valid.

// ErasedPollInterval is how often a process reads new account_deletions rows.
const ErasedPollInterval = time.Second

// erasedSettle is how long a seen id keeps being read again: ids come from a sequence, and a
// transaction that took a lower id may commit after one that took a higher id, so the cursor only
// moves past ids that every erasure in flight has long committed.
const erasedSettle = 30 * time.Second

// errErasedAccount is the verification error of an erased account's token.
var errErasedAccount = errors.New("identity: the account of this token was erased")

// erasedAccounts is the in-process set of recently erased account ids.
type erasedAccounts struct {
	store *Store
	// wall is real time, not the rules' clock: how long to remember an id depends on real
	// tokens' lifetimes, and a test's moved clock must not make the set forget early.
	wall func() time.Time

	mu  sync.RWMutex
	ids map[string]time.Time // id → when this process learnt it
	// cursor is the highest audit id known settled; marks are (seen at, highest id) per poll.
	cursor int64
	marks  []erasedMark
}

type erasedMark struct {
	at    time.Time
	maxID int64
}

func newErasedAccounts(st *Store) *erasedAccounts {
	return &erasedAccounts{store: st, wall: time.Now, ids: map[string]time.Time{}}
}

// has reports whether id was erased within the last token lifetime (as far as this process knows).
func (e *erasedAccounts) has(id string) bool {
	e.mu.RLock()
	_, ok := e.ids[id]
	e.mu.RUnlock()
	return ok
}

// add remembers id from now on.
func (e *erasedAccounts) add(id string) {
	e.mu.Lock()
	if _, ok := e.ids[id]; !ok {
		e.ids[id] = e.wall()
	}
	e.mu.Unlock()
}

// poll reads the audit rows after the settled cursor that are recent enough to matter (erased
// within a token's lifetime), remembers their ids, and forgets ids older than a token's lifetime.
// Each poll reads only the rows of the last erasedSettle or so: the deleted_at index keeps the
// first poll of a process cheap, the primary key every later one.
func (e *erasedAccounts) poll(ctx context.Context) error {
	now := e.wall()
	e.mu.RLock()
	cursor := e.cursor
	e.mu.RUnlock()
	rows, err := e.store.FindDeletionsAfter(ctx, cursor, now.Add(-token.TTL-erasedSettle))
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	maxID := cursor
	for _, r := range rows {
		if _, ok := e.ids[r.SubjectID]; !ok {
			e.ids[r.SubjectID] = now
		}
		maxID = max(maxID, r.ID)
	}
	e.marks = append(e.marks, erasedMark{at: now, maxID: maxID})
	for len(e.marks) > 0 && now.Sub(e.marks[0].at) >= erasedSettle {
		e.cursor = max(e.cursor, e.marks[0].maxID)
		e.marks = e.marks[1:]
	}
	for id, at := range e.ids {
		if now.Sub(at) > token.TTL+erasedSettle {
			delete(e.ids, id)
		}
	}
	return nil
}

// watch polls every interval until ctx ends, logging failures (the set then stays as it was, and
// the next poll catches up from the same cursor).
func (s *Service) watchErased(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.erased.poll(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("reading erased accounts failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// WatchErasures keeps this process's set of erased accounts current (see erasedAccounts) until
// ctx ends; it returns at once, polling in the background.
func (s *Service) WatchErasures(ctx context.Context) {
	go s.watchErased(ctx, ErasedPollInterval)
}

// Sessions verifies access tokens for the auth middleware: a valid signature and lifetime, and
// an account not erased since the token was issued.
func (s *Service) Sessions() *SessionVerifier {
	return &SessionVerifier{keys: s.keys, erased: s.erased}
}

// SessionVerifier is the access-token check of every authenticated route (web.TokenVerifier).
type SessionVerifier struct {
	keys   *token.Keys
	erased *erasedAccounts
}

// Verify returns the token's user id; an erased account's token is refused like an expired one.
func (v *SessionVerifier) Verify(raw string) (string, error) {
	id, err := v.keys.Verify(raw)
	if err != nil {
		return "", err
	}
	if v.erased.has(id) {
		return "", errErasedAccount
	}
	return id, nil
}
