package progress_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

func TestDashboardModulesAndResume(t *testing.T) {
	a := apptest.New(t, nil)
	m1, m2 := mustModule(t, a, 3, true), mustModule(t, a, 2, true)
	l := mustLearner(t, a, "")
	step := func(lesson, status string) {
		t.Helper()
		a.Advance(time.Second) // distinct activity times make "most recent" unambiguous
		mustPut(t, a, l.Token, lesson, call{Status: status})
	}
	wantResume := func(mod module, lessonIdx int) {
		t.Helper()
		d := mustDashboard(t, a, l.Token)
		if d.Resume == nil || d.Resume.ModuleSlug != mod.Slug || d.Resume.LessonID != mod.Lessons[lessonIdx] ||
			d.Resume.LessonSlug != "l"+string(rune('1'+lessonIdx)) || d.Resume.ModuleTitle != mod.Title {
			t.Errorf("resume = %+v, want %s lesson %d", d.Resume, mod.Slug, lessonIdx+1)
		}
	}

	d := mustDashboard(t, a, l.Token)
	if len(d.Modules) != 0 || d.Resume != nil || d.Week.GoalMinutes != 15 || d.Week.GoalSet || d.Week.TimeZone != "UTC" || d.Week.StreakWeeks != 0 {
		t.Fatalf("new learner's dashboard = %+v", d)
	}

	step(m1.Lessons[0], "started")
	wantResume(m1, 0)
	if d := mustDashboard(t, a, l.Token); len(d.Modules) != 1 || d.Modules[0].State != "in_progress" || d.Modules[0].CompletedLessons != 0 {
		t.Errorf("a module with only a started lesson = %+v, want in_progress", d.Modules)
	}
	step(m1.Lessons[0], "completed")
	wantResume(m1, 1) // the lesson after the one just finished
	step(m1.Lessons[2], "completed")
	wantResume(m1, 1) // nothing unfinished after l3: the first unfinished lesson

	d = mustDashboard(t, a, l.Token)
	if len(d.Modules) != 1 {
		t.Fatalf("modules = %+v", d.Modules)
	}
	got := d.Modules[0]
	if got.Slug != m1.Slug || got.State != "in_progress" || got.Title != m1.Title || got.CompletedLessons != 2 || got.LessonCount != 3 || got.Percent != 66 ||
		got.LastLesson == nil || got.LastLesson.ID != m1.Lessons[2] || got.LastLesson.Status != "completed" ||
		got.NextLesson == nil || got.NextLesson.ID != m1.Lessons[1] {
		t.Errorf("module = %+v (last %+v, next %+v)", got, got.LastLesson, got.NextLesson)
	}

	step(m2.Lessons[0], "started")
	wantResume(m2, 0) // the most recently active module wins
	if d := mustDashboard(t, a, l.Token); len(d.Modules) != 2 || d.Modules[0].Slug != m2.Slug || d.Modules[1].Slug != m1.Slug {
		t.Errorf("modules are not newest first: %+v", d.Modules)
	}
	step(m2.Lessons[0], "completed")
	step(m2.Lessons[1], "completed")
	wantResume(m1, 1) // m2 is finished: back to the unfinished module
	d = mustDashboard(t, a, l.Token)
	if d.Modules[0].Percent != 100 || d.Modules[0].State != "completed" || d.Modules[0].NextLesson != nil {
		t.Errorf("finished module = %+v", d.Modules[0])
	}

	t.Run("catalog shows the learner's progress", func(t *testing.T) {
		var list struct {
			Modules []struct {
				Slug     string `json:"slug"`
				Progress *struct {
					CompletedLessons int `json:"completed_lessons"`
					Percent          int `json:"percent"`
				} `json:"progress"`
			} `json:"modules"`
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules", Token: l.Token}).Want(http.StatusOK).Decode(&list)
		found := false
		for _, m := range list.Modules {
			if m.Slug == m1.Slug {
				found = true
				if m.Progress == nil || m.Progress.CompletedLessons != 2 || m.Progress.Percent != 66 {
					t.Errorf("catalog progress = %+v", m.Progress)
				}
			}
		}
		if !found {
			t.Fatalf("catalog lacks %s", m1.Slug)
		}
		var detail struct {
			Lessons []struct {
				ID        string `json:"id"`
				Completed *bool  `json:"completed"`
			} `json:"lessons"`
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + m1.Slug, Token: l.Token}).Want(http.StatusOK).Decode(&detail)
		want := []bool{true, false, true}
		for i, ls := range detail.Lessons {
			if ls.Completed == nil || *ls.Completed != want[i] {
				t.Errorf("lesson %d completed = %v, want %v", i+1, ls.Completed, want[i])
			}
		}
	})
}

// mondayAfter returns the calendar date of the first Monday after t, as year, month and day.
func mondayAfter(t time.Time) (int, time.Month, int) {
	d := t.AddDate(0, 0, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Date()
}

func TestWeekBoundariesAcrossTimeZones(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 1, true)
	akl, lax := mustLearner(t, a, "Pacific/Auckland"), mustLearner(t, a, "America/Los_Angeles")
	aklZone, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Fatal(err)
	}
	laxZone, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	// A Monday a year ahead (the clock only moves forward). Auckland's Monday 00:00 comes first
	// (it is Sunday in Los Angeles then); Los Angeles's comes about 20 hours later.
	y, mo, day := mondayAfter(time.Now().AddDate(1, 0, 0))
	monday := time.Date(y, mo, day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	before := time.Date(y, mo, day-7, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	aklStart, laxStart := time.Date(y, mo, day, 0, 0, 0, 0, aklZone), time.Date(y, mo, day, 0, 0, 0, 0, laxZone)
	week := func(l learner) (string, int) {
		d := mustDashboard(t, a, l.Token)
		return d.Week.WeekStart, d.Week.Minutes
	}
	spend := func(l learner, secs int) {
		mustPut(t, a, l.Token, m.Lessons[0], call{Status: "started", Seconds: secs, Key: key()})
	}

	setClock(t, a, aklStart.Add(-30*time.Minute), &akl, &lax) // Sunday 23:30 in Auckland
	spend(akl, 600)
	spend(lax, 600)
	if ws, mins := week(akl); ws != before || mins != 10 {
		t.Errorf("Auckland, Sunday night: week %s minutes %d, want %s and 10", ws, mins, before)
	}

	setClock(t, a, aklStart.Add(30*time.Minute), &akl, &lax) // Monday 00:30 in Auckland, Sunday in Los Angeles
	spend(akl, 300)
	spend(lax, 300)
	if ws, mins := week(akl); ws != monday || mins != 5 {
		t.Errorf("Auckland, Monday: week %s minutes %d, want %s and 5", ws, mins, monday)
	}
	if ws, mins := week(lax); ws != before || mins != 15 {
		t.Errorf("Los Angeles, Sunday: week %s minutes %d, want %s and 15", ws, mins, before)
	}

	setClock(t, a, laxStart.Add(-time.Minute), &akl, &lax) // Sunday 23:59 in Los Angeles
	if ws, mins := week(lax); ws != before || mins != 15 {
		t.Errorf("Los Angeles, a minute before Monday: week %s minutes %d, want %s and 15", ws, mins, before)
	}
	setClock(t, a, laxStart.Add(time.Minute), &akl, &lax) // Monday 00:01 in Los Angeles
	if ws, mins := week(lax); ws != monday || mins != 0 {
		t.Errorf("Los Angeles, Monday: week %s minutes %d, want %s and 0", ws, mins, monday)
	}
	spend(lax, 120)
	if ws, mins := week(lax); ws != monday || mins != 2 {
		t.Errorf("Los Angeles, after reading: week %s minutes %d, want %s and 2", ws, mins, monday)
	}
	if ws, mins := week(akl); ws != monday || mins != 5 {
		t.Errorf("Auckland unaffected: week %s minutes %d, want %s and 5", ws, mins, monday)
	}
}

func TestStreakWeeks(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 1, true)
	l := mustLearner(t, a, "")
	y, mo, day := mondayAfter(time.Now().AddDate(1, 6, 0))
	start := time.Date(y, mo, day, 12, 0, 0, 0, time.UTC)
	minutesPerWeek := []int{20, 15, 5, 15} // weeks 0..3; week 2 misses the goal of 15
	for w, mins := range minutesPerWeek {
		setClock(t, a, start.AddDate(0, 0, 7*w), &l)
		mustPut(t, a, l.Token, m.Lessons[0], call{Status: "started", Seconds: mins * 60, Key: key()})
	}
	setClock(t, a, start.AddDate(0, 0, 7*4), &l) // week 4, nothing read yet
	check := func(name string, minutes, goal, streak int, met bool) {
		t.Helper()
		d := mustDashboard(t, a, l.Token)
		if d.Week.Minutes != minutes || d.Week.GoalMinutes != goal || d.Week.StreakWeeks != streak || d.Week.GoalMet != met {
			t.Errorf("%s: week = %+v, want minutes %d goal %d streak %d met %v", name, d.Week, minutes, goal, streak, met)
		}
	}
	check("current week not met yet: last week's streak", 0, 15, 1, false)
	mustPut(t, a, l.Token, m.Lessons[0], call{Status: "started", Seconds: 899, Key: key()})
	check("minutes are floored", 14, 15, 1, false)
	mustPut(t, a, l.Token, m.Lessons[0], call{Status: "started", Seconds: 1, Key: key()})
	check("current week met", 15, 15, 2, true)
	a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/progress/goal", Token: l.Token, Body: map[string]any{"goal_minutes": 20}}).Want(http.StatusOK)
	check("higher goal", 15, 20, 0, false)
	a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/progress/goal", Token: l.Token, Body: map[string]any{"goal_minutes": 5}}).Want(http.StatusOK)
	check("lower goal", 15, 5, 5, true)
	setClock(t, a, start.AddDate(0, 0, 7*6), &l)
	check("a week without reading ends the streak", 0, 5, 0, false)
}

func TestGoal(t *testing.T) {
	a := apptest.New(t, nil)
	l := mustLearner(t, a, "")
	goal := func(token string, body any) *apptest.Response {
		return a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/progress/goal", Token: token, Body: body})
	}
	if got := goal(l.Token, map[string]any{"goal_minutes": 30}).Want(http.StatusOK).JSON(); got["goal_minutes"] != float64(30) {
		t.Errorf("goal = %v", got)
	}
	if d := mustDashboard(t, a, l.Token); d.Week.GoalMinutes != 30 || !d.Week.GoalSet {
		t.Errorf("dashboard goal = %d, want 30", d.Week.GoalMinutes)
	}
	goal(l.Token, map[string]any{"goal_minutes": 5}).Want(http.StatusOK)
	goal(l.Token, map[string]any{"goal_minutes": 600}).Want(http.StatusOK)
	for name, body := range map[string]any{
		"too small": map[string]any{"goal_minutes": 4},
		"too large": map[string]any{"goal_minutes": 601},
		"text":      map[string]any{"goal_minutes": "x"},
		"missing":   map[string]any{},
	} {
		t.Run(name, func(t *testing.T) { wantFields(t, goal(l.Token, body), "goal_minutes") })
	}
	goal("", map[string]any{"goal_minutes": 30}).Want(http.StatusUnauthorized)
	if d := mustDashboard(t, a, l.Token); d.Week.GoalMinutes != 600 {
		t.Errorf("a refused goal changed the stored one: %d", d.Week.GoalMinutes)
	}
}
