import { useEffect } from 'react';

/** usePageTitle sets the document title so tabs, history and screen readers name the page. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Rapport` : 'Rapport';
  }, [title]);
}
