import { lineDiff } from './compare';

/** LineDiff shows the Markdown changes of one lesson, published version against draft: removed
 *  lines struck through, added lines underlined, each also marked with a sign and words for
 *  screen readers, so the colour is never the only cue. */
export function LineDiff({ published, draft, label }: { published: string; draft: string; label: string }) {
  const blocks = lineDiff(published, draft);
  return (
    <div className="diff" role="group" aria-label={label}>
      {blocks.map((b, i) =>
        b.kind === 'skip' ? (
          <div className="diff-skip" key={i}>
            {b.count === 1 ? '1 unchanged line' : `${b.count} unchanged lines`}
          </div>
        ) : (
          b.lines.map((l, j) => (
            <div className={`diff-line diff-${l.kind}`} key={`${i}-${j}`}>
              <span className="diff-no" aria-hidden="true">{l.kind === 'add' ? '' : l.oldNo}</span>
              <span className="diff-no" aria-hidden="true">{l.kind === 'del' ? '' : l.newNo}</span>
              <span className="diff-sign" aria-hidden="true">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ''}</span>
              {l.kind === 'add' ? (
                <ins className="diff-text"><span className="visually-hidden">Added: </span>{l.text || ' '}</ins>
              ) : l.kind === 'del' ? (
                <del className="diff-text"><span className="visually-hidden">Removed: </span>{l.text || ' '}</del>
              ) : (
                <span className="diff-text">{l.text || ' '}</span>
              )}
            </div>
          ))
        ),
      )}
    </div>
  );
}
