package teams

// ReportGeneration exposes the report flight's generation to the package's HTTP tests: the
// number every committed write of the service moves on.
func ReportGeneration(s *Service) uint64 { return s.flight.gen.Load() }
