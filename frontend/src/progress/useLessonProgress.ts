import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { catalogKeys } from '../catalog/queries';
import { progressKeys } from './queries';
import { newKey, sendProgress } from './reporter';
import type { ProgressRecord } from './types';

const TICK_SECONDS = 30;

/** useLessonProgress reports a lesson on its own: started on open, reading time every 30 s while
 *  the tab is visible, and completed when the reader reaches the end (or presses the button). */
export function useLessonProgress(lessonId: string | undefined, enabled: boolean) {
  const qc = useQueryClient();
  const [record, setRecord] = useState<ProgressRecord | null>(null);
  const completed = record?.status === 'completed';
  const visibleSince = useRef<number | null>(null);

  const apply = useCallback(
    (r: ProgressRecord | null) => {
      if (!r) return;
      setRecord(r);
      if (r.status === 'completed') {
        qc.invalidateQueries({ queryKey: progressKeys.progress });
        qc.invalidateQueries({ queryKey: catalogKeys.module });
        qc.invalidateQueries({ queryKey: catalogKeys.modules });
      }
    },
    [qc],
  );

  useEffect(() => {
    if (!enabled || !lessonId) return;
    setRecord(null);
    sendProgress(lessonId, { status: 'started' }).then(apply);
    visibleSince.current = document.visibilityState === 'visible' ? Date.now() : null;
    const flush = () => {
      if (visibleSince.current === null) return;
      const secs = Math.min(3600, Math.round((Date.now() - visibleSince.current) / 1000));
      visibleSince.current = document.visibilityState === 'visible' ? Date.now() : null;
      if (secs >= 5) sendProgress(lessonId, { status: 'started', seconds: secs }, newKey()).then(apply);
    };
    const timer = setInterval(flush, TICK_SECONDS * 1000);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
      else visibleSince.current = Date.now();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [lessonId, enabled, apply]);

  const complete = useCallback(async () => {
    if (!lessonId) return;
    apply(await sendProgress(lessonId, { status: 'completed' }));
  }, [lessonId, apply]);

  return { record, completed, complete };
}
