/** GoalRing draws this week's minutes against the goal as a ring (SVG, labelled for screen readers). */
export function GoalRing({ minutes, goal }: { minutes: number; goal: number }) {
  const r = 52;
  const c = 2 * Math.PI * r;
  const ratio = goal > 0 ? Math.min(1, minutes / goal) : 0;
  const met = minutes >= goal;
  return (
    <figure className="goal-ring" aria-label={`${minutes} of ${goal} minutes this week`}>
      <svg viewBox="0 0 120 120" width="140" height="140" role="img" aria-hidden="true">
        <circle cx="60" cy="60" r={r} className="ring-track" />
        {ratio > 0 && (
          <circle
            cx="60"
            cy="60"
            r={r}
            className={met ? 'ring-fill ring-met' : 'ring-fill'}
            strokeDasharray={`${c * ratio} ${c}`}
            transform="rotate(-90 60 60)"
          />
        )}
        <text x="60" y="58" textAnchor="middle" className="ring-value">
          {minutes}
        </text>
        <text x="60" y="78" textAnchor="middle" className="ring-label">
          of {goal} min
        </text>
      </svg>
    </figure>
  );
}
