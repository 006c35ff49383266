import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { competencyName } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

import { api } from '../api/client';
import type { Schemas } from '../api/types';
import { useAssessmentStats } from './queries';

type ItemStat = Schemas['AssessmentStats']['items'][number];

const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));

/** alphaWords puts a reliability coefficient into the words instructors use for it. */
export function alphaWords(alpha: number): { word: string; tone: 'good' | 'ok' | 'weak' } {
  if (alpha >= 0.8) return { word: 'Good', tone: 'good' };
  if (alpha >= 0.7) return { word: 'Acceptable', tone: 'ok' };
  if (alpha >= 0.6) return { word: 'Questionable', tone: 'weak' };
  return { word: 'Poor', tone: 'weak' };
}

const typeWords: Record<ItemStat['type'], string> = { likert: 'Statement (1–5)', sjt: 'Scenario', choice: 'Question' };
const scaleOf: Record<ItemStat['type'], string> = { likert: 'of 5', sjt: 'of 100', choice: 'correct' };
const SHORT = 110;

const flagWords: Record<ItemStat['flags'][number], string> = { low_item_rest_r: 'Weak fit', ceiling: 'Ceiling' };

/** AssessmentStats is the instrument's psychometric report for instructors: reliability of each
 *  competency (both halves and the composite), the practice effect, and item statistics with the
 *  flags explained, plus the pseudonymised responses as a CSV to check it all independently. */
export function AssessmentStats() {
  const { slug = 'sales-eq-profile' } = useParams();
  usePageTitle('Assessment statistics');
  const q = useAssessmentStats(slug);
  const [csvError, setCsvError] = useState<unknown>(null);
  const s = q.data;
  const flagged = s?.items.filter((i) => i.flags.length > 0).length ?? 0;
  const name = (key: string) => s?.competencies.find((c) => c.competency === key)?.name || competencyName(key);
  const downloadCsv = async () => {
    setCsvError(null);
    try {
      const text = await api.text('/api/v1/studio/assessments/{slug}/responses.csv', { params: { path: { slug } }, headers: { Accept: 'text/csv' } });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${slug}-responses.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setCsvError(e);
    }
  };
  return (
    <div className="container page">
      <p>
        <Link to="/studio">← Studio</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>Assessment statistics</h1>
          <p className="muted">How reliable each competency’s score is, how much retaking alone moves it, and how each item behaves in learners’ baselines.</p>
        </div>
        <button type="button" className="button button-secondary" onClick={downloadCsv} disabled={!s}>
          Download CSV
        </button>
      </div>
      <FormError error={q.error ?? csvError} />
      {!s && !q.error && <p aria-busy="true">Loading the statistics…</p>}
      {s && (
        <>
          <dl className="facts stats-facts">
            <div><dt>Version</dt><dd>v{s.version}</dd></div>
            <div><dt>Baselines</dt><dd>{s.baselines}</dd></div>
            <div><dt>Items</dt><dd>{s.items.length}</dd></div>
            <div><dt>Flagged for review</dt><dd>{flagged}</dd></div>
          </dl>
          <p className="muted small">
            The CSV has one row per submitted attempt: a pseudonym that stays the same for a learner (never a name, e-mail or id),
            the kind of attempt, when it was submitted, every statement scored 1–5 after reverse keying and every scenario scored
            0–100. Every number on this page can be recomputed from it in R or a spreadsheet.
          </p>

          <h2 className="section-title-sm">Reliability of each competency</h2>
          <div className="stats-hint" id="alpha-hint">
            <p>
              A competency’s score is half self-rating (the statements) and half judgement (the scenarios). <strong>α statements</strong>{' '}
              and <strong>α scenarios</strong> are Cronbach’s alpha of each half; <strong>α composite</strong> is the stratified alpha of
              the combined score, the one that matters for growth. About <strong>0.70</strong> is acceptable for following a learner’s
              growth, <strong>0.80</strong> or more is good.
            </p>
            <p>
              <strong>SEM</strong> (standard error of measurement) is how far a single score typically sits from the learner’s true
              score: SD × √(1 − α composite). Growth counts as significant when it exceeds 1.96 × √2 × SEM after the practice effect is
              taken off. Until {s.min_n} learners have a baseline, Rapport uses starting values (α 0.80, SD 15) instead of the sample’s.
            </p>
            <p>
              <strong>Practice effect</strong> is the average change of learners who completed no lesson between their baseline and
              their next check-in: what retaking the same items does on its own. It is subtracted before growth is judged, using the
              configured starting value until {s.min_n} such learners exist.
            </p>
          </div>
          <table className="table table-stack">
            <caption className="visually-hidden">Reliability of each competency’s score</caption>
            <thead>
              <tr>
                <th scope="col">Competency</th>
                <th scope="col">Mean (0–100)</th>
                <th scope="col">α statements</th>
                <th scope="col">α scenarios</th>
                <th scope="col">α composite</th>
                <th scope="col">SD</th>
                <th scope="col">SEM used</th>
                <th scope="col">Practice effect</th>
              </tr>
            </thead>
            <tbody>
              {s.competencies.map((c) => {
                const w = c.alpha_composite === null ? null : alphaWords(c.alpha_composite);
                const pe = c.practice_effect;
                return (
                  <tr key={c.competency}>
                    <th scope="row" data-label="Competency">
                      {c.name || competencyName(c.competency)}
                      <span className="muted small stats-n"> n = {c.n}</span>
                    </th>
                    <td data-label="Mean (0–100)">{c.mean === null ? 'No baselines yet' : fmt(c.mean, 1)}</td>
                    <td data-label="α statements">{fmt(c.alpha_likert)}</td>
                    <td data-label="α scenarios">{fmt(c.alpha_sjt)}</td>
                    <td data-label="α composite" aria-describedby="alpha-hint">
                      <span>
                        <span className="alpha-value">{fmt(c.alpha_composite)}</span>{' '}
                        {w && <span className={`badge alpha-${w.tone}`}>{w.word}</span>}
                      </span>
                    </td>
                    <td data-label="SD">{c.n < 2 ? '–' : fmt(c.sd, 1)}</td>
                    <td data-label="SEM used">
                      {fmt(c.sem, 1)}{' '}
                      {c.source === 'prior' && <span className="badge badge-muted">Starting value</span>}
                    </td>
                    <td data-label="Practice effect">
                      {pe.effect >= 0 ? '+' : ''}
                      {fmt(pe.effect, 1)}{' '}
                      <span className="muted small">
                        {pe.source === 'sample' ? `from ${pe.n} learners` : `starting value (${pe.n} of ${s.min_n} learners${pe.sample === null ? '' : `, who moved ${fmt(pe.sample, 1)}`})`}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          <h2 className="section-title-sm stats-items-title">
            Items {flagged > 0 && <span className="badge badge-premium">{flagged} flagged</span>}
          </h2>
          <div className="stats-hint">
            <p>
              Mean and SD are on each item’s scored scale: 1–5 for statements (after reverse keying), 0–100 for scenarios, the share
              of correct answers for questions. <strong>Item-rest r</strong> is how closely an item agrees with the other items of the
              same half of its competency. <strong>At ceiling</strong> is the share of learners who gave the best possible answer.
            </p>
            <p>
              <strong>Weak fit</strong> flags an item-rest r below {fmt(s.flag_item_rest_r_below)}: the item measures something other
              than the rest of its competency, or is read in different ways; reword or replace it. <strong>Ceiling</strong> flags more
              than {fmt(s.flag_ceiling_pct_above, 0)}% at the best answer: the item is too easy to tell good from great, and leaves no
              room to show growth; make its near-miss options closer to the best one.
              {s.baselines < s.min_n && ` With ${s.baselines} ${s.baselines === 1 ? 'baseline' : 'baselines'} so far these numbers still move a lot: read the flags as hints until ${s.min_n} learners have answered.`}
            </p>
          </div>
          {s.competencies.map((c) => {
            const items = s.items.filter((i) => i.competency === c.competency);
            if (items.length === 0) return null;
            return (
              <section key={c.competency} className="stats-group" aria-labelledby={`items-${c.competency}`}>
                <h3 id={`items-${c.competency}`}>{name(c.competency)}</h3>
                <table className="table table-stack stats-items">
                  <caption className="visually-hidden">Items of {name(c.competency)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Item</th>
                      <th scope="col">Type</th>
                      <th scope="col">n</th>
                      <th scope="col">Mean</th>
                      <th scope="col">SD</th>
                      <th scope="col">Item-rest r</th>
                      <th scope="col">At ceiling</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => {
                      const low = i.flags.includes('low_item_rest_r');
                      const ceil = i.flags.includes('ceiling');
                      return (
                        <tr key={i.id} className={i.flags.length > 0 ? 'row-flagged' : undefined}>
                          <td data-label="Item" className="item-cell">
                            <ItemText text={i.text} />
                            <span className="item-meta">
                              <span className="mono">{i.id}</span>
                              {i.reverse && <span className="badge badge-muted">Reverse-keyed</span>}
                              {i.flags.map((f) => (
                                <span key={f} className="badge badge-premium">{flagWords[f]}</span>
                              ))}
                            </span>
                          </td>
                          <td data-label="Type">{typeWords[i.type]}</td>
                          <td data-label="n">{i.n}</td>
                          <td data-label="Mean">
                            {i.n === 0 ? '–' : i.type === 'choice' ? `${fmt(i.mean, 0)}%` : <span>{fmt(i.mean)} <span className="muted small">{scaleOf[i.type]}</span></span>}
                          </td>
                          <td data-label="SD">{i.n < 2 ? '–' : fmt(i.sd)}</td>
                          <td data-label="Item-rest r">{low ? <strong>{fmt(i.item_rest_r)}</strong> : fmt(i.item_rest_r)}</td>
                          <td data-label="At ceiling">{i.n === 0 ? '–' : ceil ? <strong>{fmt(i.ceiling_pct, 0)}%</strong> : `${fmt(i.ceiling_pct, 0)}%`}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}

/** ItemText shows an item's prompt, shortened when long, with a button for the full text. */
function ItemText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (text.length <= SHORT) return <span className="item-text">{text}</span>;
  const short = text.slice(0, text.lastIndexOf(' ', SHORT)).replace(/[\s,.;:]+$/, '') + '…';
  return (
    <span className="item-text">
      {open ? text : short}{' '}
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Show less' : 'Show full text'}
      </button>
    </span>
  );
}
