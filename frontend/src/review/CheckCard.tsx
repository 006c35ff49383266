import { useId, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { Schemas } from '../api/types';
import { FormError } from '../components/Form';
import { answerSeconds } from './format';
import { useAnswerCheck } from './queries';

type Check = Schemas['Check'];
type Result = Schemas['CheckAnswerResult'];

/** CheckCard is one knowledge check: a labelled group of radio options (arrow keys move between
 *  them), an answer button, then instant feedback: right or not, why the chosen option is right
 *  or wrong, and the right answer. Signed-out readers see the question and a way to sign up. */
export function CheckCard({
  check,
  signedIn = true,
  heading,
  onAnswered,
}: {
  check: Check;
  signedIn?: boolean;
  heading?: string;
  onAnswered?: (r: Result) => void;
}) {
  const id = useId();
  const location = useLocation();
  const started = useRef(Date.now());
  const [choice, setChoice] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [missing, setMissing] = useState(false);
  const answer = useAnswerCheck();
  const feedbackRef = useRef<HTMLDivElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setMissing(true);
      return;
    }
    answer.mutate(
      { id: check.id, optionID: choice, seconds: answerSeconds(started.current) },
      {
        onSuccess: (r) => {
          setResult(r);
          onAnswered?.(r);
          // Move focus to the feedback so keyboard and screen-reader users hear it first.
          requestAnimationFrame(() => feedbackRef.current?.focus());
        },
      },
    );
  };
  const correctText = result ? check.options.find((o) => o.id === result.correct_option_id)?.text : undefined;

  return (
    <form className="check-card" onSubmit={submit} aria-labelledby={`${id}-q`} data-check={check.id}>
      {heading && <p className="eyebrow">{heading}</p>}
      <fieldset disabled={!!result || answer.isPending} aria-describedby={missing ? `${id}-missing` : undefined}>
        <legend id={`${id}-q`} className="check-prompt">
          {check.prompt}
        </legend>
        <div className="check-options">
          {check.options.map((o) => {
            const state = result
              ? o.id === result.correct_option_id
                ? 'right'
                : o.id === choice
                  ? 'wrong'
                  : ''
              : '';
            return (
              <label key={o.id} className={`check-option ${state}`.trim()}>
                <input
                  type="radio"
                  name={`${id}-option`}
                  value={o.id}
                  checked={choice === o.id}
                  onChange={() => {
                    setChoice(o.id);
                    setMissing(false);
                  }}
                />
                <span>{o.text}</span>
                {state === 'right' && <span className="check-mark">Right answer</span>}
                {state === 'wrong' && <span className="check-mark">Your answer</span>}
              </label>
            );
          })}
        </div>
      </fieldset>
      {missing && (
        <p id={`${id}-missing`} className="field-error" role="alert">
          Choose an answer first.
        </p>
      )}
      <FormError error={answer.error} />
      {result ? (
        <div ref={feedbackRef} tabIndex={-1} className={result.correct ? 'check-feedback right' : 'check-feedback wrong'} role="status">
          <p className="check-verdict">{result.correct ? 'Right.' : 'Not quite.'}</p>
          <p>{result.explanation}</p>
          {!result.correct && correctText && (
            <p>
              <strong>The better answer:</strong> {correctText}
            </p>
          )}
        </div>
      ) : signedIn ? (
        <button type="submit" className="button button-secondary" disabled={answer.isPending}>
          {answer.isPending ? 'Checking…' : 'Check my answer'}
        </button>
      ) : (
        <p className="muted">
          <Link to="/signup" state={{ from: location.pathname }}>
            Create a free account
          </Link>{' '}
          to check your answers and review them later.
        </p>
      )}
    </form>
  );
}
