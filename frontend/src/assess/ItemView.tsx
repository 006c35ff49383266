import { useId } from 'react';
import { optionText, type Answer, type Item, type Option } from './types';

const defaultLabels = ['Very inaccurate', 'Moderately inaccurate', 'Neither', 'Moderately accurate', 'Very accurate'];
const effect = ['Very ineffective', 'Ineffective', 'Neutral', 'Effective', 'Very effective'];

type Props = { item: Item; value: unknown; labels?: string[]; onChange: (v: Answer) => void };

/** ItemView renders one item as native radio groups, so it is fully usable by keyboard. */
export function ItemView({ item, value, labels, onChange }: Props) {
  if (item.type === 'likert') {
    const ls = labels && labels.length === 5 ? labels : item.options.length === 5 ? item.options.map(optionText) : defaultLabels;
    return <Scale legend={item.prompt} labels={ls} value={value as number | undefined} onChange={onChange} className="likert" />;
  }
  if (item.type === 'choice') {
    return <Choice item={item} value={value as string | undefined} onChange={onChange} />;
  }
  const ratings = Array.isArray(value) ? (value as number[]) : [];
  return (
    <div className="sjt">
      <p className="scenario">{item.prompt}</p>
      {(item.options as Option[]).map((o, i) => (
        <Scale
          key={o.id}
          legend={o.text}
          labels={effect}
          numbered
          value={ratings[i] || undefined}
          onChange={(v) => {
            const next = item.options.map((_, j) => (j === i ? (v as number) : ratings[j] ?? 0));
            onChange(next);
          }}
          className="sjt-option"
        />
      ))}
    </div>
  );
}

function Scale({ legend, labels, value, onChange, className, numbered }: {
  legend: string; labels: string[]; value: number | undefined; onChange: (v: number) => void; className: string; numbered?: boolean;
}) {
  const name = useId();
  return (
    <fieldset className={`scale ${className}`}>
      <legend>{legend}</legend>
      <div className="scale-options">
        {labels.map((l, i) => (
          <label key={l} className={value === i + 1 ? 'scale-option selected' : 'scale-option'}>
            <input type="radio" name={name} value={i + 1} checked={value === i + 1} onChange={() => onChange(i + 1)} />
            <span className="scale-num" aria-hidden="true">{i + 1}</span>
            <span className={numbered ? 'scale-label visually-hidden-sm' : 'scale-label'}>{l}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Choice({ item, value, onChange }: { item: Item; value: string | undefined; onChange: (v: string) => void }) {
  const name = useId();
  return (
    <fieldset className="scale choice">
      <legend>{item.prompt}</legend>
      {(item.options as Option[]).map((o) => (
        <label key={o.id} className="check">
          <input type="radio" name={name} checked={value === o.id} onChange={() => onChange(o.id)} />
          {o.text}
        </label>
      ))}
    </fieldset>
  );
}
