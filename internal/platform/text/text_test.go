package text

import "testing"

func TestLineAndBlock(t *testing.T) {
	line, block := Line, Block
	for _, c := range []struct {
		name string
		fn   func(string, int) (string, Problem)
		in   string
		max  int
		want string
		p    Problem
	}{
		{"Line", line, "Ada Lovelace", 20, "Ada Lovelace", OK},
		{"Line", line, "  Ada \t\n  Lovelace  ", 20, "Ada Lovelace", OK},
		{"Line", line, "Zoë  Ñúñez", 10, "Zoë Ñúñez", OK},
		{"Line", line, "", 20, "", Empty},
		{"Line", line, " \t\n ", 20, "", Empty},
		{"Line", line, "abcdef", 5, "", TooLong},
		{"Line", line, "äöüßé", 5, "äöüßé", OK},
		{"Line", line, "bad\x07bell", 20, "", Unshowable},
		{"Line", line, "bad\u200ewidth", 20, "bad\u200ewidth", OK},
		{"Line", line, "long\x07", 3, "", TooLong},
		{"Block", block, "Great call!", 20, "Great call!", OK},
		{"Block", block, "  line one\n\tline two \n", 20, "line one\n\tline two", OK},
		{"Block", block, "a\r\nb", 5, "a\r\nb", OK},
		{"Block", block, "   \n", 20, "", Empty},
		{"Block", block, "abcdef", 5, "", TooLong},
		{"Block", block, "bell\x07", 20, "", Unshowable},
		{"Block", block, "bad \xff byte", 20, "", Unshowable},
		{"Block", block, "long\x07", 3, "", Unshowable},
	} {
		got, p := c.fn(c.in, c.max)
		if got != c.want || p != c.p {
			t.Errorf("%s(%q, %d) = %q, %v; want %q, %v", c.name, c.in, c.max, got, p, c.want, c.p)
		}
	}
}

func TestCollapse(t *testing.T) {
	if got := Collapse("  Cold \n\n calls\t101 "); got != "Cold calls 101" {
		t.Fatalf("Collapse = %q", got)
	}
}

func TestSearch(t *testing.T) {
	for _, c := range []struct {
		in, want string
		max      int
		problem  bool
	}{
		{"  ", "", 5, false},
		{" Ada ", "Ada", 5, false},
		{"äöüßé", "äöüßé", 5, false},
		{"abcdef", "", 5, true},
		{"bad \xff", "", 20, true},
	} {
		got, problem := Search(c.in, c.max)
		if got != c.want || (problem != "") != c.problem {
			t.Errorf("Search(%q, %d) = %q, %q; want %q, a problem: %v", c.in, c.max, got, problem, c.want, c.problem)
		}
	}
}
