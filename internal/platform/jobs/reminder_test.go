package jobs

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReminderMailsEachClaimAndReleasesFailures(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	var mailed, released []string
	r := Reminder[string]{
		Claim: func(_ context.Context, at time.Time) ([]string, error) {
			if !at.Equal(now) {
				t.Fatalf("claimed at %v, want %v", at, now)
			}
			return []string{"ada", "bob", "cy"}, nil
		},
		Mail: func(_ context.Context, who string) error {
			if who == "bob" {
				return errors.New("queue down")
			}
			mailed = append(mailed, who)
			return nil
		},
		Release: func(_ context.Context, who string) error {
			released = append(released, who)
			return errors.New("release failed")
		},
		Who: func(who string) string { return who },
	}
	n, err := r.Run(context.Background(), now)
	if n != 2 || !slices.Equal(mailed, []string{"ada", "cy"}) || !slices.Equal(released, []string{"bob"}) {
		t.Fatalf("sent %d, mailed %v, released %v; want 2, [ada cy], [bob]", n, mailed, released)
	}
	if err == nil || !strings.Contains(err.Error(), "reminder for bob: queue down") || !strings.Contains(err.Error(), "release failed") {
		t.Fatalf("err = %v, want both the mail and the release failure", err)
	}
}

func TestReminderStopsWhenTheClaimFails(t *testing.T) {
	boom := errors.New("db down")
	r := Reminder[string]{
		Claim: func(context.Context, time.Time) ([]string, error) { return nil, boom },
		Mail:  func(context.Context, string) error { t.Fatal("mailed without a claim"); return nil },
	}
	if n, err := r.Run(context.Background(), time.Now()); n != 0 || !errors.Is(err, boom) {
		t.Fatalf("got %d, %v; want 0, %v", n, err, boom)
	}
}

func TestReminderWithNothingDue(t *testing.T) {
	r := Reminder[int]{Claim: func(context.Context, time.Time) ([]int, error) { return nil, nil }}
	if n, err := r.Run(context.Background(), time.Now()); n != 0 || err != nil {
		t.Fatalf("got %d, %v; want 0, nil", n, err)
	}
}

func TestEveryAndOncePer(t *testing.T) {
	opts := OncePer(time.Hour)
	if opts.MaxAttempts != 3 || opts.UniqueOpts.ByPeriod != time.Hour {
		t.Fatalf("OncePer = %+v", opts)
	}
	if Every(time.Hour, testArgs{}) == nil {
		t.Fatal("Every returned no job")
	}
}

type testArgs struct{}

func (testArgs) Kind() string { return "test_periodic" }
