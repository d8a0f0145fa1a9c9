/**
 * `npm run bench:collaboration [-- --seconds 60 --editors 20]`: live co-editing figures on
 * loopback, against the production server (`npm run build` first) on a fresh Postgres database.
 *
 *   1. keystroke: editor A types one character every 50 ms; the time until editor B's Y.Doc
 *      has it (Hocuspocus's provider over WebSockets, as in the browser), p50/p95;
 *   2. crowd: N editors type at random places in one document for S seconds; then every Y.Doc,
 *      the server's stored state and the stored body JSON must be equal; server memory per open
 *      document (RSS with the document open minus before, a rough figure);
 *   3. large: a 50-page postmortem (about 250,000 characters): stored Yjs state size, the
 *      one-time conversion, and the time for an editor to connect and have it all;
 *   4. js: every script the editing page loads, gzipped;
 *   5. browser (with `--browser`): keystroke A → B between two Chromium pages, two members of the
 *      workspace on the same editing page (./browser.ts), p50/p95/max.
 * `--only js,browser` runs only those (names above); `--keystrokes 200` sets the browser run's count.
 * Prints the figures and writes bench/collaboration/results/<timestamp>.json.
 * Postgres: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import pg from "pg";
import WebSocket from "ws";
import * as Y from "yjs";
import { closeDb, migrateToLatest, openDatabase, type Db } from "#db/connection";
import { createSession, signUp } from "~/domain/accounts/index.server";
import { contentOfYDoc, liveDocumentName, readLiveState, validateDocument } from "~/domain/documents/index.server";
import { createIncident } from "~/domain/incidents/index.server";
import { incidentInput } from "../../test/support/incidents";
import { findPostmortem, savePostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { acceptInvite, createInvite, createWorkspace } from "~/domain/workspaces/index.server";
import { ROOT, startServer, stopServer } from "../app-server";
import { browserKeystrokes } from "./browser";

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
}
const SECONDS = option("seconds", 60);
const EDITORS = option("editors", 20);
const PORT = option("port", 3390);
const KEYSTROKES = option("keystrokes", 200);
const SECTIONS = (() => {
  const args = process.argv.slice(2);
  const only = args[args.indexOf("--only") + 1];
  if (args.includes("--only") && only) return new Set(only.split(","));
  return new Set(["js", "keystroke", "crowd", "large", ...(args.includes("--browser") ? ["browser"] : [])]);
})();
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** JSON with sorted keys (Postgres's jsonb keeps its own key order), after the schema's own normalisation. */
function canonical(body: unknown): string {
  const checked = validateDocument(body);
  const sort = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sort) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sort(v)])) : value;
  return JSON.stringify(sort(checked.ok ? checked.doc : body));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function connect(name: string, cookie: string) {
  const host = `127.0.0.1:${PORT}`;
  class BrowserLikeSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie, origin: `http://${host}` } });
    }
  }
  const socket = new HocuspocusProviderWebsocket({ url: `ws://${host}/collab`, WebSocketPolyfill: BrowserLikeSocket });
  const document = new Y.Doc();
  const state = { synced: false };
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document, onSynced: () => (state.synced = true) });
  provider.attach();
  return { document, state, provider, close: () => (provider.destroy(), socket.destroy()) };
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
}

/** A postmortem of about `chars` characters: headings and paragraphs of ordinary prose. */
function largeBody(chars: number) {
  const sentence = "The retry queue resent each webhook after the timeout, and the receiving service processed it twice. ";
  const content: unknown[] = [];
  let size = 0;
  for (let i = 0; size < chars; i += 1) {
    if (i % 10 === 0) content.push({ type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: `Section ${i / 10 + 1}` }] });
    const text = sentence.repeat(4).trim();
    content.push({ type: "paragraph", content: [{ type: "text", text }] });
    size += text.length;
  }
  return { type: "doc", content };
}

async function setUp(db: Db) {
  const signed = await signUp(db, { email: `bench-${Date.now()}@bench.test`, displayName: "Bench Writer", password: "correct horse battery staple" });
  if (!signed.ok) throw new Error("sign-up failed");
  const user = signed.user;
  const made = await createWorkspace(db, user, { name: "Bench", slug: `bench-${Date.now().toString(36)}` });
  if (!made.ok) throw new Error("workspace failed");
  const ws = made.workspace;
  const postmortems: { id: string; number: number }[] = [];
  for (const title of ["Keystrokes", "Crowd", "Large", "Browser keystrokes"]) {
    const incident = await createIncident(db, user, ws.id, incidentInput({ title }));
    if (!incident.ok) throw new Error(`incident failed: ${JSON.stringify(incident)}`);
    await startPostmortem(db, user, ws.id, incident.number, "lightweight");
    postmortems.push({ id: (await findPostmortem(db, ws.id, incident.number))!.id, number: incident.number });
  }
  const large = postmortems[2]!;
  const saved = await savePostmortem(db, user, ws.id, large.number, { baseVersion: 1, title: "Large", body: largeBody(250_000) });
  if (!saved.ok) throw new Error(`large save failed: ${JSON.stringify(saved)}`);
  const { token } = await createSession(db, user.id);
  // A second member (an editor), for the browser run's second person.
  const other = await signUp(db, { email: `bench-b-${Date.now()}@bench.test`, displayName: "Bea Bench", password: "correct horse battery staple" });
  if (!other.ok) throw new Error("second sign-up failed");
  const invite = await createInvite(db, user, ws.id, "editor");
  if (!(await acceptInvite(db, other.user, invite.token))) throw new Error("the second member's invite failed");
  const second = await createSession(db, other.user.id);
  return { user, ws, postmortems, cookie: `hs_session=${token}`, tokens: [token, second.token] as [string, string] };
}

/** Every script the document loads: module entry imports and modulepreload links, gzipped. */
function pageScripts(html: string) {
  const paths = new Set<string>();
  for (const m of html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)) paths.add(m[1]!);
  for (const m of html.matchAll(/import[^"']*["'](\/assets\/[^"']+\.js)["']/g)) paths.add(m[1]!);
  const files = [...paths].map((p) => {
    const body = readFileSync(path.join(ROOT, "build/client", p));
    return { path: p, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { files, gzipKb: files.reduce((a, f) => a + f.gzip, 0) / 1024 };
}

async function main() {
  const name = `hindsight_bench_collab_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = openDatabase({ engine: "postgres", url: url.toString() });
  await migrateToLatest(db as never);
  const { ws, postmortems, cookie, tokens } = await setUp(db);
  const server = await startServer(url.toString(), PORT);
  // The machine is shared: its load says how much the figures can be trusted.
  const results: Record<string, unknown> = { cores: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))), node: process.version, seconds: SECONDS, editors: EDITORS };
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`);
  const clients: Array<{ close: () => void }> = [];
  try {
    if (SECTIONS.has("js")) {
      // 4. The editing page's scripts.
      const page = await fetch(`http://127.0.0.1:${PORT}/w/${ws.slug}/incidents/${postmortems[0]!.number}/postmortem/edit`, { headers: { cookie } });
      const scripts = pageScripts(await page.text());
      results.editorPageJsGzipKb = Number(scripts.gzipKb.toFixed(1));
      results.editorPageJsFiles = scripts.files.map((f) => ({ path: f.path, gzipKb: Number((f.gzip / 1024).toFixed(1)) }));
      console.log(`editor page JavaScript: ${scripts.gzipKb.toFixed(1)} kB gzipped in ${scripts.files.length} files`);
      for (const f of scripts.files) console.log(`  ${(f.gzip / 1024).toFixed(1).padStart(6)} kB  ${f.path}`);
    }

    if (SECTIONS.has("keystroke")) {
      // 1. Keystroke A → B.
      const keysName = liveDocumentName({ store: "postmortem", recordId: postmortems[0]!.id });
      const a = connect(keysName, cookie);
      const b = connect(keysName, cookie);
      clients.push(a, b);
      await waitFor(() => a.state.synced && b.state.synced, "two editors synced");
      const latencies: number[] = [];
      const textA = a.document.getText("title");
      const textB = b.document.getText("title");
      for (let i = 0; i < 300; i += 1) {
        const before = textB.length;
        const started = performance.now();
        textA.insert(textA.length, "x");
        await waitFor(() => textB.length > before, "keystroke at B", 5_000);
        latencies.push(performance.now() - started);
        await sleep(50);
      }
      results.keystroke = { samples: latencies.length, p50Ms: Number(percentile(latencies, 50).toFixed(1)), p95Ms: Number(percentile(latencies, 95).toFixed(1)) };
      console.log(`keystroke A → B: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms (${latencies.length} keystrokes)`);
    }

    if (SECTIONS.has("crowd")) {
      // 2. The crowd.
      const crowdDoc = { store: "postmortem" as const, recordId: postmortems[1]!.id };
      const crowdName = liveDocumentName(crowdDoc);
      const rssBefore = rssKb(server.pid!);
      const editors = Array.from({ length: EDITORS }, () => connect(crowdName, cookie));
      clients.push(...editors);
      await waitFor(() => editors.every((e) => e.state.synced), "the crowd synced");
      const rssOpen = rssKb(server.pid!);
      let edits = 0;
      const until = Date.now() + SECONDS * 1000;
      await Promise.all(
        editors.map(async (editor, n) => {
          while (Date.now() < until) {
            const fragment = editor.document.getXmlFragment("default");
            const paragraphs = fragment.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === "paragraph");
            const target = paragraphs[Math.floor(Math.random() * paragraphs.length)];
            const run = target?.get(0);
            if (run instanceof Y.XmlText) {
              const at = Math.floor(Math.random() * (run.length + 1));
              if (Math.random() < 0.15 && run.length > 5) run.delete(Math.min(at, run.length - 3), 2);
              else run.insert(at, `e${n} `);
              edits += 1;
            } else if (target && target.length === 0) {
              // The templates' sections start as empty paragraphs (their guidance is a placeholder): the first words.
              target.insert(0, [new Y.XmlText(`e${n} `)]);
              edits += 1;
            }
            await sleep(150 + Math.random() * 350);
          }
        }),
      );
      const reference = () => Buffer.from(Y.encodeStateVector(editors[0]!.document)).toString("base64");
      await waitFor(() => editors.every((e) => Buffer.from(Y.encodeStateVector(e.document)).toString("base64") === reference()), "every editor converged", 30_000);
      const contents = editors.map((e) => JSON.stringify(contentOfYDoc(e.document)));
      const allEqual = contents.every((c) => c === contents[0]);
      // Wait for the debounced store, then compare the stored state and the derived body.
      const wanted = contentOfYDoc(editors[0]!.document);
      await waitFor(
        async () => {
          const pm = (await db.selectFrom("postmortems").select(["body", "title"]).where("id", "=", crowdDoc.recordId).executeTakeFirstOrThrow());
          return canonical(pm.body) === canonical(wanted.body) || (await sleep(200), false);
        },
        "the stored body to equal the editors'",
        30_000,
      ).catch(() => {});
      const stored = await readLiveState(db, "postmortem", crowdDoc.recordId);
      const storedDoc = new Y.Doc();
      if (stored) Y.applyUpdate(storedDoc, stored);
      const storedStateEqual = JSON.stringify(contentOfYDoc(storedDoc)) === contents[0];
      const pm = await db.selectFrom("postmortems").select(["body", "version"]).where("id", "=", crowdDoc.recordId).executeTakeFirstOrThrow();
      const bodyEqual = canonical(pm.body) === canonical(wanted.body);
      results.crowd = {
        editors: EDITORS,
        seconds: SECONDS,
        edits,
        allEditorsEqual: allEqual,
        storedStateEqual,
        storedBodyEqual: bodyEqual,
        versionsStored: pm.version,
        serverRssBeforeMb: Number((rssBefore / 1024).toFixed(1)),
        serverRssOpenMb: Number((rssOpen / 1024).toFixed(1)),
        serverRssAfterMb: Number((rssKb(server.pid!) / 1024).toFixed(1)),
        textChars: editors[0]!.document.getXmlFragment("default").toString().length,
      };
      console.log(`crowd: ${EDITORS} editors, ${SECONDS} s, ${edits} edits; editors equal ${allEqual}, stored state equal ${storedStateEqual}, stored body equal ${bodyEqual}`);
      console.log(`server RSS: ${(rssBefore / 1024).toFixed(1)} MB before, ${(rssOpen / 1024).toFixed(1)} MB with the document open (${EDITORS} connections)`);
      if (!allEqual || !storedStateEqual || !bodyEqual) process.exitCode = 1;
    }

    if (SECTIONS.has("large")) {
      // 3. The large document.
      const largeDoc = { store: "postmortem" as const, recordId: postmortems[2]!.id };
      const loadStarted = performance.now();
      const first = connect(liveDocumentName(largeDoc), cookie);
      clients.push(first);
      await waitFor(() => first.state.synced, "the large document (first opening: converts)");
      const firstMs = performance.now() - loadStarted;
      const state = (await readLiveState(db, "postmortem", largeDoc.recordId))!;
      const secondStarted = performance.now();
      const second = connect(liveDocumentName(largeDoc), cookie);
      clients.push(second);
      await waitFor(() => second.state.synced, "the large document (loaded)");
      const secondMs = performance.now() - secondStarted;
      const chars = (await findPostmortem(db, ws.id, 3))?.body_text.length ?? 0;
      results.large = {
        chars,
        stateBytes: state.length,
        stateKb: Number((state.length / 1024).toFixed(1)),
        firstOpenMs: Math.round(firstMs),
        openWhileLoadedMs: Math.round(secondMs),
      };
      console.log(`large: ${chars} characters, Yjs state ${(state.length / 1024).toFixed(1)} kB; first opening (converts) ${Math.round(firstMs)} ms, a second editor ${Math.round(secondMs)} ms`);
    }

    if (SECTIONS.has("browser")) {
      // 5. Keystroke A → B between two browsers, two members of the workspace.
      const figures = await browserKeystrokes({
        origin: `http://127.0.0.1:${PORT}`,
        path: `/w/${ws.slug}/incidents/${postmortems[3]!.number}/postmortem/edit`,
        sessions: tokens,
        keystrokes: KEYSTROKES,
        intervalMs: 50,
        clientDir: path.join(ROOT, "build/client"),
      });
      results.browserKeystroke = figures;
      console.log(`browser keystroke A → B: p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, max ${figures.maxMs} ms (${figures.samples} keystrokes, ${figures.browser})`);
      console.log(`scripts the editing page loaded: ${figures.jsOnOpenGzipKb} kB gzipped once live, ${figures.jsAfterTypingGzipKb} kB after typing`);
    }
  } finally {
    for (const client of clients) client.close();
    await stopServer(server);
    await closeDb().catch(() => {});
    await db.destroy().catch(() => {});
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  const dir = path.join(ROOT, "bench/collaboration/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

await main();
