import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

export type PlayerHandle = {
  /** currentTime is where playback is, in seconds. */
  currentTime: () => number;
  /** seek moves playback to a second and focuses the player, so the keyboard can play from there. */
  seek: (seconds: number) => void;
};

type Props = { src: string; kind: 'video' | 'audio'; label: string; onTime?: (seconds: number) => void };

/** Player plays a recording. Browsers write WebM from MediaRecorder without a duration, so the
 *  element reports Infinity and cannot seek until it has read to the end once: on load the player
 *  jumps far past the end, learns the real duration, and comes back to the start. */
export const Player = forwardRef<PlayerHandle, Props>(function Player({ src, kind, label, onTime }, ref) {
  const el = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const probing = useRef(false);

  useImperativeHandle(ref, () => ({
    currentTime: () => el.current?.currentTime ?? 0,
    seek: (seconds: number) => {
      const m = el.current;
      if (!m) return;
      m.currentTime = Math.max(0, seconds);
      m.focus();
    },
  }));

  useEffect(() => {
    const m = el.current;
    if (!m) return;
    const onMeta = () => {
      if (m.duration === Infinity || Number.isNaN(m.duration)) {
        probing.current = true;
        m.currentTime = 1e9;
      }
    };
    const onDuration = () => {
      if (probing.current && Number.isFinite(m.duration)) {
        probing.current = false;
        m.currentTime = 0;
      }
    };
    const onUpdate = () => {
      if (!probing.current) onTime?.(m.currentTime);
    };
    m.addEventListener('loadedmetadata', onMeta);
    m.addEventListener('durationchange', onDuration);
    m.addEventListener('timeupdate', onUpdate);
    return () => {
      m.removeEventListener('loadedmetadata', onMeta);
      m.removeEventListener('durationchange', onDuration);
      m.removeEventListener('timeupdate', onUpdate);
    };
  }, [src, onTime]);

  return kind === 'video' ? (
    <video ref={el} className="practice-player" src={src} controls playsInline preload="metadata" aria-label={label} />
  ) : (
    <audio ref={el} className="practice-player practice-player-audio" src={src} controls preload="metadata" aria-label={label} />
  );
});
