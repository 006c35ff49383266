package assess

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Store is the assessments' data access: the only code of the domain that knows its tables. A
// Store works on the pool, or on one transaction when Tx hands it to fn.
type Store struct{ db *gorm.DB }

// NewStore returns a store on the process's database.
func NewStore(d *db.DB) *Store { return &Store{db: d.Gorm} }

// Tx runs fn in one transaction; fn gets a Store bound to it, and its writes commit when fn
// returns nil.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(&Store{db: tx}) }))
}

type instrumentRow struct {
	ID             string `gorm:"primaryKey;default:gen_random_uuid()"`
	Slug           string
	Title          string
	CurrentVersion int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName names the table for GORM.
func (instrumentRow) TableName() string { return "instruments" }

type versionRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	InstrumentID string
	Version      int
	ContentHash  string
	Definition   string
	ItemCount    int
	CreatedAt    time.Time
}

// TableName names the table for GORM.
func (versionRow) TableName() string { return "instrument_versions" }

const currentSelect = `
	SELECT i.id AS instrument_id, i.slug, v.id AS version_id, v.version, v.item_count
	FROM instruments i
	JOIN instrument_versions v ON v.instrument_id = i.id AND v.version = i.current_version`

// FindCurrents lists every instrument with its current version, by slug.
func (s *Store) FindCurrents(ctx context.Context) ([]CurrentVersion, error) {
	var out []CurrentVersion
	err := s.db.WithContext(ctx).Raw(currentSelect + ` ORDER BY i.slug`).Scan(&out).Error
	return out, db.Err(err)
}

// FindCurrent returns one instrument's current version.
func (s *Store) FindCurrent(ctx context.Context, slug string) (CurrentVersion, error) {
	var rows []CurrentVersion
	err := s.db.WithContext(ctx).Raw(currentSelect+` WHERE i.slug = ?`, slug).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return CurrentVersion{}, db.Err(err)
	}
	return rows[0], nil
}

// FindDefinitions reads the definitions of the given versions, by version id.
func (s *Store) FindDefinitions(ctx context.Context, versionIDs []string) (map[string]*Instrument, error) {
	var rows []versionRow
	if err := s.db.WithContext(ctx).Select("id", "definition").Where("id IN ?", versionIDs).Find(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	out := make(map[string]*Instrument, len(rows))
	for _, r := range rows {
		d, err := decodeDefinition([]byte(r.Definition))
		if err != nil {
			return nil, fmt.Errorf("instrument version %s: %w", r.ID, err)
		}
		out[r.ID] = d
	}
	return out, nil
}

// CreateInstrumentIfNew creates the instrument row unless the slug exists.
func (s *Store) CreateInstrumentIfNew(ctx context.Context, slug, title string) error {
	r := instrumentRow{Slug: slug, Title: title}
	return db.Err(s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error)
}

// LockInstrument reads an instrument FOR UPDATE (call it inside Tx), so two imports of it
// serialise, with the content hash of its current version ("" when it has none).
func (s *Store) LockInstrument(ctx context.Context, slug string) (InstrumentHead, error) {
	var r instrumentRow
	if err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("slug = ?", slug).Take(&r).Error; err != nil {
		return InstrumentHead{}, db.Err(err)
	}
	var hashes []string
	err := s.db.WithContext(ctx).Model(&versionRow{}).Where("instrument_id = ? AND version = ?", r.ID, r.CurrentVersion).
		Pluck("content_hash", &hashes).Error
	h := InstrumentHead{ID: r.ID, Version: r.CurrentVersion}
	if len(hashes) > 0 {
		h.Hash = hashes[0]
	}
	return h, db.Err(err)
}

// CreateVersion stores a definition as an instrument's version (with the content hash it was
// made from) and makes it the current one, which new attempts start on.
func (s *Store) CreateVersion(ctx context.Context, instrumentID string, version int, hash string, def *Instrument, at time.Time) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO instrument_versions (instrument_id, version, content_hash, definition, item_count, created_at)
		VALUES (?, ?, ?, ?::jsonb, ?, ?)`, instrumentID, version, hash, string(encodeDefinition(def)), len(def.Items), at).Error
	if err != nil {
		return db.Err(err)
	}
	return db.Err(s.db.WithContext(ctx).Model(&instrumentRow{}).Where("id = ?", instrumentID).
		Updates(map[string]any{"current_version": version, "title": def.Title, "updated_at": at}).Error)
}
