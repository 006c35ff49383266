package teams_test

import (
	"testing"

	"github.com/rapport-hq/rapport/internal/teams"
)

// The cases match frontend/src/assess/format.test.ts: the CSV and the SPA round alike.
func TestScoreChangeRounding(t *testing.T) {
	tests := []struct {
		baseline, latest float64
		want             string
	}{
		{50, 100, "+50"},
		{25, 25, "0"},
		{40.4, 45.6, "+6"},  // 40 → 46: the change adds up with the scores shown
		{45.6, 40.4, "-6"},  // and the same way down
		{62.5, 62.4, "-1"},  // halves round away from zero: 63 and 62
		{10.5, 11.49, "0"},  // 11 and 11
		{0, 0.5, "+1"},      // 0 and 1
		{99.5, 100, "0"},    // 100 and 100
		{37.5, 12.5, "-25"}, // 38 and 13
	}
	for _, tt := range tests {
		if got := teams.FormatChange(teams.ScoreChange(tt.baseline, tt.latest)); got != tt.want {
			t.Errorf("change %v → %v = %q, want %q", tt.baseline, tt.latest, got, tt.want)
		}
	}
	if teams.ScorePoints(-2.5) != -3 || teams.ScorePoints(2.5) != 3 {
		t.Error("ScorePoints does not round halves away from zero")
	}
}
