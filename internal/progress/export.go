package progress

import "context"

// ExportUser is progress's section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "progress", v, err
}

// ExportSize estimates progress's share of a data export (rows; progress keeps no files).
func (s *Service) ExportSize(ctx context.Context, userID string) (rows, fileBytes int64, err error) {
	rows, err = s.store.CountExportRows(ctx, userID)
	return rows, 0, err
}
