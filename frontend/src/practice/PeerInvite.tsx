import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { teamKeys, useTeams } from '../teams/queries';
import { practiceKeys, type Submission } from './queries';

/** PeerInvite lets the owner or their manager ask teammates to review as peers. The choice is the
 *  members of the caller's teams that the owner belongs to; the server checks the same rule. */
export function PeerInvite({ submission: s }: { submission: Submission }) {
  const qc = useQueryClient();
  const { me } = useAuth();
  const uid = useId();
  const teams = useTeams();
  const details = useQueries({
    queries: (teams.data?.teams ?? []).map((t) => ({
      queryKey: teamKeys.team(t.id),
      queryFn: () => api.GET('/api/v1/teams/{id}', { params: { path: { id: t.id } } }),
    })),
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const invited = new Set(s.peer_reviewers.map((p) => p.id));
  const seen = new Set<string>();
  const candidates: { id: string; name: string; team: string }[] = [];
  for (const d of details) {
    const t = d.data;
    if (!t || !t.members.some((m) => m.user_id === s.owner.id)) continue;
    for (const m of t.members) {
      if (m.user_id === s.owner.id || m.user_id === me?.id || invited.has(m.user_id) || seen.has(m.user_id)) continue;
      seen.add(m.user_id);
      candidates.push({ id: m.user_id, name: m.name, team: t.name });
    }
  }
  const invite = useMutation({
    mutationFn: () => api.POST('/api/v1/submissions/{id}/peer-reviewers', { params: { path: { id: s.id } }, body: { user_ids: chosen } }),
    onSuccess: (r) => {
      const names = candidates.filter((c) => chosen.includes(c.id)).map((c) => c.name);
      setDone(`Invited ${names.join(', ')}. They can find it in their review queue.`);
      setChosen([]);
      qc.setQueryData(practiceKeys.submission(s.id), { ...s, peer_reviewers: r.peer_reviewers });
      qc.invalidateQueries({ queryKey: practiceKeys.submission(s.id) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen.length > 0) invite.mutate();
  };
  const loading = teams.isLoading || details.some((d) => d.isLoading);
  return (
    <section className="panel" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Peer reviewers</h2>
      <p className="muted small">Teammates you invite review blind too, and can see this attempt and its recording until it is deleted.</p>
      {s.peer_reviewers.length > 0 && (
        <p>
          Invited: {s.peer_reviewers.map((p) => p.name).join(', ')}.
        </p>
      )}
      {done && (
        <p className="saved" role="status">
          {done}
        </p>
      )}
      {!loading && candidates.length === 0 ? (
        <p className="muted">{s.peer_reviewers.length > 0 ? 'Everyone on the team is invited.' : 'No teammates to invite yet: peers come from your team.'}</p>
      ) : (
        <form onSubmit={submit}>
          <fieldset className="fieldset peer-choices">
            <legend>Choose teammates</legend>
            {candidates.map((c) => (
              <label key={c.id} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(c.id)}
                  onChange={(e) => setChosen((x) => (e.target.checked ? [...x, c.id] : x.filter((y) => y !== c.id)))}
                />
                <span>
                  {c.name} <span className="muted small">· {c.team}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <FormError error={invite.error} />
          <div className="form-actions">
            <button type="submit" className="button button-secondary" disabled={chosen.length === 0 || invite.isPending}>
              {chosen.length > 1 ? `Invite ${chosen.length} teammates` : 'Invite teammate'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
