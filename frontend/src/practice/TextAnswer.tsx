import { useId } from 'react';

export const TEXT_MAX = 5000;

type Props = {
  value: string;
  onChange: (v: string) => void;
  label: string;
  hint: string;
  error?: string;
  disabled?: boolean;
};

/** TextAnswer is the written response: 1-5000 characters with a running count. */
export function TextAnswer({ value, onChange, label, hint, error, disabled }: Props) {
  const id = useId();
  const used = value.length;
  const near = used > TEXT_MAX - 250;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="practice-text"
        rows={10}
        maxLength={TEXT_MAX}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-count${error ? ` ${id}-err` : ''}`}
      />
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {/* Announced only near the limit, so typing is not interrupted by every keystroke's count. */}
      <p className={near ? 'hint practice-count practice-count-near' : 'hint practice-count'} id={`${id}-count`} aria-live={near ? 'polite' : 'off'}>
        {used.toLocaleString()} / {TEXT_MAX.toLocaleString()} characters
      </p>
      {error && (
        <p className="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}
