/**
 * bench/insights: the insights page with default filters (last 90 days) at scale, side by side
 * with the same SQL run directly, and the JavaScript the page ships.
 *
 *   npm run build && npm run bench:insights [-- --size 100000 --rounds 40 --fresh]
 *
 * It makes (or reuses) a Postgres database `hindsight_insights_<N>` seeded with db/scale (the
 * generator of `npm run db:seed -- --scale N`), migrated to the latest schema and vacuumed, then:
 *   1. page: starts the production build (server/index.ts) on loopback, logs in as the demo user
 *      and fetches /w/scale-N/insights `rounds` times, one client; records the full response time
 *      and the route's Server-Timing "insights" figure (the report's queries, side by side);
 *   2. sql: runs the same report (insightsReport: the same Kysely statements, the same
 *      concurrency inside) straight on a pg pool of the app's size, interleaved with the page
 *      requests so both see the same machine load;
 *   3. js: every script the page loads (its module entry and modulepreload links), gzipped.
 * Prints p50/p95 and ratios; writes bench/insights/results/<timestamp>.json.
 * Postgres: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase } from "#db/connection";
import { seedScale } from "#db/scale/seed";
import { signUp } from "~/domain/accounts/index.server";
import { logInAsDemo, ROOT, startServer, stopServer } from "../app-server";
import { insightsReport, parseInsightsFilters } from "~/domain/insights/index.server";
import { isoDay } from "~/domain/insights/rules";
import { rebuildWorkspaceSearch } from "~/domain/search/index.server";
import { createWorkspace } from "~/domain/workspaces/index.server";


function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return args[i]!.includes("=") ? args[i]!.split("=")[1] : (args[i + 1] ?? "true");
}
const SIZE = Number(option("size") ?? 100_000);
const ROUNDS = Number(option("rounds") ?? 40);
const FRESH = option("fresh") === "true";
const PORT = Number(option("port") ?? 3378);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGETS = { p95: 150, ratio: 1.5, jsKiB: 100 };

type Stats = { n: number; p50: number; p95: number; mean: number };
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
}

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function prepareDatabase(): Promise<string> {
  const name = `hindsight_insights_${SIZE}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount;
  if (exists && FRESH) await admin.query(`drop database ${name} with (force)`);
  if (!exists || FRESH) await admin.query(`create database ${name}`);
  await admin.end();
  const url = databaseUrl(name);
  const db = openDatabase({ engine: "postgres", url });
  await migrateToLatest(db as never);
  const seeded = await seedScale(db, SIZE, { signUp, createWorkspace, rebuildSearch: rebuildWorkspaceSearch }, (line) => process.stdout.write(`\r  seeding ${SIZE}: ${line}            `));
  console.log(seeded.created ? `\n  seeded ${SIZE} records in ${seeded.seconds.toFixed(1)} s` : `  reusing ${name}`);
  await sql`vacuum analyze`.execute(db);
  await db.destroy();
  return url;
}

async function fetchPage(target: string, cookie: string): Promise<{ total: number; server: number; queries: number; html: string }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${PORT}${target}`, { headers: { Cookie: cookie } });
  const html = await response.text();
  const total = performance.now() - started;
  if (response.status !== 200) throw new Error(`${target}: HTTP ${response.status}`);
  const header = response.headers.get("server-timing") ?? "";
  const queries = /insights;dur=([\d.]+)/.exec(header);
  const charts = /charts;dur=([\d.]+)/.exec(header);
  if (!queries || !charts) throw new Error(`${target}: no Server-Timing`);
  // The loader's time: the report's queries, then drawing the charts.
  return { total, server: Number(queries[1]) + Number(charts[1]), queries: Number(queries[1]), html };
}

/** Every script the document loads: module entry imports and modulepreload links, gzipped. */
function pageScripts(html: string): { files: { path: string; bytes: number; gzip: number }[]; gzip: number } {
  const paths = new Set<string>();
  for (const m of html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)) paths.add(m[1]!);
  for (const m of html.matchAll(/import[^"']*["'](\/assets\/[^"']+\.js)["']/g)) paths.add(m[1]!);
  const files = [...paths].map((p) => {
    const body = readFileSync(path.join(ROOT, "build/client", p));
    return { path: p, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { files, gzip: files.reduce((a, f) => a + f.gzip, 0) };
}

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");

async function main() {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const postgres = (await admin.query("show server_version")).rows[0].server_version as string;
  await admin.end();
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  console.log(`bench/insights on ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Postgres ${postgres}`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  const url = await prepareDatabase();
  const slug = `scale-${SIZE}`;
  const db = openDatabase({ engine: "postgres", url });
  const ws = await db.selectFrom("workspaces").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  const counts = await sql<{ incidents: number; factors: number; actions: number }>`
    select (select count(*) from incidents where workspace_id = ${ws.id})::int as incidents,
      (select count(*) from contributing_factors where workspace_id = ${ws.id})::int as factors,
      (select count(*) from guardrail_actions where workspace_id = ${ws.id})::int as actions`.execute(db);
  console.log(`  ${slug}: ${JSON.stringify(counts.rows[0])}`);

  const server = await startServer(url, PORT);
  const page: number[] = [];
  const serverTimes: number[] = [];
  const queryTimes: number[] = [];
  const direct: number[] = [];
  let scripts: ReturnType<typeof pageScripts>;
  try {
    const cookie = await logInAsDemo(PORT);
    const target = `/w/${slug}/insights`;
    const first = await fetchPage(target, cookie);
    scripts = pageScripts(first.html);
    // Warm both sides: plans, caches, the server's JIT.
    for (let i = 0; i < 5; i++) {
      await fetchPage(target, cookie);
      const now = new Date();
      await insightsReport(db, ws.id, parseInsightsFilters(new URLSearchParams(), isoDay(now)), now);
    }
    for (let i = 0; i < ROUNDS; i++) {
      const r = await fetchPage(target, cookie);
      page.push(r.total);
      serverTimes.push(r.server);
      queryTimes.push(r.queries);
      const now = new Date();
      const started = performance.now();
      await insightsReport(db, ws.id, parseInsightsFilters(new URLSearchParams(), isoDay(now)), now);
      direct.push(performance.now() - started);
    }
  } finally {
    await stopServer(server);
    await db.destroy();
  }
  const p = stats(page);
  const s = stats(serverTimes);
  const d = stats(direct);
  const q = stats(queryTimes);
  const jsKiB = scripts.gzip / 1024;
  console.log(`\n${SIZE.toLocaleString("en")} records, default filters (last 90 days), ${ROUNDS} rounds, one client; ms p50 / p95`);
  console.log("| page (full response) | server: queries + charts | of which queries | same SQL direct | server p95 ÷ SQL p95 | page JS, gzipped |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  console.log(`| ${f(p.p50)} / ${f(p.p95)} | ${f(s.p50)} / ${f(s.p95)} | ${f(q.p50)} / ${f(q.p95)} | ${f(d.p50)} / ${f(d.p95)} | ${(s.p95 / d.p95).toFixed(2)} | ${jsKiB.toFixed(1)} KiB in ${scripts.files.length} files |`);
  console.log(`targets: server p95 < ${TARGETS.p95} ms: ${s.p95 < TARGETS.p95 ? "met" : "NOT met"}; ≤ ${TARGETS.ratio}× SQL: ${s.p95 / d.p95 <= TARGETS.ratio ? "met" : "NOT met"}; ≤ ${TARGETS.jsKiB} kB JS: ${jsKiB <= TARGETS.jsKiB ? "met" : "NOT met"}`);
  const out = path.join(ROOT, "bench/insights/results");
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ size: SIZE, rounds: ROUNDS, postgres, counts: counts.rows[0], page: p, server: s, queries: q, sql: d, scripts, loadAverage: loadavg() }, null, 2));
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}; results in ${path.relative(ROOT, file)}`);
}

await main();
