package assess

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"
)

// pseudonymSetting names the stored key that turns user ids into pseudonyms. It is made once per
// database, so a learner keeps their pseudonym across exports and processes.
const pseudonymSetting = "assess_pseudonym_key"

// ScoredAttempt is one submitted attempt as responses.csv exports it: each answered item's
// scored value (keyed 1-5 for Likert items, 0-100 for SJT and choice items), keyed by item id.
type ScoredAttempt struct {
	Respondent  string
	Kind        string
	SubmittedAt time.Time
	Values      map[string]float64
}

// ScoredResponses lists every submitted attempt of an instrument with its scored answers, oldest
// first, scored against the current version's items (answers to items it no longer has, or to
// items whose options changed, are left out). Respondents are pseudonyms: an HMAC of the user id
// with a key kept in the database, never an e-mail or an id.
func (s *Service) ScoredResponses(ctx context.Context, slug string) (*Instrument, []ScoredAttempt, error) {
	cur, err := s.store.FindCurrent(ctx, slug)
	if err != nil {
		return nil, nil, notFound(err, "We couldn’t find that assessment. Choose one from the Assessments page.")
	}
	def, err := s.definition(ctx, cur.VersionID)
	if err != nil {
		return nil, nil, err
	}
	key, err := s.pseudonymKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.store.FindSubmittedAnswers(ctx, cur.InstrumentID)
	if err != nil {
		return nil, nil, err
	}
	var out []ScoredAttempt
	byAttempt := map[string]int{}
	for _, r := range rows {
		i, ok := byAttempt[r.AttemptID]
		if !ok {
			i = len(out)
			byAttempt[r.AttemptID] = i
			out = append(out, ScoredAttempt{Respondent: pseudonym(key, r.UserID), Kind: r.Kind,
				SubmittedAt: r.SubmittedAt.UTC(), Values: map[string]float64{}})
		}
		it, ok := def.Item(r.ItemID)
		if !ok {
			continue
		}
		if a, err := ParseAnswer(it, r.Value); err == nil {
			out[i].Values[it.ID] = itemValue(it, a)
		}
	}
	return def, out, nil
}

// pseudonymKey returns the database's pseudonym key, making it on first use.
func (s *Service) pseudonymKey(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	v, err := s.store.Setting(ctx, pseudonymSetting, base64.StdEncoding.EncodeToString(fresh))
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("stored pseudonym key is malformed: %w", err)
	}
	return key, nil
}

// pseudonym is a stable, non-reversible name for a user id: "r-" and 16 hex digits of its HMAC.
func pseudonym(key []byte, userID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(userID))
	return "r-" + hex.EncodeToString(m.Sum(nil))[:16]
}

// WriteResponsesCSV writes responses.csv: respondent, kind, submitted_at, then one column per
// Likert item and per SJT or choice item of the instrument in its item order, headed by the item
// id. Values are written in full precision; an item the attempt has no scored answer for is
// empty.
func WriteResponsesCSV(w io.Writer, def *Instrument, attempts []ScoredAttempt) error {
	cw := csv.NewWriter(w)
	head := []string{"respondent", "kind", "submitted_at"}
	for _, it := range def.Items {
		head = append(head, it.ID)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, a := range attempts {
		row := []string{a.Respondent, a.Kind, a.SubmittedAt.Format(time.RFC3339)}
		for _, it := range def.Items {
			v, ok := a.Values[it.ID]
			if !ok {
				row = append(row, "")
				continue
			}
			row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
