import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';

const pillars = [
  {
    title: 'Measure skill, not activity',
    body: 'A baseline profile of eight competencies, then progress check-ins. You see real growth, separated from the normal ups and downs.',
  },
  {
    title: 'Emotional intelligence that sells',
    body: 'Self-awareness on the call, staying steady under pressure, reading buyers and building relationships across the whole account.',
  },
  {
    title: 'Buyer enablement',
    body: 'Buyers spend a small slice of their journey with any one rep. Learn to diagnose the buying job and help the whole group reach a confident decision.',
  },
];

const forWho = [
  { who: 'Reps', what: 'Short lessons that fit a 15-minute weekly habit, practices to try on your next call, and a chart of your skills over time.' },
  { who: 'Sales managers', what: 'Buy seats, invite your team, see progress and growth per rep, assign modules, and recognise wins while they are fresh.' },
  { who: 'Instructors', what: 'Write in Markdown with a live preview, publish immutable versions, and read item statistics for the assessment.' },
];

/** Landing says what Rapport is and who it is for. */
export function Landing() {
  const { status } = useAuth();
  return (
    <>
      <section className="hero">
        <div className="container hero-inner">
          <p className="eyebrow">Sales training for the way buyers buy now</p>
          <h1>Win on the quality of the relationship, not the volume of activity.</h1>
          <p className="lead">
            Rapport is self-paced training in emotional intelligence and buyer enablement for B2B sales teams. Take a
            free baseline, learn in 15 minutes a week, and watch your skills grow.
          </p>
          <div className="hero-actions">
            {status === 'signed-in' ? (
              <Link className="button button-large" to="/catalog">
                Continue learning
              </Link>
            ) : (
              <Link className="button button-large" to="/signup">
                Start free
              </Link>
            )}
            <Link className="button button-large button-ghost" to="/catalog">
              Browse the courses
            </Link>
          </div>
        </div>
      </section>
      <section className="container section">
        <h2 className="section-title">Why Rapport</h2>
        <div className="grid grid-3">
          {pillars.map((p) => (
            <article className="card" key={p.title}>
              <h3>{p.title}</h3>
              <p>{p.body}</p>
            </article>
          ))}
        </div>
      </section>
      <section className="section section-alt">
        <div className="container">
          <h2 className="section-title">Built for the whole sales team</h2>
          <dl className="for-who">
            {forWho.map((f) => (
              <div key={f.who}>
                <dt>{f.who}</dt>
                <dd>{f.what}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>
      <section className="container section quote-section">
        <blockquote className="pull-quote">
          Managers get three asks from their people: empower me, direct me, care about me. Rapport gives you the evidence
          to do all three.
        </blockquote>
      </section>
    </>
  );
}
