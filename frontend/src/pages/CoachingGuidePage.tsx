import DOMPurify from 'dompurify';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useCoaching } from '../catalog/queries';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { NotFound } from './NotFound';

/** CoachingGuidePage is a module's one-page guide for managers, laid out to print on one sheet
 *  (the print stylesheet drops the navigation and prints black on white). */
export function CoachingGuidePage() {
  const { slug = '' } = useParams();
  const q = useCoaching(slug);
  usePageTitle(q.data ? `Coaching guide: ${q.data.title}` : 'Coaching guide');
  // Sanitised by the server's renderer, and again here, as lessons are.
  const html = useMemo(() => (q.data ? DOMPurify.sanitize(q.data.html) : ''), [q.data]);
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
  const g = q.data;
  return (
    <div className="container page narrow coaching-page">
      <p className="no-print">
        <Link to={`/modules/${slug}`}>← Back to the module</Link>
      </p>
      {q.isLoading && <p aria-busy="true">Loading…</p>}
      <FormError error={q.error} />
      {g && (
        <article className="coaching-guide" aria-labelledby="coaching-title">
          <header className="coaching-head">
            <p className="coaching-kicker">Rapport · Coaching guide for managers</p>
            <h1 id="coaching-title">{g.title}</h1>
          </header>
          <div className="prose coaching-body" dangerouslySetInnerHTML={{ __html: html }} />
          <p className="no-print coaching-actions">
            <button className="button" type="button" onClick={() => window.print()}>
              Print this guide
            </button>
            <span className="muted small">Fits on one A4 or Letter page.</span>
          </p>
        </article>
      )}
    </div>
  );
}
