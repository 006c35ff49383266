package progress

import (
	"testing"
	"time"
)

// The tests in this file need no database: they check the weekly rules, the reminder window and
// the certificate rule on progress's domain types.

// day is a local calendar date as the store returns it (00:00, UTC location).
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestWeekStart(t *testing.T) {
	monday := day(2026, 11, 23)
	for _, tc := range []struct {
		name  string
		local time.Time
		want  time.Time
	}{
		{"Monday 00:00", monday, monday},
		{"Monday noon", monday.Add(12 * time.Hour), monday},
		{"Friday 09:00", monday.Add(4*24*time.Hour + 9*time.Hour), monday},
		{"Sunday 23:59:59", monday.Add(7*24*time.Hour - time.Second), monday},
		{"next Monday 00:00", monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 7)},
		{"Sunday before", monday.Add(-time.Second), monday.AddDate(0, 0, -7)},
		{"across a year", day(2027, 1, 1), day(2026, 12, 28)},
		{"a wall clock in another location counts by its own date", time.Date(2026, 11, 29, 23, 30, 0, 0, time.FixedZone("X", 14*3600)), monday},
	} {
		if got := WeekStart(tc.local); !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("%s: WeekStart(%s) = %s, want %s", tc.name, tc.local, got, tc.want)
		}
	}
}

func TestGoalOf(t *testing.T) {
	ten := 10
	for _, tc := range []struct {
		name    string
		stored  *int
		minutes int
		want    Goal
		met     bool
	}{
		{"never chosen: the default", nil, 14, Goal{Minutes: DefaultGoalMinutes}, false},
		{"default reached", nil, 15, Goal{Minutes: DefaultGoalMinutes}, true},
		{"chosen, below", &ten, 9, Goal{Minutes: 10, Set: true}, false},
		{"chosen, exactly", &ten, 10, Goal{Minutes: 10, Set: true}, true},
		{"chosen, above", &ten, 600, Goal{Minutes: 10, Set: true}, true},
	} {
		g := GoalOf(tc.stored)
		if g != tc.want || g.Met(tc.minutes) != tc.met {
			t.Errorf("%s: GoalOf = %+v, Met(%d) = %v; want %+v, %v", tc.name, g, tc.minutes, g.Met(tc.minutes), tc.want, tc.met)
		}
	}
}

func TestNewWeek(t *testing.T) {
	monday := day(2026, 11, 23) // this week
	now := monday.Add(2*24*time.Hour + 10*time.Hour)
	cal := func(goal int) Calendar {
		return Calendar{TimeZone: "Europe/Berlin", LocalNow: now, Goal: Goal{Minutes: goal, Set: goal != DefaultGoalMinutes}}
	}
	// weeksAgo(n, minutes) is reading on the Wednesday n weeks back, split over two days.
	weeksAgo := func(n, minutes int) []DaySeconds {
		d := monday.AddDate(0, 0, 2-7*n)
		return []DaySeconds{{Day: d, Seconds: minutes * 30}, {Day: d.AddDate(0, 0, 1), Seconds: minutes * 30}}
	}
	join := func(parts ...[]DaySeconds) []DaySeconds {
		var out []DaySeconds
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		cal     Calendar
		days    []DaySeconds
		minutes int
		streak  int
		met     bool
	}{
		{"no reading", cal(15), nil, 0, 0, false},
		{"this week met", cal(15), weeksAgo(0, 15), 15, 1, true},
		{"this week under way: last week's streak stands", cal(15), join(weeksAgo(0, 5), weeksAgo(1, 20), weeksAgo(2, 15)), 5, 2, false},
		{"this week met, three in a row", cal(15), join(weeksAgo(0, 30), weeksAgo(1, 15), weeksAgo(2, 16)), 30, 3, true},
		{"a gap ends the streak", cal(15), join(weeksAgo(0, 30), weeksAgo(2, 30), weeksAgo(3, 30)), 30, 1, true},
		{"last week missed: no streak", cal(15), join(weeksAgo(0, 1), weeksAgo(2, 30)), 1, 0, false},
		{"the current goal judges past weeks", cal(20), join(weeksAgo(0, 20), weeksAgo(1, 19)), 20, 1, true},
		{"minutes are floored per week, not per day", cal(15), []DaySeconds{{Day: monday, Seconds: 450 + 29}, {Day: monday.AddDate(0, 0, 1), Seconds: 450 + 31}}, 16, 1, true},
		{"59 seconds are no minute", cal(5), []DaySeconds{{Day: monday, Seconds: 5*60 - 1}}, 4, 0, false},
		{"Sunday counts to its week, next Monday to the next", cal(15), []DaySeconds{{Day: monday.AddDate(0, 0, -1), Seconds: 900}, {Day: monday, Seconds: 60}}, 1, 1, false},
		{"reading dated after this week is left out", cal(15), join(weeksAgo(0, 15), weeksAgo(-1, 600)), 15, 1, true},
	} {
		w := NewWeek(tc.cal, tc.days)
		if w.Minutes != tc.minutes || w.StreakWeeks != tc.streak || w.GoalMet() != tc.met || w.Start != "2026-11-23" ||
			w.TimeZone != "Europe/Berlin" || w.GoalMinutes != tc.cal.Goal.Minutes || w.GoalSet != tc.cal.Goal.Set {
			t.Errorf("%s: NewWeek = %+v (met %v); want %d minutes, streak %d, met %v", tc.name, w, w.GoalMet(), tc.minutes, tc.streak, tc.met)
		}
	}
}

func TestReminderCandidate(t *testing.T) {
	monday := day(2026, 11, 23)
	friday := func(h, m int) time.Time {
		return monday.Add(4*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	lastWeek, thisWeek := monday.AddDate(0, 0, -7), monday
	read := func(minutes int) []DaySeconds {
		return []DaySeconds{{Day: monday.AddDate(0, 0, 1), Seconds: minutes * 60}}
	}
	for _, tc := range []struct {
		name     string
		localNow time.Time
		last     *time.Time
		reading  []DaySeconds
		window   bool
		due      bool
		minutes  int
	}{
		{"Friday 08:59", friday(8, 59), nil, read(4), false, false, 4},
		{"Friday 09:00, below the goal", friday(9, 0), nil, read(4), true, true, 4},
		{"Friday 09:00, goal met", friday(9, 0), nil, read(15), true, false, 15},
		{"Sunday 23:59, below", monday.Add(7*24*time.Hour - time.Minute), nil, read(0), true, true, 0},
		{"Monday: a new week, before its Friday", monday.AddDate(0, 0, 7), nil, nil, false, false, 0},
		{"reminded last week", friday(10, 0), &lastWeek, read(4), true, true, 4},
		{"reminded this week", friday(10, 0), &thisWeek, read(4), false, false, 4},
		{"last week's reading does not count", friday(10, 0), nil, []DaySeconds{{Day: monday.AddDate(0, 0, -1), Seconds: 3600}}, true, true, 0},
	} {
		c := ReminderCandidate{UserID: "u", Calendar: Calendar{LocalNow: tc.localNow, Goal: Goal{Minutes: 15}}, LastReminded: tc.last}
		minutes, due := c.DueFor(tc.reading)
		if c.InWindow() != tc.window || due != tc.due || minutes != tc.minutes || !c.Week().Equal(WeekStart(tc.localNow)) {
			t.Errorf("%s: InWindow = %v, DueFor = %d, %v; want %v, %d, %v", tc.name, c.InWindow(), minutes, due, tc.window, tc.minutes, tc.due)
		}
	}
}

func TestModuleCompletionEarnsCertificate(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    ModuleCompletion
		want bool
	}{
		{"last lesson completed", ModuleCompletion{Version: 1, LessonCount: 3, Completed: 3}, true},
		{"one lesson left", ModuleCompletion{Version: 1, LessonCount: 3, Completed: 2}, false},
		{"already holds one", ModuleCompletion{Version: 1, LessonCount: 3, Completed: 3, CertificateCode: "ABCDEFGHJK"}, false},
		{"a new version added a lesson; the old certificate stays", ModuleCompletion{Version: 2, LessonCount: 4, Completed: 3, CertificateCode: "ABCDEFGHJK"}, false},
		{"a version without lessons", ModuleCompletion{Version: 1}, false},
	} {
		if got := tc.c.EarnsCertificate(); got != tc.want {
			t.Errorf("%s: EarnsCertificate = %v, want %v", tc.name, got, tc.want)
		}
		// The dashboard calls a module finished by the same rule.
		if st := (ModuleStat{CompletedLessons: tc.c.Completed, LessonCount: tc.c.LessonCount}).State(); (st == ModuleCompleted) != moduleDone(tc.c.Completed, tc.c.LessonCount) {
			t.Errorf("%s: dashboard state %q disagrees with the certificate rule", tc.name, st)
		}
	}
}
