// Package teamsbench measures GET /api/v1/teams/{id}/report on a team of 500 reps, each with 30
// lessons of progress and 4 assessment attempts, seeded straight into a scratch database.
//
//	go test -run '^$' -bench TeamReport -benchtime 50x ./bench/teams/
package teamsbench
