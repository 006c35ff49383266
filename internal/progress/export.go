package progress

import "context"

// ExportUser is progress's section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "progress", v, err
}
