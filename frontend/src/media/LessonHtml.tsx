import { useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Transcript } from './Transcript';

type Host = { node: HTMLElement; video: HTMLVideoElement; src: string };

/** LessonHtml shows sanitised lesson HTML (the reader and the Studio preview alike, so the preview
 *  is what learners see) and gives each captioned video its transcript toggle. */
export function LessonHtml({ html, className, ...rest }: { html: string; className?: string; 'aria-labelledby'?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [hosts, setHosts] = useState<Host[]>([]);

  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    const found: Host[] = [];
    root.querySelectorAll('video').forEach((video) => {
      const track = video.querySelector<HTMLTrackElement>('track[kind="captions"], track[kind="subtitles"]');
      const src = track?.getAttribute('src');
      if (!src) return;
      const node = document.createElement('div');
      node.className = 'transcript-host';
      // After the figure that wraps the video when there is one, so the toggle sits below it.
      const anchor = video.parentElement?.tagName === 'FIGURE' ? video.parentElement : video;
      anchor.after(node);
      found.push({ node, video, src });
    });
    setHosts(found);
    return () => found.forEach((h) => h.node.remove());
  }, [html]);

  return (
    <>
      <div ref={ref} className={className} {...rest} dangerouslySetInnerHTML={{ __html: html }} />
      {hosts.map((h, i) => createPortal(<Transcript video={h.video} src={h.src} />, h.node, `t${i}-${h.src}`))}
    </>
  );
}
