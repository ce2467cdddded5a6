/**
 * The one page frame of every fleet HTML report (`fleet status|metrics --html FILE`, the portfolio's
 * `--html DIR`): a `main` landmark under one `h1`, inline CSS, no script, no external resource, every
 * piece of text escaped. Colours meet WCAG 2.1 AA contrast on white (checked with axe-core in
 * test/fleet/portfolio-browser.test.ts, which covers every fleet page).
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text colour of errors: darker than the bars' red so that small text keeps a 7:1 contrast. */
export const ERROR_COLOUR = '#a40e26';

const BASE_STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;max-width:80rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}caption{text-align:left;font-weight:600;padding:.3rem 0}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{overflow-wrap:anywhere}
.error{color:${ERROR_COLOUR}}.note{color:#57606a;font-size:.9em}figure{margin:1rem 0}figcaption{font-weight:600}a{color:#0550ae}`;

/** A whole page: `title` is both the document's title and its `h1`; `style` adds the report's own classes. */
export function htmlPage(title: string, body: string, style = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${BASE_STYLE}${style}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}
