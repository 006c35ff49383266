package app_test

import (
	"testing"

	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/teams"
)

// The manager digest goes out at the learners' reminder moment of the week, so one setting and one
// time of week cover every weekly e-mail; teams cannot import progress, so the two constants are
// checked here, where both are wired.
func TestManagerDigestAtTheReminderMoment(t *testing.T) {
	if teams.DigestAfter != progress.ReminderAfter {
		t.Fatalf("teams.DigestAfter = %v, progress.ReminderAfter = %v; want the same moment of the week",
			teams.DigestAfter, progress.ReminderAfter)
	}
}
