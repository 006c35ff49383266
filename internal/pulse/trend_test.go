package pulse

import (
	"testing"
	"time"
)

func TestWeekStartIsMondayUTC(t *testing.T) {
	for in, want := range map[string]string{
		"2026-12-06T23:59:00Z":      "2026-11-30", // a Sunday belongs to the week before
		"2026-12-07T00:00:00Z":      "2026-12-07",
		"2026-12-09T12:00:00Z":      "2026-12-07",
		"2026-12-07T01:00:00+02:00": "2026-11-30", // still Sunday in UTC
	} {
		at, _ := time.Parse(time.RFC3339, in)
		if got := WeekStart(at).Format(time.DateOnly); got != want {
			t.Errorf("WeekStart(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestTrendKeepsCountsButHidesAveragesBelowMinimum(t *testing.T) {
	now := time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)
	this, last := WeekStart(now), WeekStart(now).AddDate(0, 0, -7)
	got := Trend([]WeekSum{
		{WeekStart: last, N: 2, Sum: Scores{8, 8, 8}, ErrSum: 2},
		{WeekStart: this, N: 3, Sum: Scores{12, 9, 6}, ErrSum: 4},
	}, now)
	if len(got) != TrendWeeks || !got[0].WeekStart.Equal(TrendSince(now)) || !got[TrendWeeks-1].WeekStart.Equal(this) {
		t.Fatalf("weeks: %d from %v", len(got), got[0].WeekStart)
	}
	if w := got[TrendWeeks-2]; w.Responses != 2 || w.Averages != nil || w.MeanAbsError != nil {
		t.Fatalf("two answers leak averages: %+v", w)
	}
	w := got[TrendWeeks-1]
	if w.Responses != 3 || w.Averages == nil || *w.Averages != (Averages{4, 3, 2}) || *w.MeanAbsError != 1.33 {
		t.Fatalf("three answers: %+v", w)
	}
}
