package practice

import (
	"context"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// BuyerLines tells the media library which practice activities play one of its items as the
// recorded buyer's line, so an item in use is not deleted from under an activity (the line would
// go silently). Built from the database alone, before the media service that asks it, as the
// catalog's MediaGate is.
type BuyerLines struct{ store *Store }

// NewBuyerLines returns the reader on d.
func NewBuyerLines(d *db.DB) *BuyerLines { return &BuyerLines{store: NewStore(d, nil)} }

// ActivitiesUsing returns, for each of ids that is a buyer line, the titles of the activities
// that play it (one query for every id).
func (b *BuyerLines) ActivitiesUsing(ctx context.Context, ids []string) (map[string][]string, error) {
	return b.store.FindBuyerLineUses(ctx, ids)
}
