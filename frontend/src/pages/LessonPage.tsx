import DOMPurify from 'dompurify';
import { useEffect, useMemo, useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { capitalised, freeModules, offerOf, plural, type Offer } from '../catalog/offer';
import { useLesson, useModules } from '../catalog/queries';
import { FormError } from '../components/Form';
import { LessonHtml } from '../media/LessonHtml';
import { usePageTitle } from '../components/usePageTitle';
import { useLessonProgress } from '../progress/useLessonProgress';
import { CheckCard } from '../review/CheckCard';
import { NotFound } from './NotFound';

/** LessonPage is the reader: the lesson in a comfortable measure, with previous / next from the
 *  lesson's own answer (its module's title, prev and next), so reading needs no module request. */
export function LessonPage() {
  const { slug = '', lesson = '' } = useParams();
  const { status } = useAuth();
  const q = useLesson(slug, lesson);
  // A lesson the visitor may not read (401, 402) comes without its module's title: the crumb and
  // the paywall then take it from the catalog, which the paywall reads anyway.
  const modules = useModules(!!q.error);
  const moduleTitle = q.data?.module_title ?? modules.data?.modules.find((m) => m.slug === slug)?.title;
  usePageTitle(q.data?.title ?? moduleTitle ?? 'Lesson');
  // The server already sanitises lesson HTML; this is defence in depth.
  const html = useMemo(() => (q.data ? DOMPurify.sanitize(q.data.html) : ''), [q.data]);

  const signedIn = status === 'signed-in';
  const progress = useLessonProgress(q.data?.id, signedIn && !!q.data);
  const end = useRef<HTMLDivElement>(null);
  const { completed, complete } = progress;
  useEffect(() => {
    // Reaching the end of the lesson (after reading a little while) completes it.
    const el = end.current;
    if (!el || !signedIn || completed || typeof IntersectionObserver === 'undefined') return;
    const opened = Date.now();
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && Date.now() - opened > 20_000) complete();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [q.data, signedIn, completed, complete]);

  const err = q.error instanceof ApiError ? q.error : null;
  if (err?.status === 404) return <NotFound />;
  const prev = q.data?.prev;
  const next = q.data?.next;

  return (
    <div className="container page reader-wrap">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/catalog">Courses</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={`/modules/${slug}`}>{moduleTitle ?? 'Module'}</Link>
      </nav>
      {q.isLoading && <p aria-busy="true">Loading the lesson…</p>}
      {err?.status === 402 && <UpgradePanel title={moduleTitle} />}
      {err?.status === 401 && <SignInPanel />}
      {q.error && !err && <FormError error={q.error} />}
      {err && ![401, 402, 404].includes(err.status) && <FormError error={err} />}
      {q.data && (
        <article className="reader">
          <header>
            <p className="eyebrow">{q.data.minutes} min read</p>
            <h1>{q.data.title}</h1>
          </header>
          <LessonHtml className="prose" html={html} />
          {q.data.checks.length > 0 && (
            <section className="check-yourself" aria-labelledby="check-yourself-title">
              <h2 id="check-yourself-title">Check yourself</h2>
              <p className="muted">
                {signedIn
                  ? 'Apply what you just read. Any you miss come back on your review page the next day.'
                  : 'Apply what you just read.'}
              </p>
              {q.data.checks.map((c, i) => (
                <CheckCard key={c.id} check={c} signedIn={signedIn} heading={`Question ${i + 1} of ${q.data.checks.length}`} />
              ))}
            </section>
          )}
          <div ref={end} className="lesson-end">
            {signedIn ? (
              progress.completed ? (
                <p className="done-note" role="status">
                  <span aria-hidden="true">✓</span> Lesson complete
                  {progress.record?.certificate && (
                    <>
                      {' '}· you finished the module!{' '}
                      <Link to={`/certificates/${progress.record.certificate.code}`}>See your certificate</Link>
                    </>
                  )}
                </p>
              ) : (
                <button className="button button-secondary" onClick={() => progress.complete()}>
                  Mark as complete
                </button>
              )
            ) : (
              <p className="muted">
                <Link to="/signup">Create a free account</Link> to keep track of your progress.
              </p>
            )}
          </div>
        </article>
      )}
      {(q.data || err?.status === 402) && (
        <nav className="pager" aria-label="Lessons">
          {prev ? (
            <Link className="button button-secondary" to={`/modules/${slug}/${prev.slug}`} rel="prev">
              ← {prev.title}
            </Link>
          ) : (
            <span />
          )}
          {next ? (
            <Link className="button" to={`/modules/${slug}/${next.slug}`} rel="next">
              {next.title} →
            </Link>
          ) : (
            <Link className="button" to={`/modules/${slug}`}>
              Back to the module
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}

/** useOffer is the catalog's free and premium counts, for the paywall's wording. */
function useOffer(): Offer | null {
  const q = useModules();
  return q.data ? offerOf(q.data.modules) : null;
}

function UpgradePanel({ title }: { title?: string }) {
  const offer = useOffer();
  const free = offer ? freeModules(offer) : null;
  return (
    <section className="upgrade" aria-labelledby="upgrade-title">
      <p className="eyebrow">Premium lesson</p>
      <h1 id="upgrade-title">Unlock {title ?? 'this module'} and every other course</h1>
      <p>
        {offer && offer.premium > 1
          ? `A Rapport subscription opens this module and the other ${plural(offer.premium - 1, 'premium module')}, with a certificate for each one you finish.`
          : 'A Rapport subscription opens this module, with a certificate when you finish it.'}
        {free && ` ${capitalised(free)} and your skills check-ins stay free.`}
      </p>
      <p>
        <Link className="button button-large" to="/pricing">
          See plans
        </Link>
      </p>
    </section>
  );
}

function SignInPanel() {
  const location = useLocation();
  const offer = useOffer();
  const free = offer ? freeModules(offer) : null;
  return (
    <section className="upgrade" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to read this lesson</h1>
      <p>
        This lesson is part of a premium module. Sign in if you have a subscription
        {free ? `, or create a free account to start with ${free}.` : ', or create a free account to take your skills baseline.'}
      </p>
      <p className="form-actions">
        <Link className="button" to="/signin" state={{ from: location.pathname }}>
          Sign in
        </Link>
        <Link className="button button-ghost" to="/signup" state={{ from: location.pathname }}>
          Create a free account
        </Link>
      </p>
    </section>
  );
}
