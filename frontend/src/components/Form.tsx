import { useId, useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { ApiError, OFFLINE_MESSAGE } from '../api/client';

/** Messages overrides what a field says when a native constraint fails, per ValidityState key. */
export type Messages = Partial<Record<'valueMissing' | 'typeMismatch' | 'tooShort' | 'tooLong' | 'rangeUnderflow' | 'rangeOverflow' | 'patternMismatch' | 'stepMismatch', string>>;

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** nativeMessage turns a control's failed constraint into a sentence a customer can read. */
export function nativeMessage(el: Control, messages: Messages = {}): string {
  const v = el.validity;
  const input = el instanceof HTMLInputElement ? el : null;
  const mine = (Object.keys(messages) as (keyof Messages)[]).find((k) => v[k]);
  if (mine) return messages[mine]!;
  if (v.valueMissing) return el instanceof HTMLSelectElement ? 'Please choose an option.' : 'Please fill in this field.';
  if (v.typeMismatch && input?.type === 'email') return 'Enter a valid e-mail address, such as name@company.com.';
  if (v.typeMismatch) return 'Please check the format of this field.';
  if (v.tooShort) return `Use at least ${input?.minLength ?? (el as HTMLTextAreaElement).minLength} characters.`;
  if (v.tooLong) return `Use at most ${input?.maxLength ?? (el as HTMLTextAreaElement).maxLength} characters.`;
  if (v.rangeUnderflow) return input?.type === 'date' ? 'Choose a later date.' : `Enter ${input?.min} or more.`;
  if (v.rangeOverflow) return input?.type === 'date' ? 'Choose an earlier date.' : `Enter ${input?.max} or less.`;
  if (v.stepMismatch) return 'Enter a whole number.';
  if (v.badInput) return input?.type === 'number' ? 'Enter a number.' : 'Please check this field.';
  return el.validationMessage || 'Please check this field.';
}

type Extras = { label: string; error?: string; hint?: ReactNode; messages?: Messages };

/** useFieldWiring gives a control its id, its inline message and the ARIA that ties them
 *  together. Native constraints set the message when the form is checked (the `invalid` event),
 *  update it as the person types and clear it once the value is valid; a server error wins. */
function useFieldWiring<E extends Control>({ error, hint, messages }: Extras, givenId: string | undefined, onChange?: (e: ChangeEvent<E>) => void) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const [native, setNative] = useState('');
  const shown = error || native;
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = shown ? `${id}-err` : undefined;
  const control = {
    id,
    'aria-invalid': shown ? true : undefined,
    'aria-describedby': [hintId, errId].filter(Boolean).join(' ') || undefined,
    onInvalid: (e: FormEvent<E>) => {
      e.preventDefault(); // our inline message replaces the browser's bubble
      setNative(nativeMessage(e.currentTarget, messages));
    },
    onChange: (e: ChangeEvent<E>) => {
      if (native) setNative(e.currentTarget.validity.valid ? '' : nativeMessage(e.currentTarget, messages));
      onChange?.(e);
    },
  };
  return { control, shown, hintId, errId };
}

/** FieldFrame lays out a label, its control, the hint and the inline message. */
function FieldFrame({ label, hint, id, hintId, errId, shown, children }: { label: string; hint?: ReactNode; id: string; hintId?: string; errId?: string; shown?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={hintId} aria-live="polite">
          {hint}
        </p>
      )}
      {shown && (
        <p className="field-error" id={errId}>
          {shown}
        </p>
      )}
    </div>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & Extras;

/** Field is a labelled input with its hint and error wired up for screen readers. Native
 *  constraints (required, type=email, minLength, min/max) are checked in the browser by
 *  validateForm and shown inline, in our words; a server error for the field wins over them. */
export function Field({ label, error, hint, messages, onChange, id, ...input }: FieldProps) {
  const w = useFieldWiring<HTMLInputElement>({ label, error, hint, messages }, id, onChange);
  return (
    <FieldFrame label={label} hint={hint} id={w.control.id} hintId={w.hintId} errId={w.errId} shown={w.shown}>
      <input {...input} {...w.control} />
    </FieldFrame>
  );
}

type TextAreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & Extras;

/** TextArea is Field for several lines of text. */
export function TextArea({ label, error, hint, messages, onChange, id, ...area }: TextAreaProps) {
  const w = useFieldWiring<HTMLTextAreaElement>({ label, error, hint, messages }, id, onChange);
  return (
    <FieldFrame label={label} hint={hint} id={w.control.id} hintId={w.hintId} errId={w.errId} shown={w.shown}>
      <textarea {...area} {...w.control} />
    </FieldFrame>
  );
}

/** validateForm checks a form's native constraints before it is sent (the server checks again).
 *  Every invalid field shows its inline message and the first one gets focus; false means stop.
 *  Forms keep `noValidate`, so the browser's own bubbles never replace our messages. */
export function validateForm(e: FormEvent | HTMLFormElement): boolean {
  const form = e instanceof HTMLFormElement ? e : (e.currentTarget as HTMLFormElement);
  if (form.checkValidity()) return true;
  form.querySelector<HTMLElement>(':invalid:not(fieldset)')?.focus();
  return false;
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
  if (e.status === 422 && e.fields.length > 0) return 'Some details need attention. Please check the highlighted fields.';
  if (e.status === 429) return 'Too many attempts. Please wait a few minutes and try again.';
  if (e.status === 0) return OFFLINE_MESSAGE;
  return e.detail;
}

export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(name) : undefined;
}
