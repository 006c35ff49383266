package db

import (
	"github.com/pressly/goose/v3/lock"
)

// mustLocker returns goose's Postgres advisory-lock session locker so that two processes starting
// together do not apply the same migration twice.
func mustLocker() lock.SessionLocker {
	l, err := lock.NewPostgresSessionLocker()
	if err != nil {
		panic(err) // only fails on invalid options, which are constant here
	}
	return l
}
