// Package role names the platform roles a user may hold. It is a leaf package, so every domain can
// name a role without importing identity (which stores the roles and checks who holds them).
package role

// The roles a user may hold. Everyone is a learner.
const (
	Learner    = "learner"
	Instructor = "instructor"
	Admin      = "admin"
)

// All lists every valid role.
var All = []string{Learner, Instructor, Admin}
