/** Colours per competency (all dark enough for white shapes on top); a module's cover blends
 *  the colours of the competencies it builds. */
const palette: Record<string, [string, string]> = {
  self_awareness: ['#0f5c55', '#1c8a7f'],
  self_management: ['#24508f', '#3b74c4'],
  social_awareness: ['#5b3a9e', '#8160c9'],
  relationship_management: ['#9c2f5f', '#c75585'],
  job_diagnosis: ['#9a4408', '#c8661c'],
  consensus_building: ['#2f6b2a', '#4f9447'],
  prescriptive_guidance: ['#155f78', '#2a86a6'],
  stakeholder_mapping: ['#6e5610', '#9c7c1f'],
};
const fallback: [string, string] = ['#0a4540', '#0f5c55'];

/** hash is a small, stable number for a slug, to vary the motif between modules. */
function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}

/** Motif draws one of four abstract patterns (rings, waves, nodes, steps) in white. */
function Motif({ kind }: { kind: number }) {
  switch (kind % 4) {
    case 0:
      return (
        <g fill="none" stroke="#fff" strokeWidth="2">
          {[28, 48, 68, 88].map((r, i) => (
            <circle key={r} cx="250" cy="70" r={r} opacity={0.5 - i * 0.1} />
          ))}
        </g>
      );
    case 1:
      return (
        <g fill="none" stroke="#fff" strokeWidth="2.5">
          {[40, 62, 84, 106].map((y, i) => (
            <path key={y} d={`M0 ${y} C 60 ${y - 26}, 120 ${y + 26}, 180 ${y} S 300 ${y - 26}, 320 ${y}`} opacity={0.45 - i * 0.08} />
          ))}
        </g>
      );
    case 2:
      return (
        <g stroke="#fff" strokeWidth="2" fill="#fff">
          <path d="M200 40 L250 90 L290 50 M250 90 L230 125 M200 40 L160 80" fill="none" opacity="0.45" />
          {[[200, 40], [250, 90], [290, 50], [230, 125], [160, 80]].map(([x, y]) => (
            <circle key={`${x}-${y}`} cx={x} cy={y} r="7" opacity="0.6" />
          ))}
        </g>
      );
    default:
      return (
        <g fill="#fff">
          {[0, 1, 2, 3].map((i) => (
            <rect key={i} x={180 + i * 30} y={110 - i * 22} width="24" height={20 + i * 22} rx="4" opacity={0.25 + i * 0.1} />
          ))}
        </g>
      );
  }
}

/** ModuleCover is a module card's picture: an inline SVG in the colours of the module's
 *  competencies, so the catalog needs no image requests. Decorative: the card names the module. */
export function ModuleCover({ slug, competencies, index }: { slug: string; competencies: string[]; index: number }) {
  const [a, b] = palette[competencies[0]] ?? fallback;
  const second = competencies[1] ? (palette[competencies[1]] ?? fallback)[1] : b;
  const id = `cover-${slug}`;
  return (
    <svg className="module-cover" viewBox="0 0 320 130" preserveAspectRatio="xMidYMid slice" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor={a} />
          <stop offset="1" stopColor={second} />
        </linearGradient>
      </defs>
      <rect width="320" height="130" fill={`url(#${id})`} />
      <Motif kind={hash(slug)} />
      <text x="22" y="104" fill="#fff" fontSize="54" fontWeight="800" opacity="0.9">
        {String(index + 1).padStart(2, '0')}
      </text>
    </svg>
  );
}
