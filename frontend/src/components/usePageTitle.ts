import { useEffect } from 'react';

// The description index.html ships with, for pages that do not set their own.
const defaultDescription = typeof document === 'undefined' ? '' : (document.querySelector('meta[name="description"]')?.getAttribute('content') ?? '');

/** usePageTitle sets the document title so tabs, history and screen readers name the page, and
 *  the meta description (the page's own, or the site's). */
export function usePageTitle(title: string, description?: string) {
  useEffect(() => {
    document.title = title ? `${title} · Rapport` : 'Rapport';
    document.querySelector('meta[name="description"]')?.setAttribute('content', description ?? defaultDescription);
  }, [title, description]);
}
