package app

import (
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/platform/notify"
)

// accessChanges tells this process's premium-decision cache (billing's) that a committed write
// of another domain (roles, an erased account, team seats) may have changed who reads premium
// content: it announces the write on billing's access channel at once, before the writer answers.
// Implements identity.AccessChanges and teams.AccessChanges.
type accessChanges struct{ l *notify.Listener }

// AccessChanged implements identity.AccessChanges and teams.AccessChanges.
func (a accessChanges) AccessChanged() { a.l.Announce(billing.ChannelAccess, "") }
