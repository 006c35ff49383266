import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ModuleCover } from '../catalog/ModuleCover';
import { capitalised, offerOf, plural } from '../catalog/offer';
import { useModules } from '../catalog/queries';
import { competencyName, type ModuleSummary } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

/** Catalog lists the published modules as cards: a cover, what it builds, and for a signed-in
 *  learner their progress; premium modules the visitor cannot open carry a lock. */
export function Catalog() {
  usePageTitle('Courses', 'Short modules on emotional intelligence and buyer enablement for B2B sales: five-minute lessons, each with something to practise on your next call.');
  const { me } = useAuth();
  const q = useModules();
  const premium = !!me?.entitlement.premium || !!me?.roles.includes('admin');
  const modules = q.data?.modules;
  const offer = modules ? offerOf(modules) : null;
  return (
    <div className="container page">
      <h1>Courses</h1>
      <p className="lead">
        {offer ? capitalised(plural(offer.total, 'short module')) : 'Short modules'} on emotional intelligence and buyer enablement.
        Each lesson takes about five minutes and ends with something to practise on your next call.
      </p>
      {offer && !premium && offer.premium > 0 && (
        <p className="catalog-offer">
          {offer.free.length > 0
            ? `${capitalised(plural(offer.free.length, 'free module'))} to start with, ${plural(offer.premium, 'premium module')} with `
            : `${capitalised(plural(offer.premium, 'premium module'))} with `}
          <Link to="/pricing">a subscription</Link>.
        </p>
      )}
      <FormError error={q.error} />
      {modules && modules.length === 0 && <p className="muted">No courses are published yet.</p>}
      {q.isLoading || !modules ? (
        !q.error && <CatalogSkeleton />
      ) : (
        <ul className="module-grid" aria-label="Modules">
          {modules.map((m, i) => (
            <ModuleCard key={m.id} m={m} index={i} locked={m.access === 'premium' && !premium} included={m.access === 'premium' && premium} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** CatalogSkeleton holds the grid's place while the modules load, so nothing jumps. */
function CatalogSkeleton() {
  return (
    <div className="module-grid" aria-busy="true">
      <p className="visually-hidden">Loading courses…</p>
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <div key={i} className="module-card module-card-skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

function ModuleCard({ m, index, locked, included }: { m: ModuleSummary; index: number; locked: boolean; included: boolean }) {
  return (
    <li className="module-card">
      <ModuleCover slug={m.slug} competencies={m.competencies} index={index} />
      <div className="module-card-top">
        {m.access === 'free' ? (
          <span className="badge badge-free">Free</span>
        ) : (
          <span className="badge badge-premium">
            {locked && <LockIcon />}
            {included ? 'Included' : 'Premium'}
          </span>
        )}
        <span className="muted small">
          {m.lesson_count} lessons · {m.minutes} min
        </span>
      </div>
      <h2>
        <Link to={`/modules/${m.slug}`} className="stretched">
          {m.title}
        </Link>
      </h2>
      <p>{m.summary}</p>
      <ul className="chips" aria-label="Competencies">
        {m.competencies.map((c) => (
          <li key={c} className="chip">
            {competencyName(c)}
          </li>
        ))}
      </ul>
      {m.progress && <CardProgress title={m.title} total={m.lesson_count} done={m.progress.completed_lessons} percent={m.progress.percent} />}
    </li>
  );
}

/** LockIcon marks a premium module the visitor cannot read yet; its name says why. */
function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="12" height="12" role="img" aria-label="Locked: needs a subscription">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <rect x="2.5" y="7" width="11" height="8" rx="1.8" fill="currentColor" />
    </svg>
  );
}

function CardProgress({ title, total, done, percent }: { title: string; total: number; done: number; percent: number }) {
  if (done === 0) return <p className="card-progress muted small">Not started</p>;
  if (done >= total) {
    return (
      <p className="card-progress card-done small">
        <span aria-hidden="true">✓</span> Completed
      </p>
    );
  }
  return (
    <div className="progress-line card-progress">
      <div className="progress" role="progressbar" aria-label={`${title} progress`} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <span className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="small muted">
        {done} of {total} lessons
      </span>
    </div>
  );
}
