package review

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func TestAnswerLeitnerRule(t *testing.T) {
	card := func(box int, due time.Time) Card {
		return Card{CheckID: "c", Box: box, DueAt: due, AnsweredAt: due.Add(-day)}
	}
	tests := []struct {
		name      string
		card      Card
		correct   bool
		at        time.Time
		box       int
		due       time.Time
		scheduled bool
	}{
		{"first answer wrong: box 1, due the next day", Card{CheckID: "c"}, false, t0, 1, t0.Add(day), true},
		{"first answer right: box 2, due after 3 days", Card{CheckID: "c"}, true, t0, 2, t0.Add(3 * day), true},
		{"due in box 1, right: box 2 after 3 days", card(1, t0), true, t0, 2, t0.Add(3 * day), true},
		{"due in box 2, right: box 3 after 7 days", card(2, t0), true, t0.Add(time.Hour), 3, t0.Add(time.Hour + 7*day), true},
		{"due in box 3, right: box 4 after 16 days", card(3, t0), true, t0, 4, t0.Add(16 * day), true},
		{"due in box 4, right: box 5 after 35 days", card(4, t0), true, t0, 5, t0.Add(35 * day), true},
		{"due in box 5, right: stays in box 5", card(5, t0), true, t0, 5, t0.Add(35 * day), true},
		{"due in box 4, wrong: back to box 1", card(4, t0), false, t0, 1, t0.Add(day), true},
		{"due in box 5, wrong: back to box 1", card(5, t0), false, t0.Add(2 * day), 1, t0.Add(3 * day), true},
		{"not due, right: schedule unchanged", card(1, t0.Add(day)), true, t0, 1, t0.Add(day), false},
		{"not due, right again and again: no gaming", card(2, t0.Add(3*day)), true, t0.Add(2 * day), 2, t0.Add(3 * day), false},
		{"not due, wrong: back to box 1", card(3, t0.Add(5*day)), false, t0, 1, t0.Add(day), true},
		{"due exactly now counts as due", card(2, t0), true, t0, 3, t0.Add(7 * day), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, scheduled := tt.card.Answer(tt.correct, tt.at)
			if got.Box != tt.box || !got.DueAt.Equal(tt.due) || scheduled != tt.scheduled || !got.AnsweredAt.Equal(tt.at) {
				t.Errorf("Answer = box %d due %v scheduled %v answered %v; want box %d due %v scheduled %v",
					got.Box, got.DueAt, scheduled, got.AnsweredAt, tt.box, tt.due, tt.scheduled)
			}
		})
	}
}

func TestQueue(t *testing.T) {
	all := func(string) bool { return true }
	c := func(id string, box int, due time.Time) Card { return Card{CheckID: id, Box: box, DueAt: due} }
	t.Run("due cards oldest first, removed checks and later cards left out", func(t *testing.T) {
		cards := []Card{c("b", 1, t0.Add(-time.Hour)), c("a", 2, t0.Add(-day)), c("gone", 1, t0.Add(-2*day)),
			c("later", 3, t0.Add(2*day)), c("soon", 1, t0.Add(time.Hour)), c("now", 1, t0)}
		q := NewQueue(cards, func(id string) bool { return id != "gone" }, t0)
		if q.DueCount != 3 || len(q.Due) != 3 || q.Due[0].CheckID != "a" || q.Due[1].CheckID != "b" || q.Due[2].CheckID != "now" {
			t.Errorf("queue = %+v", q)
		}
		if q.NextDueAt == nil || !q.NextDueAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("next due = %v, want %v", q.NextDueAt, t0.Add(time.Hour))
		}
	})
	t.Run("at most MaxDue on the page, all counted", func(t *testing.T) {
		var cards []Card
		for i := range 13 {
			cards = append(cards, c(string(rune('a'+i)), 1, t0.Add(-time.Duration(i)*time.Minute)))
		}
		q := NewQueue(cards, all, t0)
		if q.DueCount != 13 || len(q.Due) != MaxDue || q.Due[0].CheckID != "m" || q.NextDueAt != nil {
			t.Errorf("queue = %d due, %d shown, first %s, next %v", q.DueCount, len(q.Due), q.Due[0].CheckID, q.NextDueAt)
		}
	})
	t.Run("empty", func(t *testing.T) {
		q := NewQueue(nil, all, t0)
		if q.DueCount != 0 || len(q.Due) != 0 || q.NextDueAt != nil {
			t.Errorf("queue = %+v", q)
		}
	})
}

func TestMinutes(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 3: 2, 6: 4, 10: 7} {
		if got := Minutes(n); got != want {
			t.Errorf("Minutes(%d) = %d, want %d", n, got, want)
		}
	}
}
