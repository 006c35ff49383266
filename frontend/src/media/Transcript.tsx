import { useEffect, useId, useState } from 'react';
import { currentAccessToken } from '../api/client';
import { clock, parseVTT, spoken, type Cue } from './vtt';

type Load = { state: 'idle' | 'loading' } | { state: 'ready'; cues: Cue[] } | { state: 'failed' };

/** Transcript is the "Show transcript" toggle under a captioned video: the captions file's cues as
 *  text, each with a timestamp that moves the video there. The cue being played is marked. */
export function Transcript({ video, src }: { video: HTMLVideoElement; src: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [load, setLoad] = useState<Load>({ state: 'idle' });
  const [now, setNow] = useState(0);

  useEffect(() => {
    if (!open || load.state !== 'idle') return;
    setLoad({ state: 'loading' });
    const token = currentAccessToken();
    fetch(src, { credentials: 'same-origin', headers: token ? { Authorization: `Bearer ${token}` } : undefined })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((text) => setLoad({ state: 'ready', cues: parseVTT(text) }))
      .catch(() => setLoad({ state: 'failed' }));
  }, [open, load.state, src]);

  useEffect(() => {
    if (!open) return;
    const tick = () => setNow(video.currentTime);
    video.addEventListener('timeupdate', tick);
    video.addEventListener('seeked', tick);
    return () => {
      video.removeEventListener('timeupdate', tick);
      video.removeEventListener('seeked', tick);
    };
  }, [open, video]);

  const seek = (t: number) => {
    video.currentTime = t;
    setNow(t);
  };

  return (
    <div className="transcript">
      <button type="button" className="button button-secondary button-small" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide transcript' : 'Show transcript'}
      </button>
      <div id={`${id}-body`} hidden={!open} className="transcript-body">
        {load.state === 'loading' && <p className="small muted" aria-busy="true">Loading the transcript…</p>}
        {load.state === 'failed' && <p className="small" role="alert">The transcript couldn’t be loaded. Captions are still available in the player.</p>}
        {load.state === 'ready' && load.cues.length === 0 && <p className="small muted">These captions have no text yet.</p>}
        {load.state === 'ready' && load.cues.length > 0 && (
          <ol className="transcript-cues" aria-label="Transcript">
            {load.cues.map((c, i) => {
              const on = now >= c.start && now < c.end;
              return (
                <li key={i} className={on ? 'cue cue-on' : 'cue'} aria-current={on ? 'true' : undefined}>
                  <button type="button" className="cue-time" onClick={() => seek(c.start)} aria-label={`Play from ${spoken(c.start)}`}>
                    {clock(c.start)}
                  </button>
                  <span className="cue-text">{c.text}</span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </div>
  );
}
