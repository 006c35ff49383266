// Package text normalises and checks the short texts people type: names, titles and messages.
// Every domain that stores such a text goes through here, so they all agree on what is kept.
package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is what is wrong with a text after it is normalised; OK when nothing is.
type Problem int

// The problems a normalised text can have, in the order they are checked by Line.
const (
	OK Problem = iota
	// Empty: nothing but white space.
	Empty
	// TooLong: more characters than allowed.
	TooLong
	// Unshowable: control characters (or, for Block, invalid UTF-8).
	Unshowable
)

// Collapse trims s and turns every run of white space inside it into one space.
func Collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Line normalises a one-line text such as a name or a title with Collapse, then checks that it is
// not empty, has at most max characters and holds no control characters.
func Line(s string, max int) (string, Problem) {
	s = Collapse(s)
	switch {
	case s == "":
		return "", Empty
	case utf8.RuneCountInString(s) > max:
		return "", TooLong
	case strings.ContainsFunc(s, unicode.IsControl):
		return "", Unshowable
	}
	return s, OK
}

// Block normalises a text of several lines such as a message: its ends are trimmed and its line
// breaks and tabs kept. It checks that the text is not empty, is valid UTF-8 without other control
// characters, and has at most max characters.
func Block(s string, max int) (string, Problem) {
	s = strings.TrimSpace(s)
	bad := func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
	switch {
	case s == "":
		return "", Empty
	case !utf8.ValidString(s) || strings.ContainsFunc(s, bad):
		return "", Unshowable
	case utf8.RuneCountInString(s) > max:
		return "", TooLong
	}
	return s, OK
}

// Search normalises a search query as typed into a search box: its ends are trimmed; it may be
// empty. It checks the query is valid UTF-8 (a URL can carry any byte, and the database refuses
// text that is not) and has at most max characters; when it is not, the sentence says what to do.
func Search(s string, max int) (query, problem string) {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		return "", "The search contains characters we can’t read. Please retype it."
	case utf8.RuneCountInString(s) > max:
		return "", fmt.Sprintf("Please shorten the search to %d characters or fewer.", max)
	}
	return s, ""
}
