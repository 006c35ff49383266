import { useEffect, useMemo } from 'react';
import DOMPurify from 'dompurify';
import { Link, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { competencyName } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { compareLessons, compareModule, summarize, type LessonAspect, type LessonChange } from './compare';
import { LineDiff } from './LineDiff';
import { useStudioModule, useVersion } from './queries';
import type { StudioModuleDetail, VersionDetail } from './types';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** VersionView shows one published version read-only, or compares it with the current drafts. */
export function VersionView() {
  const { slug = '', version = '' } = useParams();
  const [params] = useSearchParams();
  const changes = params.get('view') === 'changes';
  const v = useVersion(slug, version);
  const m = useStudioModule(slug);
  usePageTitle(v.data ? `${changes ? 'Changes since' : 'Version'} v${v.data.version}: ${v.data.title}` : 'Published version');
  const base = `/studio/modules/${slug}/versions/${version}`;

  return (
    <div className="container page">
      <p>
        <Link to={`/studio/modules/${slug}`}>← {m.data?.title ?? 'Module'}</Link>
      </p>
      <FormError error={v.error ?? m.error} />
      {!v.data && !v.error && <p aria-busy="true">Loading the version…</p>}
      {v.data && (
        <>
          <div className="page-head">
            <div>
              <p className="eyebrow">Published version {v.data.version} · read-only</p>
              <h1>{v.data.title}</h1>
              <p className="muted">
                Published {when(v.data.published_at)} · {v.data.lesson_count} {v.data.lesson_count === 1 ? 'lesson' : 'lessons'} ·{' '}
                {v.data.minutes} min · {v.data.access === 'free' ? 'Free' : 'Premium'}
              </p>
            </div>
            <Link className="button button-secondary" to={`/studio/modules/${slug}`}>
              Edit the drafts
            </Link>
          </div>
          <p className="alert alert-info">
            Published versions never change. To change what learners read, edit the drafts and publish a new version.
          </p>
          <nav className="subnav" aria-label="Version views">
            <Link to={base} className={changes ? undefined : 'active'} aria-current={changes ? undefined : 'page'}>
              What learners saw
            </Link>
            <Link to={`${base}?view=changes`} className={changes ? 'active' : undefined} aria-current={changes ? 'page' : undefined}>
              Compare with the draft
            </Link>
          </nav>
          {changes ? m.data && <Changes version={v.data} module={m.data} /> : <Contents version={v.data} />}
        </>
      )}
    </div>
  );
}

function Contents({ version: v }: { version: VersionDetail }) {
  return (
    <>
      <section className="panel" aria-labelledby="version-details">
        <h2 id="version-details">Module details</h2>
        <dl className="facts version-facts">
          <div><dt>Title</dt><dd>{v.title}</dd></div>
          <div><dt>Access</dt><dd>{v.access === 'free' ? 'Free for everyone' : 'Premium (subscribers)'}</dd></div>
          <div><dt>Competencies</dt><dd>{v.competencies.map(competencyName).join(', ') || 'None'}</dd></div>
          <div className="version-summary"><dt>Summary</dt><dd>{v.summary || 'None'}</dd></div>
        </dl>
      </section>
      <h2>Lessons</h2>
      <ol className="outline version-toc">
        {v.lessons.map((l, i) => (
          <li key={l.id}>
            <span className="outline-num" aria-hidden="true">{i + 1}</span>
            <a href={`#lesson-${l.id}`}>{l.title}</a>
            <span className="muted small">{l.minutes} min</span>
          </li>
        ))}
      </ol>
      {v.lessons.map((l, i) => (
        <article className="panel version-lesson" key={l.id} id={`lesson-${l.id}`} aria-labelledby={`lesson-title-${l.id}`}>
          <header className="version-lesson-head">
            <h3 id={`lesson-title-${l.id}`}>
              {i + 1}. {l.title}
            </h3>
            <span className="muted small">{l.minutes} min</span>
          </header>
          <div className="prose" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(l.html) }} />
        </article>
      ))}
    </>
  );
}

const aspectWords: Record<LessonAspect, string> = { title: 'title', slug: 'address', minutes: 'reading time', order: 'place in the module', content: 'text', checks: 'knowledge checks' };
const kindLabel: Record<LessonChange['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed', unchanged: 'Unchanged' };

function Changes({ version: v, module: m }: { version: VersionDetail; module: StudioModuleDetail }) {
  const lessons = useMemo(() => compareLessons(v.lessons, m.lessons), [v.lessons, m.lessons]);
  const fields = useMemo(() => compareModule(v, m), [v, m]);
  const { hash } = useLocation();
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [hash, lessons]);
  const same = fields.length === 0 && lessons.every((c) => c.kind === 'unchanged');
  return (
    <>
      <p className="lead">
        {same
          ? `The drafts match version ${v.version}: publishing now would change nothing for learners.`
          : `The drafts against version ${v.version}: ${summarize(lessons)}${fields.length ? `; ${fields.length} module ${fields.length === 1 ? 'detail' : 'details'} changed` : ''}.`}
      </p>
      <section className="panel" aria-labelledby="changes-details">
        <h2 id="changes-details">Module details</h2>
        {fields.length === 0 ? (
          <p className="muted">Unchanged since version {v.version}.</p>
        ) : (
          <dl className="field-changes">
            {fields.map((f) => (
              <div key={f.field}>
                <dt>{f.field}</dt>
                <dd>
                  <del><span className="visually-hidden">Published: </span>{f.published}</del>
                  <ins><span className="visually-hidden">Draft: </span>{f.draft}</ins>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <h2>Lessons</h2>
      <ul className="change-list">
        {lessons.map((c) => (
          <LessonChangeItem key={c.kind === 'added' ? c.draft.id : c.published.id} change={c} moduleSlug={m.slug} />
        ))}
      </ul>
    </>
  );
}

function LessonChangeItem({ change: c, moduleSlug }: { change: LessonChange; moduleSlug: string }) {
  const id = c.kind === 'added' ? c.draft.id : c.published.id;
  const title = c.kind === 'removed' ? c.published.title : c.draft.title;
  const edit = c.kind !== 'removed' && <Link to={`/studio/modules/${moduleSlug}/lessons/${c.draft.slug}`}>Edit the draft</Link>;
  return (
    <li className={`panel change change-${c.kind}`} id={`lesson-${id}`}>
      <div className="change-head">
        <span className={`badge change-badge change-badge-${c.kind}`}>{kindLabel[c.kind]}</span>
        <h3>{title}</h3>
        {edit}
      </div>
      {c.kind === 'added' && <p className="muted">New in the drafts: learners see it after the next publish.</p>}
      {c.kind === 'removed' && <p className="muted">Deleted from the drafts: learners stop seeing it after the next publish.</p>}
      {(c.kind === 'changed' || c.kind === 'unchanged') && (
        <>
          {c.kind === 'changed' && <p className="muted">Changed: {c.aspects.map((a) => aspectWords[a]).join(', ')}.</p>}
          {c.aspects.includes('title') && (
            <p className="small">
              Title: <del>{c.published.title}</del> → <ins>{c.draft.title}</ins>
            </p>
          )}
          {c.aspects.includes('minutes') && (
            <p className="small">
              Reading time: <del>{c.published.minutes} min</del> → <ins>{c.draft.minutes} min</ins>
            </p>
          )}
          {c.aspects.includes('order') && (
            <p className="small">
              Place: lesson {c.publishedIndex + 1} → lesson {c.draftIndex + 1}
            </p>
          )}
          {c.aspects.includes('content') && (
            <LineDiff published={c.published.markdown ?? ''} draft={c.draft.markdown} label={`Changes to the text of ${title}`} />
          )}
          {!c.contentKnown && (
            <p className="hint">
              This version was published before Rapport kept each lesson’s Markdown, so its text cannot be compared line by line. Read it
              under “What learners saw”.
            </p>
          )}
        </>
      )}
    </li>
  );
}
