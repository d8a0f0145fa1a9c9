/**
 * Answers given by the server itself, outside any route: the database is unreachable (503), the
 * server is too busy to take a request in time (503), or a body is too large (413). They need no
 * database and no React, so they work when nothing else does.
 */
export const RETRY_AFTER_SECONDS = 5;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function plainPage(input: { status: number; title: string; message: string; nonce: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(input.title)} · Hindsight</title>
<style nonce="${escape(input.nonce)}">
body{font:16px/1.5 system-ui,sans-serif;color:#1f2328;background:#f6f7f9;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:2rem 2.5rem;max-width:32rem;margin:1rem}
h1{font-size:1.4rem;margin:.25rem 0 1rem}p.muted{color:#59636e;margin:0}
</style></head>
<body><main id="main"><p class="muted">Error ${input.status}</p><h1>${escape(input.title)}</h1><p>${escape(input.message)}</p></main></body></html>`;
}

export const DATABASE_UNAVAILABLE = {
  title: "Hindsight is briefly unavailable",
  message: `We can't reach the database right now. Nothing you saved is lost; try again in a few seconds.`,
} as const;

export const BUSY = {
  title: "Hindsight is busy",
  message: `Too many requests are waiting right now, so this one was not started. Nothing was changed; try again in a few seconds.`,
} as const;
