import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

type Props<T> = {
  label: string;
  /** query is the text in the box; onQuery is called as the user types (selection is cleared). */
  query: string;
  onQuery: (q: string) => void;
  /** options are the suggestions for the current query (the caller fetches them). */
  options: T[];
  loading?: boolean;
  optionKey: (o: T) => string;
  renderOption: (o: T) => ReactNode;
  onSelect: (o: T) => void;
  /** selected is true while the box holds a chosen option: no suggestions are shown then. */
  selected?: boolean;
  /** emptyText is read when the query matches nothing. */
  emptyText: string;
  hint?: ReactNode;
  error?: string;
  placeholder?: string;
};

/** Combobox is a search box with a list of suggestions (the WAI-ARIA 1.2 combobox pattern):
 *  typing filters, Down and Up move through the suggestions, Enter chooses, Escape closes.
 *  Focus stays in the box; the active suggestion is announced through aria-activedescendant. */
export function Combobox<T>(p: Props<T>) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = `${id}-list`;
  const hintId = p.hint ? `${id}-hint` : undefined;
  const errId = p.error ? `${id}-err` : undefined;
  const shown = open && !p.selected && (p.options.length > 0 || (!p.loading && p.query.trim() !== ''));

  const choose = (o: T) => {
    p.onSelect(o);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const n = p.options.length;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      if (n > 0) setActive((a) => (a + 1) % n);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      if (n > 0) setActive((a) => (a <= 0 ? n - 1 : a - 1));
    } else if (e.key === 'Enter' && open && active >= 0 && active < n) {
      e.preventDefault();
      choose(p.options[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="field combobox">
      <label htmlFor={id}>{p.label}</label>
      <div className="combobox-anchor">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          placeholder={p.placeholder}
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={listId}
          aria-activedescendant={shown && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-invalid={p.error ? true : undefined}
          aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
          value={p.query}
          onChange={(e) => {
            p.onQuery(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label={`${p.label} suggestions`} className="combobox-list" hidden={!shown}>
          {p.options.map((o, i) => (
            <li
              key={p.optionKey(o)}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'combobox-option active' : 'combobox-option'}
              // mousedown keeps focus in the box (a blur would close the list before the click).
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(o)}
              onMouseEnter={() => setActive(i)}
            >
              {p.renderOption(o)}
            </li>
          ))}
          {p.options.length === 0 && <li className="combobox-empty" role="option" aria-disabled="true" aria-selected={false}>{p.emptyText}</li>}
        </ul>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {shown ? (p.options.length === 0 ? p.emptyText : `${p.options.length} suggestion${p.options.length === 1 ? '' : 's'}. Use the arrow keys to choose.`) : ''}
      </p>
      {p.hint && <p className="hint" id={hintId}>{p.hint}</p>}
      {p.error && <p className="field-error" id={errId}>{p.error}</p>}
    </div>
  );
}
