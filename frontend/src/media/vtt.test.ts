import { describe, expect, it } from 'vitest';
import { clock, parseTimestamp, parseVTT, spoken } from './vtt';

describe('parseVTT', () => {
  it('reads cues, skipping notes and styles, and strips markup', () => {
    const src = '\uFEFFWEBVTT - demo\r\n\r\nNOTE a note\r\n--> not a cue\r\n\r\nSTYLE\n::cue { color: red }\n\n1\n00:00.000 --> 00:01.500 align:start\n<v Dana>Hello &amp; welcome</v>\n\n00:00:01.500 --> 00:00:03.000\nLine one\n<i>line two</i>\n\nbroken --> 00:04.000\nskipped\n';
    expect(parseVTT(src)).toEqual([
      { start: 0, end: 1.5, text: 'Dana: Hello & welcome' },
      { start: 1.5, end: 3, text: 'Line one line two' },
    ]);
  });
  it('reads both timestamp forms', () => {
    expect(parseTimestamp('01:02:03.250')).toBe(3723.25);
    expect(parseTimestamp('02:03.5')).toBe(123.5);
    expect(parseTimestamp('nope')).toBeNaN();
  });
  it('shows and speaks times', () => {
    expect(clock(65.9)).toBe('1:05');
    expect(clock(3725)).toBe('1:02:05');
    expect(spoken(65)).toBe('1 minute 5 seconds');
    expect(spoken(0)).toBe('0 seconds');
  });
});
