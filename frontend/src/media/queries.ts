import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { MediaItem, MediaPatch } from './types';

export const mediaKeys = {
  library: ['studio', 'media'] as const,
};

/** useMediaLibrary is every item an instructor has uploaded, newest first, with where it is used. */
export function useMediaLibrary(enabled = true) {
  return useQuery({
    queryKey: mediaKeys.library,
    enabled,
    queryFn: async () => {
      const list = await api.GET('/api/v1/studio/media');
      return [...list.media].sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
  });
}

/** useUpdateMedia saves an item's title or alt text. */
export function useUpdateMedia() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: MediaPatch }) =>
      api.PATCH('/api/v1/studio/media/{id}', { params: { path: { id } }, body: patch }),
    onSuccess: (item) => {
      qc.setQueryData<MediaItem[]>(mediaKeys.library, (old) => old?.map((m) => (m.id === item.id ? { ...m, ...item, used_in: item.used_in ?? m.used_in } : m)));
    },
  });
}

/** useDeleteMedia removes an item; the server answers 409 while a published lesson shows it. */
export function useDeleteMedia() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.DELETE('/api/v1/studio/media/{id}', { params: { path: { id } } }),
    onSuccess: (_r, id) => {
      qc.setQueryData<MediaItem[]>(mediaKeys.library, (old) => old?.filter((m) => m.id !== id));
    },
  });
}
