/**
 * `--html DIR`: an index and one page per program office, self-contained (inline CSS and SVG, no
 * script, no external resource). Every chart is an SVG with `role="img"`, a label and a caption,
 * and its figures are also in a table, so the page reads the same without the chart; levels are
 * written as words next to their colour. The frame is lib/fleet/render/page.ts, shared with
 * `fleet metrics --html`. test/fleet/portfolio-browser.test.ts checks the pages with axe-core in
 * headless Chromium (WCAG 2.1 AA).
 */
import * as path from 'path';
import type { Level } from './levels';
import { escapeHtml, htmlPage } from '../render/page';

export const LEVEL_COLOURS: Readonly<Record<Level, string>> = { green: '#1a7f37', amber: '#9a6700', red: '#cf222e', unknown: '#57606a' };

const LEVEL_STYLE = `
.level{font-size:.85em;font-weight:600;padding:0 .3em;border-radius:3px;color:#fff;white-space:nowrap}
.green{background:${LEVEL_COLOURS.green}}.amber{background:${LEVEL_COLOURS.amber}}.red{background:${LEVEL_COLOURS.red}}.unknown{background:${LEVEL_COLOURS.unknown}}`;

/** A portfolio page: the fleet reports' frame with the level badges' classes. */
export function portfolioPage(title: string, body: string): string {
  return htmlPage(title, body, LEVEL_STYLE);
}

export interface LevelBar {
  readonly label: string;
  readonly value: number | null;
  /** The figure as written next to the bar, level included. */
  readonly text: string;
  readonly level: Level;
}

/** A horizontal bar chart; a bar without a value is labelled, not drawn. */
export function levelChart(title: string, bars: readonly LevelBar[]): string {
  const rowHeight = 22;
  const labelWidth = 200;
  const plotWidth = 360;
  const width = labelWidth + plotWidth + 220;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0)) || 1;
  const rows = bars.map((bar, i) => {
    const y = i * rowHeight + 4;
    const w = bar.value === null ? 0 : Math.max(1, (bar.value / max) * plotWidth);
    return `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end" fill="#1f2328">${escapeHtml(bar.label)}</text>`
      + (bar.value === null ? '' : `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${LEVEL_COLOURS[bar.level]}"></rect>`)
      + `<text x="${labelWidth + w + 6}" y="${y + 15}" fill="#1f2328">${escapeHtml(bar.text)}</text>`;
  }).join('\n');
  const summary = bars.map((b) => `${b.label}: ${b.text}`).join('; ');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption>
<svg role="img" aria-label="${escapeHtml(`${title}. ${summary}`)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="12" font-family="system-ui,sans-serif">
${rows}
</svg></figure>`;
}

/** File name of an office's page: `office-<slug>.html`, made unique by a number when two slugs collide. */
export function officeFileNames(offices: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const office of offices) {
    const slug = office.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'office';
    let name = `office-${slug}.html`;
    for (let n = 2; used.has(name); n++) name = `office-${slug}-${n}.html`;
    used.add(name);
    names.set(office, name);
  }
  return names;
}

export interface OfficePage {
  readonly office: string;
  /** One line for the index. */
  readonly summary: string;
  readonly body: string;
}

/**
 * Writes `index.html` and one page per office into `dir`; returns the files written. The index is
 * a list of the offices with their summaries unless `index` writes its body (given each office's file).
 */
export function writeSite(
  dir: string, title: string, intro: string, pages: readonly OfficePage[], writeFile: (file: string, content: string) => void,
  index?: (fileOf: (office: string) => string) => string,
): string[] {
  const files = officeFileNames(pages.map((p) => p.office));
  const fileOf = (office: string): string => files.get(office)!;
  const written: string[] = [];
  for (const page of pages) {
    const file = path.join(dir, fileOf(page.office));
    writeFile(file, portfolioPage(`${title}: ${page.office}`, `<p><a href="index.html">All program offices</a></p>\n${intro}\n${page.body}`));
    written.push(file);
  }
  const list = pages.map((p) => `<li><a href="${escapeHtml(fileOf(p.office))}">${escapeHtml(p.office)}</a>: ${escapeHtml(p.summary)}</li>`).join('\n');
  const indexFile = path.join(dir, 'index.html');
  writeFile(indexFile, portfolioPage(title, `${intro}\n${index ? index(fileOf) : `<h2>Program offices</h2>\n<ul>\n${list}\n</ul>`}`));
  return [indexFile, ...written];
}
