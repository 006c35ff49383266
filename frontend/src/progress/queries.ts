import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** progressKeys are progress's cache keys. */
export const progressKeys = {
  progress: ['progress'] as const,
  certificates: ['certificates'] as const,
  certificate: (code: string) => ['certificate', code] as const,
};

/** useProgress is the caller's dashboard: modules in progress, the week, where to resume. */
export function useProgress() {
  return useQuery({ queryKey: progressKeys.progress, queryFn: () => api.GET('/api/v1/progress') });
}

/** useCertificates lists the caller's certificates. */
export function useCertificates() {
  return useQuery({ queryKey: progressKeys.certificates, queryFn: () => api.GET('/api/v1/certificates') });
}

/** useCertificate is one certificate by its public code (anyone may verify it). */
export function useCertificate(code: string) {
  return useQuery({
    queryKey: progressKeys.certificate(code),
    queryFn: () => api.GET('/api/v1/certificates/{code}', { params: { path: { code } } }),
  });
}
