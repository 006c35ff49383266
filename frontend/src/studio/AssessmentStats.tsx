import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { competencyName } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

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

/** AssessmentStats shows instructors item and scale statistics in words, flagging weak items. */
export function AssessmentStats() {
  const { slug = 'sales-eq-profile' } = useParams();
  usePageTitle('Assessment statistics');
  const q = useAssessmentStats(slug);
  const s = q.data;
  const flagged = s?.items.filter((i) => i.flagged).length ?? 0;
  const name = (key: string) => s?.competencies.find((c) => c.competency === key)?.name || competencyName(key);
  return (
    <div className="container page">
      <p>
        <Link to="/studio">← Studio</Link>
      </p>
      <h1>Assessment statistics</h1>
      <p className="muted">How learners answered each item of their baseline, and how reliable each competency’s scale is.</p>
      <FormError error={q.error} />
      {!s && !q.error && <p aria-busy="true">Loading the statistics…</p>}
      {s && (
        <>
          <dl className="facts stats-facts">
            <div><dt>Version</dt><dd>v{s.version}</dd></div>
            <div><dt>Baselines</dt><dd>{s.baselines}</dd></div>
            <div><dt>Items</dt><dd>{s.items.length}</dd></div>
            <div><dt>Flagged for review</dt><dd>{flagged}</dd></div>
          </dl>

          <h2 className="section-title-sm">Scales</h2>
          <div className="stats-hint" id="alpha-hint">
            <p>
              <strong>Alpha</strong> (Cronbach’s α) tells how consistently a competency’s statements measure the same skill, from 0 to 1.
              About <strong>0.70</strong> is acceptable for following a learner’s growth; <strong>0.80</strong> or more is good. Until 30
              learners have a baseline, Rapport uses a starting value of 0.80 instead of the sample’s own.
            </p>
            <p>
              <strong>Mean</strong> is the average baseline score of the competency, 0 to 100.
            </p>
          </div>
          <table className="table table-stack">
            <caption className="visually-hidden">Reliability of each competency’s scale</caption>
            <thead>
              <tr>
                <th scope="col">Competency</th>
                <th scope="col">Mean (0–100)</th>
                <th scope="col">Alpha</th>
                <th scope="col">Based on</th>
              </tr>
            </thead>
            <tbody>
              {s.competencies.map((c) => {
                const w = alphaWords(c.alpha);
                return (
                  <tr key={c.competency}>
                    <th scope="row" data-label="Competency">{c.name || competencyName(c.competency)}</th>
                    <td data-label="Mean (0–100)">{c.mean === null ? 'No baselines yet' : fmt(c.mean, 0)}</td>
                    <td data-label="Alpha" aria-describedby="alpha-hint">
                      <span>
                        <span className="alpha-value">{fmt(c.alpha)}</span>{' '}
                        {c.alpha_source === 'sample' ? <span className={`badge alpha-${w.tone}`}>{w.word}</span> : <span className="badge badge-muted">Starting value</span>}
                      </span>
                    </td>
                    <td data-label="Based on">
                      {c.alpha_source === 'sample' ? `${c.n} learners’ answers` : `${c.n} of the 30 baselines it needs`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          <h2 className="section-title-sm stats-items-title">
            Items {flagged > 0 && <span className="badge badge-premium">{flagged} flagged</span>}
          </h2>
          <p className="muted">
            Mean and SD are on each item’s own scale: 1–5 for statements (after reverse keying), 0–100 for scenarios, the share of
            correct answers for questions. Item-rest r is how closely an item agrees with the competency’s other items; below{' '}
            {fmt(s.flag_below)} it is flagged for review.
            {s.baselines < 30 && ` With ${s.baselines} ${s.baselines === 1 ? 'baseline' : 'baselines'} so far these numbers still move a lot: read the flags as hints until 30 learners have answered.`}
          </p>
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
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => (
                      <tr key={i.id} className={i.flagged ? 'row-flagged' : undefined}>
                        <td data-label="Item" className="item-cell">
                          <ItemText text={i.text} />
                          <span className="item-meta">
                            <span className="mono">{i.id}</span>
                            {i.reverse && <span className="badge badge-muted">Reverse-keyed</span>}
                            {i.flagged && <span className="badge badge-premium">Review</span>}
                          </span>
                        </td>
                        <td data-label="Type">{typeWords[i.type]}</td>
                        <td data-label="n">{i.n}</td>
                        <td data-label="Mean">
                          {i.n === 0 ? '–' : i.type === 'choice' ? `${fmt(i.mean, 0)}%` : <span>{fmt(i.mean)} <span className="muted small">{scaleOf[i.type]}</span></span>}
                        </td>
                        <td data-label="SD">{i.n === 0 ? '–' : fmt(i.sd)}</td>
                        <td data-label="Item-rest r">{i.flagged ? <strong>{fmt(i.item_total_r)}</strong> : fmt(i.item_total_r)}</td>
                      </tr>
                    ))}
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
