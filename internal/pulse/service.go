package pulse

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// Deps are what the pulse service needs from the process; every one is required.
type Deps struct {
	DB *db.DB
	// Jobs inserts the invitation mail in the transaction that creates the pulse.
	Jobs *jobs.Inserter
	Now  func() time.Time
	Log  *slog.Logger
	// PublicURL is the site's address, for the links the buyer opens.
	PublicURL string
}

// Service implements the pulse rules.
type Service struct {
	Deps
	store *Store
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{Deps: d, store: NewStore(d.DB, d.Jobs)}
}

var errNoPulse = apperr.New(apperr.NotFound, "We couldn’t find that pulse. It may have been deleted.")

// Created is a new pulse with the link to send; the token exists only in this link.
type Created struct {
	Pulse
	Link string
}

// Link is the buyer's page for token.
func (s *Service) Link(token string) string { return s.PublicURL + "/p/" + token }

// Create records a rep's pulse with their prediction. With a buyer address the invitation mail
// is queued in the same transaction (the address goes only into the job). At most DailyLimit a
// day per rep, checked under a per-rep lock so concurrent requests cannot pass it together.
func (s *Service) Create(ctx context.Context, userID string, in CreateInput) (Created, error) {
	in, err := in.Normalize()
	if err != nil {
		return Created{}, err
	}
	repName, err := s.store.FindRepName(ctx, userID)
	if err != nil {
		return Created{}, err
	}
	token, hash, err := NewToken()
	if err != nil {
		return Created{}, err
	}
	now := s.Now().UTC()
	p := Pulse{UserID: userID, RepName: repName, Meeting: in.Meeting, Prediction: in.Prediction,
		CreatedAt: now, ExpiresAt: now.Add(LinkTTL)}
	link := s.Link(token)
	err = s.store.Tx(ctx, func(st *Store) error {
		if err := st.LockRep(ctx, userID); err != nil {
			return err
		}
		n, oldest, err := st.CountCreatedSince(ctx, userID, now.Add(-24*time.Hour))
		if err != nil {
			return err
		}
		if n >= DailyLimit {
			return DailyLimitError(oldest, now)
		}
		if p, err = st.CreatePulse(ctx, p, hash); err != nil {
			return err
		}
		if in.BuyerEmail == nil {
			return nil
		}
		m, err := mail.Render(*in.BuyerEmail, "pulse_invite", map[string]any{
			"RepName": repName, "Meeting": p.Meeting, "Link": link,
			"Expires": p.ExpiresAt.Format("Monday 2 January 2006"),
		})
		if err != nil {
			return err
		}
		return st.EnqueueInvite(ctx, InviteArgs{PulseID: p.ID, Message: m})
	})
	if err != nil {
		return Created{}, err
	}
	return Created{Pulse: p, Link: link}, nil
}

// Mine lists the rep's pulses, newest first, with the summary of their answers.
func (s *Service) Mine(ctx context.Context, userID string) ([]Pulse, Summary, error) {
	ps, err := s.store.FindMine(ctx, userID)
	if err != nil {
		return nil, Summary{}, err
	}
	return ps, Summarize(ps), nil
}

// Delete removes the rep's pulse and its answer; NotFound for anyone else's.
func (s *Service) Delete(ctx context.Context, userID, id string) error {
	return s.store.Tx(ctx, func(st *Store) error { return st.DeleteMine(ctx, id, userID) })
}

// Open is what the buyer's page shows: the pulse while it can be answered, else the error that
// says why not (ErrUnknown, ErrAnswered, ErrExpired).
func (s *Service) Open(ctx context.Context, token string) (Pulse, error) {
	if !WellFormedToken(token) {
		return Pulse{}, ErrUnknown
	}
	p, err := s.store.FindByToken(ctx, HashToken(token), false)
	if err != nil {
		return Pulse{}, err
	}
	return p, p.CheckAnswerable(s.Now())
}

// Answer records the buyer's answer, once: the pulse row is locked, so two answers at once
// cannot both land. The pulse's state is checked before the values, so a stale page learns it
// was answered or expired rather than that a value is missing.
func (s *Service) Answer(ctx context.Context, token string, in AnswerInput) error {
	if !WellFormedToken(token) {
		return ErrUnknown
	}
	return s.store.Tx(ctx, func(st *Store) error {
		p, err := st.FindByToken(ctx, HashToken(token), true)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		if err := p.CheckAnswerable(now); err != nil {
			return err
		}
		in, err := in.Normalize()
		if err != nil {
			return err
		}
		return st.SaveResponse(ctx, p.ID, Response{Scores: in.Scores, Comment: in.Comment, AnsweredAt: now})
	})
}

// AnsweredPulseOf reports whether pulse id belongs to userID and its buyer answered (teams asks,
// for recognition evidence).
func (s *Service) AnsweredPulseOf(ctx context.Context, id, userID string) (bool, error) {
	return s.store.AnsweredPulseOf(ctx, id, userID)
}

// TeamAggregates answers for every rep in userIDs at once what a manager may see of their
// pulses (see ForManager).
func (s *Service) TeamAggregates(ctx context.Context, userIDs []string) (map[string]TeamAggregate, error) {
	sums, err := s.store.AnswerSums(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]TeamAggregate, len(userIDs))
	for _, id := range userIDs {
		out[id] = ForManager(sums[id].N, sums[id].Sum)
	}
	return out, nil
}

// TeamTrend is the weekly trend of the answers to userIDs' pulses over the last TrendWeeks
// weeks, for managers: counts every week, averages only where MinResponses answers allow.
func (s *Service) TeamTrend(ctx context.Context, userIDs []string) ([]TrendWeek, error) {
	now := s.Now()
	sums, err := s.store.WeeklySums(ctx, userIDs, TrendSince(now))
	if err != nil {
		return nil, err
	}
	return Trend(sums, now), nil
}
