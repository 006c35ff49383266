import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError } from '../api/client';

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: ReactNode };

/** Field is a labelled input with its hint and error wired up for screen readers. */
export function Field({ label, error, hint, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** FormError shows a request's overall error, announced politely. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const msg = error instanceof ApiError ? messageFor(error) : 'Something went wrong. Please try again.';
  return (
    <div className="alert alert-error" role="alert">
      {msg}
    </div>
  );
}

function messageFor(e: ApiError): string {
  if (e.status === 422 && e.fields.length > 0) return 'Please correct the highlighted fields.';
  if (e.status === 429) return 'Too many attempts. Please wait a few minutes and try again.';
  return e.detail;
}

export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(name) : undefined;
}
