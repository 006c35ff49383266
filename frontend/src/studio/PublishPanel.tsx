import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError } from '../components/Form';
import { catalogKeys } from '../catalog/queries';
import { studioKeys, useVersions } from './queries';
import { stateLabel, type StudioModuleDetail } from './types';

/** PublishPanel publishes a module as a new immutable version, unpublishes it, and lists versions. */
export function PublishPanel({ module: m }: { module: StudioModuleDetail }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<'publish' | 'unpublish' | null>(null);
  const versions = useVersions(m.slug);
  const refresh = () => {
    qc.invalidateQueries({ queryKey: studioKeys.moduleBySlug(m.slug) });
    qc.invalidateQueries({ queryKey: studioKeys.versions(m.slug) });
    qc.invalidateQueries({ queryKey: studioKeys.modules });
    qc.invalidateQueries({ queryKey: catalogKeys.modules });
  };
  const act = useMutation({
    mutationFn: (what: 'publish' | 'unpublish') =>
      what === 'publish'
        ? api.POST('/api/v1/studio/modules/{slug}/publish', { params: { path: { slug: m.slug } } })
        : api.POST('/api/v1/studio/modules/{slug}/unpublish', { params: { path: { slug: m.slug } } }),
    onSuccess: () => {
      setConfirm(null);
      refresh();
    },
  });

  return (
    <section className="panel">
      <h2>Publishing</h2>
      <p>
        State: <strong>{stateLabel(m)}</strong>
        {m.has_unpublished_changes && m.state !== 'draft' && <> · the drafts have changes learners do not see yet</>}
      </p>
      {m.version > 0 && m.has_unpublished_changes && (
        <p>
          <Link to={`/studio/modules/${m.slug}/versions/${m.version}?view=changes`}>See what changed since v{m.version}</Link>
        </p>
      )}
      {m.state === 'published' && !m.has_unpublished_changes && <p className="hint">Learners see the latest drafts already; edit a lesson to publish a new version.</p>}
      <FormError error={act.error} />
      <div className="form-actions">
        <button className="button" onClick={() => setConfirm('publish')} disabled={m.lessons.length === 0 || (m.state === 'published' && !m.has_unpublished_changes)}>
          Publish v{m.version + 1}
        </button>
        {m.state === 'published' && (
          <button className="button button-danger" onClick={() => setConfirm('unpublish')}>
            Unpublish
          </button>
        )}
      </div>
      {versions.data && versions.data.versions.length > 0 && (
        <>
          <h3 className="versions-title">Versions</h3>
          <ul className="versions">
            {versions.data.versions.map((v) => (
              <li key={v.version}>
                <span className="version-line">
                  <strong>v{v.version}</strong> · {new Date(v.published_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} ·{' '}
                  {v.lesson_count} {v.lesson_count === 1 ? 'lesson' : 'lessons'}
                  {v.version === m.version && m.state === 'published' && <span className="badge badge-brand">Live</span>}
                </span>
                <span className="version-links">
                  <Link to={`/studio/modules/${m.slug}/versions/${v.version}`}>
                    View<span className="visually-hidden"> version {v.version}</span>
                  </Link>
                  <Link to={`/studio/modules/${m.slug}/versions/${v.version}?view=changes`}>
                    Compare with draft<span className="visually-hidden"> (version {v.version})</span>
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <ConfirmDialog
        open={confirm === 'publish'}
        title={`Publish ${m.title}?`}
        confirmLabel="Publish now"
        busy={act.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => act.mutate('publish')}
      >
        <p>Learners will see these {m.lessons.length} lessons from now on. Published versions cannot be changed; later edits go into the next version.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'unpublish'}
        title={`Unpublish ${m.title}?`}
        confirmLabel="Unpublish"
        busy={act.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => act.mutate('unpublish')}
      >
        <p>The module disappears from the catalog. Learners keep their progress and see it again when you publish.</p>
      </ConfirmDialog>
    </section>
  );
}
