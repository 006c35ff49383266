package progress

import "time"

// The weekly rules: a learner's week runs from Monday 00:00 to Monday 00:00 on their own wall
// clock (users.time_zone, as it is now); a week's minutes are the floor of its reading seconds / 60;
// the goal is met when those minutes reach the learner's current goal. The store converts instants
// to the learner's wall clock (local time, local calendar days); everything after that is here.

// Goal is a learner's weekly goal.
type Goal struct {
	Minutes int
	// Set is false until the learner chooses a goal; Minutes is DefaultGoalMinutes until then.
	Set bool
}

// GoalOf is the goal of a learner whose stored goal is stored (nil: never chosen).
func GoalOf(stored *int) Goal {
	if stored == nil {
		return Goal{Minutes: DefaultGoalMinutes}
	}
	return Goal{Minutes: *stored, Set: true}
}

// Met reports whether minutes of reading meet the goal.
func (g Goal) Met(minutes int) bool { return minutes >= g.Minutes }

// Calendar is a learner as the weekly rules see them: their zone, their wall-clock time now and
// their goal.
type Calendar struct {
	TimeZone string
	// LocalNow is the learner's wall-clock time now (the location is meaningless, UTC).
	LocalNow time.Time
	Goal     Goal
}

// DaySeconds is the reading time on one calendar day in the learner's zone.
type DaySeconds struct {
	// Day is the local date at 00:00 UTC.
	Day     time.Time
	Seconds int
}

// WeekStart is the local date (00:00, UTC location) of the Monday that begins the week holding
// the wall-clock time local.
func WeekStart(local time.Time) time.Time {
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	sinceMonday := (int(day.Weekday()) + 6) % 7
	return day.AddDate(0, 0, -sinceMonday)
}

// minutesByWeek sums days into their weeks (keyed by WeekStart) and floors each week to minutes.
// Days after the week that holds now are left out: reading dated later does not count yet.
func minutesByWeek(days []DaySeconds, current time.Time) map[time.Time]int {
	seconds := map[time.Time]int{}
	for _, d := range days {
		if w := WeekStart(d.Day); !w.After(current) {
			seconds[w] += d.Seconds
		}
	}
	minutes := make(map[time.Time]int, len(seconds))
	for w, s := range seconds {
		minutes[w] = s / 60
	}
	return minutes
}

// NewWeek is the learner's current week from their reading per local day: its minutes, the goal
// and the streak. The streak counts consecutive weeks whose minutes meet the current goal, ending
// with this week when it is met, else with last week (a week still under way does not break it).
func NewWeek(c Calendar, days []DaySeconds) Week {
	current := WeekStart(c.LocalNow)
	minutes := minutesByWeek(days, current)
	anchor := current
	if !c.Goal.Met(minutes[current]) {
		anchor = current.AddDate(0, 0, -7)
	}
	streak := 0
	for w := anchor; c.Goal.Met(minutes[w]); w = w.AddDate(0, 0, -7) {
		streak++
	}
	return Week{Start: current.Format(time.DateOnly), TimeZone: c.TimeZone, Minutes: minutes[current],
		GoalMinutes: c.Goal.Minutes, GoalSet: c.Goal.Set, StreakWeeks: streak}
}

// GoalMet reports whether this week's minutes meet the goal.
func (w Week) GoalMet() bool { return Goal{Minutes: w.GoalMinutes}.Met(w.Minutes) }

// ReminderAfter is when in a learner's week the reminder is due: Friday 09:00 on their wall clock.
const ReminderAfter = 4*24*time.Hour + 9*time.Hour

// ReminderCandidate is a learner who wants weekly reminders, as a reminder run sees them.
type ReminderCandidate struct {
	UserID, Email, Name string
	Calendar
	// LastReminded is the week (its Monday, as WeekStart gives it) of the latest reminder, nil if none.
	LastReminded *time.Time
}

// Week is the week the reminder would be for (its Monday).
func (c ReminderCandidate) Week() time.Time { return WeekStart(c.LocalNow) }

// InWindow reports whether a reminder is due by the clock: Friday 09:00 or later in the learner's
// current week, and not sent for this week yet. Whether they met their goal is decided after, from
// their reading (DueFor).
func (c ReminderCandidate) InWindow() bool {
	w := c.Week()
	return !c.LocalNow.Before(w.Add(ReminderAfter)) && (c.LastReminded == nil || !c.LastReminded.Equal(w))
}

// DueFor reports whether the learner, in the window, gets a reminder given their reading per local
// day: only while this week's minutes are below the goal. It returns this week's minutes too.
func (c ReminderCandidate) DueFor(days []DaySeconds) (int, bool) {
	w := NewWeek(c.Calendar, days)
	return w.Minutes, c.InWindow() && !w.GoalMet()
}
