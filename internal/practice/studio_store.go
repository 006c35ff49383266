package practice

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// The Studio's writes of activities. Content imports go through UpsertActivity, keyed by the
// file's hash; these write what an instructor typed and leave source_hash alone, so an edit
// stands until the activity's content file itself changes and is imported again.

// InsertActivity adds a new activity (Conflict when its slug is taken).
func (s *Store) InsertActivity(ctx context.Context, a Activity, now time.Time) (Activity, error) {
	row, err := toActivityRow(a)
	if err != nil {
		return Activity{}, err
	}
	row.ID, row.CreatedAt, row.UpdatedAt = "", now, now
	if err := s.db.WithContext(ctx).Omit("ID").Create(&row).Error; err != nil {
		return Activity{}, db.Err(err)
	}
	return s.FindActivity(ctx, a.Slug)
}

// UpdateActivityContent replaces an activity's editable fields by slug; its slug, position and
// source hash stay (NotFound when there is no such activity).
func (s *Store) UpdateActivityContent(ctx context.Context, a Activity, now time.Time) error {
	row, err := toActivityRow(a)
	if err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Model(&activityRow{}).Where("slug = ?", a.Slug).Updates(map[string]any{
		"title": row.Title, "module_slug": row.ModuleSlug, "competencies": row.Competencies, "kind": row.Kind,
		"brief": row.Brief, "brief_html": row.BriefHTML, "buyer_media_id": row.BuyerMediaID,
		"time_limit_seconds": row.TimeLimitSeconds, "rubric": row.Rubric, "updated_at": now,
	})
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return db.Err(gorm.ErrRecordNotFound)
	}
	return nil
}

// NextActivityPosition is a position after every activity's, so a new one joins the end of the
// list (content files number theirs in tens; this keeps to the same step).
func (s *Store) NextActivityPosition(ctx context.Context) (int, error) {
	var last *int
	if err := s.db.WithContext(ctx).Model(&activityRow{}).Select("max(position)").Scan(&last).Error; err != nil {
		return 0, db.Err(err)
	}
	if last == nil {
		return 10, nil
	}
	return *last + 10, nil
}

func toActivityRow(a Activity) (activityRow, error) {
	rubric, err := json.Marshal(a.Rubric)
	if err != nil {
		return activityRow{}, err
	}
	r := activityRow{ID: a.ID, Slug: a.Slug, Title: a.Title, Competencies: db.StringArray(a.Competencies), Kind: string(a.Kind),
		Brief: a.Brief, BriefHTML: a.BriefHTML, BuyerMediaID: a.BuyerMediaID, TimeLimitSeconds: a.TimeLimitSeconds,
		Rubric: rubric, Position: a.Position, SourceHash: a.SourceHash}
	if a.ModuleSlug != "" {
		module := a.ModuleSlug
		r.ModuleSlug = &module
	}
	return r, nil
}
