import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { usePlans } from '../billing/queries';
import { money } from '../billing/types';
import { capitalised, freeModules, offerOf, plural } from '../catalog/offer';
import { useModules } from '../catalog/queries';
import { usePageTitle } from '../components/usePageTitle';
import skills400 from '../assets/landing/shot-skills-400.webp';
import skills720 from '../assets/landing/shot-skills-720.webp';
import studio400 from '../assets/landing/shot-studio-400.webp';
import studio720 from '../assets/landing/shot-studio-720.webp';
import team400 from '../assets/landing/shot-team-400.webp';
import team720 from '../assets/landing/shot-team-720.webp';

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

/** What each buyer of Rapport gets, each with a real screenshot of the app (cut from the README
 *  screenshots by scripts/web-images.sh, at display size). */
const showcase = [
  {
    who: 'For reps',
    title: 'See your skills grow, not just your activity',
    points: [
      'A free baseline of eight competencies, then progress check-ins that mark real growth',
      'Five-minute lessons, each ending with something to practise on your next call',
      'A weekly learning goal, streaks, and a certificate for every module you finish',
    ],
    img: { small: skills400, large: skills720, width: 720, height: 319, alt: 'The Skills page: a radar chart of the eight competencies, baseline and now, next to what to study next.' },
  },
  {
    who: 'For sales managers',
    title: 'Coach from evidence, not from call counts',
    points: [
      'Buy seats and invite your reps by e-mail',
      'Progress and growth per rep, team averages, and a CSV export',
      'Assign modules with due dates and recognise wins while they are fresh',
    ],
    img: { small: team400, large: team720, width: 720, height: 229, alt: 'A team page: seats used, and each rep with progress, growth, last activity and a button to recognise them.' },
  },
  {
    who: 'For instructors',
    title: 'Write once, publish with confidence',
    points: [
      'Lessons in Markdown with a live preview, exactly as learners will see them',
      'Immutable published versions; unpublish at any time',
      'Item and scale statistics for the skills assessment',
    ],
    img: { small: studio400, large: studio720, width: 720, height: 129, alt: 'The lesson editor in the studio: title, slug and minutes, the Markdown on the left and the live preview on the right.' },
  },
];

const description =
  'Rapport is self-paced sales training in emotional intelligence and buyer enablement for B2B teams: a free skills baseline, five-minute lessons, and growth you can measure.';

/** Landing says what Rapport is, what each kind of buyer gets, and what it costs. */
export function Landing() {
  usePageTitle('Sales training that measures skill, not activity', description);
  const { status } = useAuth();
  const signedIn = status === 'signed-in';
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
          <Actions
            primary={signedIn ? ['/catalog', 'Continue learning'] : ['/signup', 'Start free']}
            secondary={['/catalog', 'Browse the courses']}
          />
        </div>
      </section>

      <section className="container section" aria-labelledby="showcase-title">
        <h2 id="showcase-title" className="section-title">
          What you get
        </h2>
        <div className="showcase">
          {showcase.map((s) => (
            <article className="showcase-row" key={s.who}>
              <div className="showcase-text">
                <p className="eyebrow">{s.who}</p>
                <h3>{s.title}</h3>
                <ul className="checks">
                  {s.points.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </div>
              <figure className="shot">
                <img
                  src={s.img.large}
                  srcSet={`${s.img.small} 400w, ${s.img.large} 720w`}
                  sizes="(max-width: 760px) calc(100vw - 40px), 620px"
                  width={s.img.width}
                  height={s.img.height}
                  alt={s.img.alt}
                  loading="lazy"
                  decoding="async"
                />
              </figure>
            </article>
          ))}
        </div>
      </section>

      <section className="section section-alt" aria-labelledby="why-title">
        <div className="container">
          <h2 id="why-title" className="section-title">
            Why Rapport
          </h2>
          <div className="grid grid-3">
            {pillars.map((p) => (
              <article className="card" key={p.title}>
                <h3>{p.title}</h3>
                <p>{p.body}</p>
              </article>
            ))}
          </div>
        </div>
      </section>

      <PricingTeaser />

      <section className="section cta-band">
        <div className="container quote-section">
          <blockquote className="pull-quote">
            Managers get three asks from their people: empower me, direct me, care about me. Rapport gives you the
            evidence to do all three.
          </blockquote>
          <Actions
            primary={signedIn ? ['/dashboard', 'Go to your dashboard'] : ['/signup', 'Take your free baseline']}
            secondary={['/pricing', 'See pricing']}
          />
        </div>
      </section>
    </>
  );
}

/** Actions is a pair of calls to action: [path, label] each. */
function Actions({ primary, secondary }: { primary: [string, string]; secondary: [string, string] }) {
  return (
    <div className="hero-actions">
      <Link className="button button-large" to={primary[0]}>
        {primary[1]}
      </Link>
      <Link className="button button-large button-ghost" to={secondary[0]}>
        {secondary[1]}
      </Link>
    </div>
  );
}

/** PricingTeaser shows what is free and the entry prices, read from the plans and the catalog. */
function PricingTeaser() {
  const plans = usePlans();
  const modules = useModules();
  const list = plans.data?.plans ?? [];
  const individual = list.find((p) => !p.per_seat && p.interval === 'month');
  const team = list.find((p) => p.per_seat);
  const offer = modules.data ? offerOf(modules.data.modules) : null;
  const free = offer ? freeModules(offer) : null;
  return (
    <section className="container section" aria-labelledby="teaser-title">
      <h2 id="teaser-title" className="section-title">
        Start free, subscribe when it helps
      </h2>
      <ul className="teaser">
        <TeaserCard name="Free" price={money(0, individual?.currency ?? 'usd')}>
          {free ? `${capitalised(free)}, your` : 'Your'} baseline skills profile with progress check-ins, and a
          certificate for every module you finish.
        </TeaserCard>
        <TeaserCard name="Individual" price={individual && money(individual.amount, individual.currency)} per={individual && `/ ${individual.interval}`}>
          {offer && offer.premium > 0 ? `Adds the ${plural(offer.premium, 'premium module')}` : 'Adds every premium module'} and
          every new one we publish.
          {individual && individual.trial_days > 0 && ` ${individual.trial_days}-day free trial.`}
        </TeaserCard>
        <TeaserCard name="Team" price={team && money(team.amount, team.currency)} per={team && `per seat / ${team.interval}`} featured>
          Every module for each rep, plus the team report, assignments with due dates and recognition.
        </TeaserCard>
      </ul>
      <p className="teaser-more">
        <Link to="/pricing">Compare plans and prices</Link>
      </p>
    </section>
  );
}

/** TeaserCard is one plan in the teaser; the price shows once the plans have loaded. */
function TeaserCard(props: { name: string; price?: string; per?: string; featured?: boolean; children: ReactNode }) {
  return (
    <li className={props.featured ? 'teaser-card teaser-team' : 'teaser-card'}>
      <h3>{props.name}</h3>
      <p className="teaser-price">
        {props.price ?? '…'}
        {props.per && <span className="per"> {props.per}</span>}
      </p>
      <p>{props.children}</p>
    </li>
  );
}
