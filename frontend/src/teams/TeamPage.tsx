import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { usePlans } from '../billing/queries';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { NotFound } from '../pages/NotFound';
import { Assignments } from './Assignments';
import { Invites } from './Invites';
import { MembersTable } from './MembersTable';
import { RecognitionFeed } from './RecognitionFeed';
import { PulseAggregates, RecognitionGaps } from './PulseAndGaps';
import { PulseTrend } from './PulseTrend';
import { TeamPractice } from '../practice/TeamPractice';
import { TeamRadar } from './TeamRadar';
import { useTeam, useTeamReport } from './queries';
import type { Team } from './types';

/** TeamPage is the manager's team dashboard (members see the recognition feed only). */
export function TeamPage() {
  const { id = '' } = useParams();
  const team = useTeam(id);
  const manager = team.data?.my_role === 'manager';
  const report = useTeamReport(id, manager);
  usePageTitle(team.data?.name ?? 'Team');
  if (team.error instanceof ApiError && team.error.status === 404) return <NotFound />;
  const t = team.data;
  if (!t) return <div className="container page"><FormError error={team.error} />{team.isLoading && <p aria-busy="true">Loading the team…</p>}</div>;

  return (
    <div className="container page">
      <p><Link to="/teams">← Teams</Link></p>
      <div className="page-head">
        <div>
          <h1>{t.name}</h1>
          <p className="muted">{manager ? 'You manage this team.' : 'You are a member of this team.'}</p>
        </div>
        {manager && <SeatMeter team={t} />}
      </div>
      {manager ? (
        <>
          <FormError error={report.error} />
          {report.data && <MembersTable team={t} report={report.data} />}
          {report.data && <TeamPractice report={report.data} />}
          <div className="team-grid">
            {report.data && <TeamRadar report={report.data} />}
            <Invites team={t} />
          </div>
          <Assignments team={t} />
          <div className="team-grid">
            {report.data && <PulseAggregates report={report.data} />}
            <RecognitionGaps team={t} />
          </div>
          <PulseTrend team={t} />
          <RecognitionFeed team={t} manager />
        </>
      ) : (
        <RecognitionFeed team={t} manager={false} />
      )}
    </div>
  );
}

function SeatMeter({ team }: { team: Team }) {
  const billing = usePlans().data?.billing_enabled;
  const { total, used, pending } = team.seats;
  const pct = total > 0 ? Math.min(100, Math.round((100 * (used + pending)) / total)) : 0;
  return (
    <div className="seat-meter">
      <div className="seat-text">
        <strong>{used}</strong> of {total} seats used{pending > 0 && <>, {pending} reserved by invites</>}
      </div>
      <div className="progress" role="progressbar" aria-label="Seats in use" aria-valuenow={used + pending} aria-valuemin={0} aria-valuemax={total}>
        <span className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      {billing && <Link to={`/pricing?team=${team.id}`}>{total === 0 ? 'Buy seats' : 'Buy more seats'}</Link>}
    </div>
  );
}
