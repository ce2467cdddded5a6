/**
 * A dependency-free SVG of the benchmark: wall time and peak memory against fleet size, one line
 * per mode. Plain SVG so the README shows it on any forge without a build step.
 */
import { MODES, MODE_LABELS, Mode, SizeResult } from './figures';

const COLORS: Readonly<Record<Mode, string>> = { cold: '#c0392b', warm: '#2471a3', off: '#7f8c8d' };
const PANEL = { width: 440, height: 300, left: 60, right: 16, top: 40, bottom: 44 };

interface Series { readonly mode: Mode; readonly points: ReadonlyArray<readonly [number, number]> }

export function synthChart(sizes: readonly SizeResult[], subtitle: string): string {
  const time: Series[] = MODES.map(mode => ({
    mode, points: sizes.flatMap(s => (s.runs[mode] ? [[s.teams, s.runs[mode]!.wallSeconds] as const] : [])),
  }));
  const memory: Series[] = MODES.map(mode => ({
    mode, points: sizes.flatMap(s => (s.runs[mode]?.peakTreeRssMiB === undefined ? [] : [[s.teams, s.runs[mode]!.peakTreeRssMiB!] as const])),
  }));
  const width = PANEL.width * 2;
  const height = PANEL.height + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">Springboard synth: wall time and peak memory by fleet size</text>`,
    `<text x="${width / 2}" y="34" text-anchor="middle" fill="#555">${escapeXml(subtitle)}</text>`,
    panel(time, 0, 'wall time (s)'),
    panel(memory, PANEL.width, 'peak memory, process tree (MiB)'),
    legend(width, height),
    '</svg>',
    '',
  ].join('\n');
}

function panel(series: readonly Series[], offsetX: number, yLabel: string): string {
  const all = series.flatMap(s => s.points);
  if (all.length === 0) return '';
  const maxX = Math.max(...all.map(([x]) => x));
  const maxY = niceCeiling(Math.max(...all.map(([, y]) => y)));
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const x = (v: number) => offsetX + PANEL.left + (v / maxX) * plotW;
  const y = (v: number) => 20 + PANEL.top + plotH - (v / maxY) * plotH;
  const xTicks = [...new Set(all.map(([v]) => v))].sort((a, b) => a - b);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map(f => f * maxY);
  const parts = [
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxX)}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(maxY)}" stroke="#333"/>`,
    ...yTicks.map(t => `<line x1="${x(0)}" y1="${y(t)}" x2="${x(maxX)}" y2="${y(t)}" stroke="#eee"/>`
      + `<text x="${x(0) - 6}" y="${y(t) + 4}" text-anchor="end">${round(t)}</text>`),
    ...xTicks.map(t => `<text x="${x(t)}" y="${y(0) + 16}" text-anchor="middle">${t}</text>`),
    `<text x="${x(maxX / 2)}" y="${y(0) + 34}" text-anchor="middle">teams</text>`,
    `<text transform="translate(${offsetX + 14} ${y(maxY / 2)}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
    ...series.filter(s => s.points.length > 0).map(s => line(s, x, y)),
  ];
  return parts.join('\n');
}

function line(s: Series, x: (v: number) => number, y: (v: number) => number): string {
  const points = s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
  const dots = s.points.map(([a, b]) => `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${COLORS[s.mode]}"/>`);
  return [`<polyline fill="none" stroke="${COLORS[s.mode]}" stroke-width="2" points="${points}"/>`, ...dots].join('\n');
}

function legend(width: number, height: number): string {
  return MODES.map((mode, i) => {
    const lx = width / 2 - 300 + i * 210;
    return `<rect x="${lx}" y="${height - 16}" width="14" height="4" fill="${COLORS[mode]}"/>`
      + `<text x="${lx + 20}" y="${height - 10}">${MODE_LABELS[mode]}</text>`;
  }).join('\n');
}

function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  const step = [1, 2, 2.5, 5, 10].find(f => f * magnitude >= v)!;
  return step * magnitude;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
