/**
 * bench/search: how fast is search at 10k and 100k records, measured three ways in one run.
 *
 *   npm run build && npm run bench:search [-- --sizes 10000,100000 --rounds 8 --fresh]
 *
 * For each size it makes (or reuses) a Postgres database `hindsight_bench_<N>` seeded with
 * `db/scale` (the same generator as `npm run db:seed -- --scale N`), then:
 *   1. page: starts the real production build (server/index.ts) on loopback, logs in as the demo
 *      user and fetches /w/scale-N/search?… for a fixed mix of queries with 1 and 20 concurrent
 *      clients; records the full response time and the server's Server-Timing "search" figure;
 *      then the same for /search.data?… (the loader data alone, what the search box fetches as
 *      someone types);
 *   2. sql: runs the same statement (searchStatement, compiled by Kysely) straight on a pg pool
 *      of the app's size, with the same concurrency;
 *   3. ripgrep: exports the corpus as one Markdown file per record and times `rg -i -l -F` for
 *      each query's most distinctive word or phrase (one pattern, no AND, no ranking, no facets:
 *      the advantage is ripgrep's).
 * Prints p50/p95/p99 and ratios, and writes bench/search/results/<timestamp>.json.
 * Postgres: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres
 * (only its server is used; the bench databases are created beside it). Loopback only.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase, type Db } from "#db/connection";
import { codenameAt } from "#db/scale/corpus";
import { seedScale } from "#db/scale/seed";
import { signUp } from "~/domain/accounts/index.server";
import { logInAsDemo, ROOT, startServer, stopServer } from "../app-server";
import { parseSearchQuery } from "~/domain/search/rules";
import { facetsFrom, rebuildWorkspaceSearch, runSearchStatement, searchStatement, SEARCH_PAGE_SIZE, type SearchRequest } from "~/domain/search/index.server";
import { createWorkspace } from "~/domain/workspaces/index.server";


// ---------------------------------------------------------------------------------------------
// Options

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return args[i]!.includes("=") ? args[i]!.split("=")[1] : (args[i + 1] ?? "true");
}
const SIZES = (option("sizes") ?? "10000,100000").split(",").map(Number);
const ROUNDS = Number(option("rounds") ?? 8);
const RG_ROUNDS = Number(option("rg-rounds") ?? 3);
const CONCURRENCY = (option("concurrency") ?? "1,20").split(",").map(Number);
const FRESH = option("fresh") === "true";
const PORT = Number(option("port") ?? 3377);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// ---------------------------------------------------------------------------------------------
// The query mix: what people type into a postmortem search.

type BenchQuery = { label: string; kind: string; request: SearchRequest; rg: string };

const QUERIES: BenchQuery[] = [
  { kind: "rare word", label: codenameAt(40), request: { q: codenameAt(40) }, rg: codenameAt(40) },
  { kind: "rare word", label: codenameAt(400), request: { q: codenameAt(400) }, rg: codenameAt(400) },
  { kind: "rare word", label: codenameAt(2500), request: { q: codenameAt(2500) }, rg: codenameAt(2500) },
  { kind: "rare word", label: "wexvor", request: { q: "wexvor" }, rg: "wexvor" },
  { kind: "rare word", label: "idempotency", request: { q: "idempotency" }, rg: "idempotency" },
  { kind: "mid word", label: "certificate", request: { q: "certificate" }, rg: "certificate" },
  { kind: "mid word", label: "kafka", request: { q: "kafka" }, rg: "kafka" },
  { kind: "mid word", label: "webhooks", request: { q: "webhooks" }, rg: "webhooks" },
  { kind: "mid word", label: "runbook failover", request: { q: "runbook failover" }, rg: "failover" },
  { kind: "common word", label: "deploy", request: { q: "deploy" }, rg: "deploy" },
  { kind: "common word", label: "rollback", request: { q: "rollback" }, rg: "rollback" },
  { kind: "common word", label: "minutes", request: { q: "minutes" }, rg: "minutes" },
  { kind: "words", label: "stale cache entries", request: { q: "stale cache entries" }, rg: "stale cache" },
  { kind: "words", label: "garbage collected", request: { q: "garbage collected" }, rg: "garbage collected" },
  { kind: "words", label: "migration lock table", request: { q: "migration lock table" }, rg: "lock" },
  { kind: "words", label: "payments gateway latency", request: { q: "payments gateway latency" }, rg: "payments-gateway" },
  { kind: "prefix", label: "reconc", request: { q: "reconc" }, rg: "reconc" },
  { kind: "prefix", label: "certif", request: { q: "certif" }, rg: "certif" },
  { kind: "prefix", label: "kube upgr", request: { q: "kube upgr" }, rg: "kubernetes node upgr" },
  { kind: "phrase", label: '"production-sized snapshot"', request: { q: '"production-sized snapshot"' }, rg: "production-sized snapshot" },
  { kind: "phrase", label: '"feature flag"', request: { q: '"feature flag"' }, rg: "feature flag" },
  { kind: "phrase", label: '"connection limit"', request: { q: '"connection limit"' }, rg: "connection limit" },
  { kind: "reference", label: "INC-1234", request: { q: "INC-1234" }, rg: "INC-1234" },
  { kind: "filtered", label: "backlog type=postmortem status=published", request: { q: "backlog", type: "postmortem", status: "published" }, rg: "backlog" },
  { kind: "filtered", label: "latency tier=T3", request: { q: "latency", tier: "T3" }, rg: "latency" },
  { kind: "filtered", label: "alert area=billing", request: { q: "alert", area: "billing" }, rg: "alert" },
  { kind: "filtered", label: "outbox type=decision tag=reliability", request: { q: "outbox", type: "decision", tag: "reliability" }, rg: "outbox" },
];

function searchPath(slug: string, request: SearchRequest): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) if (value !== undefined && value !== "") params.set(key, String(value));
  return `/w/${slug}/search?${params.toString()}`;
}

// ---------------------------------------------------------------------------------------------
// Statistics

type Stats = { n: number; p50: number; p95: number; p99: number; mean: number };

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
}

/** Runs `task` over the items, `rounds` times each, with `concurrency` workers; returns per-call times. */
async function load<T>(items: T[], rounds: number, concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue: T[] = [];
  for (let r = 0; r < rounds; r++) queue.push(...items);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) await task(queue[next++]!);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Database, server, corpus

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function prepareDatabase(size: number): Promise<string> {
  const name = `hindsight_bench_${size}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount;
  if (exists && FRESH) await admin.query(`drop database ${name} with (force)`);
  if (!exists || FRESH) await admin.query(`create database ${name}`);
  await admin.end();
  const url = databaseUrl(name);
  const db = openDatabase({ engine: "postgres", url });
  await migrateToLatest(db as never);
  const seeded = await seedScale(db, size, { signUp, createWorkspace, rebuildSearch: rebuildWorkspaceSearch }, (line) =>
    process.stdout.write(`\r  seeding ${size}: ${line}            `),
  );
  process.stdout.write("\n");
  console.log(seeded.created ? `  seeded ${size} records in ${seeded.seconds.toFixed(1)} s` : `  reusing ${name}`);
  // As a database that has been running a while would be: statistics and visibility map current.
  await sql`vacuum analyze`.execute(db);
  await db.destroy();
  return url;
}

async function exportMarkdown(url: string, slug: string, dir: string): Promise<{ files: number; bytes: number }> {
  rmSync(dir, { recursive: true, force: true });
  const db = openDatabase({ engine: "postgres", url });
  const ws = await db.selectFrom("workspaces").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  let files = 0;
  let bytes = 0;
  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("search_documents")
      .select(["entity_type", "entity_id", "reference", "title", "body", "status", "tags", "occurred_at"])
      .where("workspace_id", "=", ws.id)
      .where(sql<boolean>`entity_id::text > ${after}`)
      .orderBy(sql`entity_id::text`)
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const folder = path.join(dir, `${r.entity_type}s`);
      if (files === 0 || !existsSync(folder)) mkdirSync(folder, { recursive: true });
      const text = `---\nreference: ${r.reference}\nstatus: ${r.status ?? ""}\ntags: [${r.tags.join(", ")}]\ndate: ${r.occurred_at.toISOString().slice(0, 10)}\n---\n\n# ${r.title}\n\n${r.body}\n`;
      writeFileSync(path.join(folder, `${r.reference.toLowerCase()}-${r.entity_id.slice(0, 8)}.md`), text);
      files += 1;
      bytes += Buffer.byteLength(text);
    }
    after = rows[rows.length - 1]!.entity_id;
  }
  await db.destroy();
  return { files, bytes };
}

// ---------------------------------------------------------------------------------------------
// Measurements

type PerQuery = Record<string, { kind: string; matches: number; server: number; sql: number; ripgrep?: number }>;
type Row = { size: number; concurrency: number; page: Stats; typing: Stats; server: Stats; sql: Stats; throughput: number; perQuery: PerQuery };

/**
 * The search page for the mix: the whole document (`typing` false), or only its loader data, the
 * `.data` request the search box makes on each keystroke and filter change (`typing` true).
 */
async function measurePage(
  slug: string,
  cookie: string,
  concurrency: number,
  typing = false,
): Promise<{ page: number[]; server: number[]; seconds: number; byQuery: Map<string, number[]> }> {
  const page: number[] = [];
  const server: number[] = [];
  const byQuery = new Map<string, number[]>();
  const started = performance.now();
  await load(QUERIES, concurrency === 1 ? ROUNDS : ROUNDS * 2, concurrency, async (q) => {
    const t = performance.now();
    const target = typing ? searchPath(slug, q.request).replace("/search?", "/search.data?") : searchPath(slug, q.request);
    const response = await fetch(`http://127.0.0.1:${PORT}${target}`, { headers: { Cookie: cookie } });
    await response.text();
    const elapsed = performance.now() - t;
    if (response.status !== 200) throw new Error(`${q.label}: HTTP ${response.status}`);
    const timing = /search;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "");
    if (!timing) throw new Error(`${q.label}: no Server-Timing`);
    page.push(elapsed);
    server.push(Number(timing[1]));
    byQuery.set(q.label, [...(byQuery.get(q.label) ?? []), Number(timing[1])]);
  });
  return { page, server, seconds: (performance.now() - started) / 1000, byQuery };
}

async function measureSql(url: string, slug: string, concurrency: number): Promise<{ times: number[]; byQuery: Map<string, number[]>; matches: Map<string, number> }> {
  const db: Db = openDatabase({ engine: "postgres", url });
  const ws = await db.selectFrom("workspaces").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  const compiled = QUERIES.map((q) => {
    const parsed = parseSearchQuery(q.request.q);
    if (parsed.kind !== "query") throw new Error(`${q.label} does not parse`);
    const page = { page: 1, pageSize: SEARCH_PAGE_SIZE, sort: "relevance" } as const;
    return {
      label: q.label,
      request: q.request,
      query: searchStatement(ws.id, parsed, q.request, page).compile(db),
      // Not timed: the same search with no cap on counting, for the table's "matches" column.
      counting: searchStatement(ws.id, parsed, q.request, { ...page, countLimit: 1e9 }).compile(db),
    };
  });
  const times: number[] = [];
  const byQuery = new Map<string, number[]>();
  const matches = new Map<string, number>();
  // Warm-up, and how many records each query matches in all.
  await load(compiled, 1, Math.min(concurrency, 4), async (c) => {
    await runSearchStatement(db, c.query);
    const counts = (await runSearchStatement(db, c.counting))[0]?.counts ?? [];
    matches.set(c.label, facetsFrom(counts, c.request).total);
  });
  await load(compiled, concurrency === 1 ? ROUNDS : ROUNDS * 2, concurrency, async (c) => {
    const t = performance.now();
    await runSearchStatement(db, c.query);
    const elapsed = performance.now() - t;
    times.push(elapsed);
    byQuery.set(c.label, [...(byQuery.get(c.label) ?? []), elapsed]);
  });
  await db.destroy();
  return { times, byQuery, matches };
}

function measureRipgrep(dir: string): { times: number[]; perQuery: Record<string, number> } {
  const times: number[] = [];
  const perQuery: Record<string, number> = {};
  spawnSync("rg", ["-i", "-l", "-F", "warm the page cache", dir]);
  for (let round = 0; round < RG_ROUNDS; round++) {
    for (const q of QUERIES) {
      const t = performance.now();
      const result = spawnSync("rg", ["-i", "-l", "-F", "--", q.rg, dir], { maxBuffer: 64 * 1024 * 1024 });
      const elapsed = performance.now() - t;
      if (result.status !== 0 && result.status !== 1) throw new Error(`rg failed: ${result.stderr}`);
      times.push(elapsed);
      perQuery[q.label] = Math.max(perQuery[q.label] ?? 0, elapsed);
    }
  }
  return { times, perQuery };
}

// ---------------------------------------------------------------------------------------------

function machine() {
  const cpuInfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const rg = spawnSync("rg", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "ripgrep not found";
  return { cores: cpus().length, cpu: model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), freeGiB: +(freemem() / 2 ** 30).toFixed(1), node: process.version, ripgrep: rg };
}

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const fmt = (s: Stats) => `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)}`;

async function main() {
  if (spawnSync("rg", ["--version"]).status !== 0) throw new Error("ripgrep is not installed (Debian: apt-get install ripgrep)");
  const info = machine();
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const postgres = (await admin.query("show server_version")).rows[0].server_version as string;
  await admin.end();
  console.log(`bench/search on ${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, Node ${info.node}, Postgres ${postgres}, ${info.ripgrep}`);
  console.log(`${QUERIES.length} queries × ${ROUNDS} rounds (×2 at concurrency > 1); load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  const rows: Row[] = [];
  const ripgrep: Array<{ size: number; files: number; megabytes: number; stats: Stats; perQuery: Record<string, number> }> = [];
  const loads: number[][] = [];
  for (const size of SIZES) {
    console.log(`\n== ${size.toLocaleString("en")} records`);
    const url = await prepareDatabase(size);
    const slug = `scale-${size}`;
    const server = await startServer(url, PORT);
    try {
      const cookie = await logInAsDemo(PORT);
      await measurePage(slug, cookie, 4); // warm: plans, caches, JIT of the server
      for (const concurrency of CONCURRENCY) {
        const page = await measurePage(slug, cookie, concurrency);
        const typing = await measurePage(slug, cookie, concurrency, true);
        const sqlTimes = await measureSql(url, slug, concurrency);
        const perQuery: PerQuery = Object.fromEntries(
          QUERIES.map((q) => [
            q.label,
            { kind: q.kind, matches: sqlTimes.matches.get(q.label) ?? 0, server: stats(page.byQuery.get(q.label) ?? []).p50, sql: stats(sqlTimes.byQuery.get(q.label) ?? []).p50 },
          ]),
        );
        const row: Row = { size, concurrency, page: stats(page.page), typing: stats(typing.page), server: stats(page.server), sql: stats(sqlTimes.times), throughput: page.page.length / page.seconds, perQuery };
        rows.push(row);
        loads.push(loadavg());
        console.log(`  ${concurrency} client(s): page ${fmt(row.page)} ms · typing (.data) ${fmt(row.typing)} · server search ${fmt(row.server)} · sql ${fmt(row.sql)} · ${row.throughput.toFixed(0)} req/s`);
        if (concurrency === 1) {
          const slowest = Object.entries(perQuery).sort((a, b) => b[1].sql - a[1].sql).slice(0, 6);
          console.log(`    slowest (sql p50): ${slowest.map(([label, t]) => `${label} ${f(t.sql)}`).join(" · ")}`);
        }
      }
    } finally {
      await stopServer(server);
    }
    const dir = path.join(tmpdir(), `hindsight-bench-${size}`);
    const exported = await exportMarkdown(url, slug, dir);
    const rg = measureRipgrep(dir);
    ripgrep.push({ size, files: exported.files, megabytes: +(exported.bytes / 2 ** 20).toFixed(1), stats: stats(rg.times), perQuery: rg.perQuery });
    for (const row of rows.filter((r) => r.size === size && r.concurrency === 1)) {
      for (const [label, entry] of Object.entries(row.perQuery)) entry.ripgrep = rg.perQuery[label];
    }
    console.log(`  ripgrep over ${exported.files} Markdown files (${(exported.bytes / 2 ** 20).toFixed(1)} MiB): ${fmt(stats(rg.times))} ms`);
    rmSync(dir, { recursive: true, force: true });
  }

  console.log("\nms, p50 / p95 / p99");
  console.log(
    "| records | clients | search page (full response) | typing (`.data`) | server search time | same SQL direct | ripgrep (1 pattern) | page p95 ÷ SQL p95 | `.data` p95 ÷ SQL p95 | server p95 ÷ SQL p95 | ripgrep p50 ÷ page p50 |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) {
    const rg = ripgrep.find((r) => r.size === row.size)!;
    console.log(
      `| ${row.size.toLocaleString("en")} | ${row.concurrency} | ${fmt(row.page)} | ${fmt(row.typing)} | ${fmt(row.server)} | ${fmt(row.sql)} | ${row.concurrency === 1 ? fmt(rg.stats) : "–"} | ${(row.page.p95 / row.sql.p95).toFixed(2)} | ${(row.typing.p95 / row.sql.p95).toFixed(2)} | ${(row.server.p95 / row.sql.p95).toFixed(2)} | ${row.concurrency === 1 ? `${(rg.stats.p50 / row.page.p50).toFixed(1)}×` : "–"} |`,
    );
  }
  console.log("\nPer query, one client: p50 ms (ripgrep: slowest of its runs)");
  console.log("| records | query | kind | matches | server search | SQL | ripgrep |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows.filter((r) => r.concurrency === 1)) {
    for (const [label, q] of Object.entries(row.perQuery)) {
      console.log(`| ${row.size.toLocaleString("en")} | \`${label.replace(/\|/g, "\\|")}\` | ${q.kind} | ${q.matches.toLocaleString("en")} | ${f(q.server)} | ${f(q.sql)} | ${f(q.ripgrep ?? NaN)} |`);
    }
  }
  const out = path.join(ROOT, "bench/search/results");
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ machine: { ...info, postgres }, queries: QUERIES, rows, ripgrep, loadAverages: loads, rounds: ROUNDS }, null, 2));
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}; results in ${path.relative(ROOT, file)}`);
}

await main();
