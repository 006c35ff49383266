package practice

import "context"

// ExportUser is practice's section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "practice", v, err
}

// EraseUser removes the user's recording files before their rows go with the account: one
// deletion job per file, queued in one transaction (River's jobs outlive the account rows and
// retry until storage answers), then an immediate attempt at each. Safe to repeat.
func (s *Service) EraseUser(ctx context.Context, userID string) error {
	keys, err := s.store.RecordingKeysOf(ctx, userID)
	if err != nil || len(keys) == 0 {
		return err
	}
	err = s.store.Tx(ctx, func(st *Store) error {
		for _, k := range keys {
			if err := st.InsertJob(ctx, DeleteRecordingArgs{Key: k}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		s.deleteObject(context.WithoutCancel(ctx), k)
	}
	return nil
}
