/**
 * bench/load: throughput, latency and memory of the production server under load, on both engines,
 * and what it does when Postgres goes away under load (issue 18; figures in docs/benchmarks/load.md).
 *
 *   npm run build && npm run bench:load [-- --engines pglite,postgres --connections 50,200
 *     --duration 30 --targets healthz,incidents,incident,search,guardrails --fault refuse,blackhole
 *     --outage 10 --database hindsight_bench_load --port 3388]
 *
 * For each engine: a fresh database with the demo workspace (`npm run db:seed`), the compiled
 * server (build/node) on loopback, logged in as the demo user; then autocannon against each target
 * at each connection count for `duration` seconds, one after the other, with the server's RSS
 * sampled (idle before, peak during, and 5, 10, 30 and 60 s after the last run) and /healthz asked every
 * 100 ms during each page run. Then, on Postgres, the fault run
 * (bench/load/fault.ts) for each mode in --fault (`none` skips it).
 *
 * Postgres: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres;
 * only its server is used: the database named by --database is dropped and made anew beside it.
 * PGlite: a fresh folder under the system's temporary directory. Writes
 * bench/load/results/<timestamp>.json and prints a summary. The client runs in this process, on
 * the same machine: on two cores it takes a share of the CPU the server would otherwise have.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, closeDatabase } from "#db/connection";
import { DEMO_WORKSPACE } from "#db/seed";
import { logInAsDemo, ROOT, startServer, stopServer, type BenchDatabase } from "../app-server";
import { faultRun, type FaultFigures } from "./fault";
import { load1, loadAverages, rssMb, run, settle, type RunFigures } from "./measure";
import { DatabaseProxy, type CutMode } from "../../test/support/database-proxy";

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return args[i]!.includes("=") ? args[i]!.split("=")[1] : (args[i + 1] ?? "true");
}
const list = (name: string, fallback: string) => (option(name) ?? fallback).split(",").filter(Boolean);

const ENGINES = list("engines", "pglite,postgres").filter((e): e is "pglite" | "postgres" => e === "pglite" || e === "postgres");
const CONNECTIONS = list("connections", "50,200").map(Number);
const DURATION = Number(option("duration") ?? 30);
const FAULTS = list("fault", "refuse,blackhole").filter((m) => m !== "none") as CutMode[];
const OUTAGE = Number(option("outage") ?? 10);
const PORT = Number(option("port") ?? 3388);
const DATABASE = option("database") ?? "hindsight_bench_load";
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ORIGIN = `http://127.0.0.1:${PORT}`;

const slug = DEMO_WORKSPACE.slug;
const ALL_TARGETS = [
  { name: "healthz", path: "/healthz" },
  { name: "incidents", path: `/w/${slug}/incidents` },
  { name: "incident", path: `/w/${slug}/incidents/1` },
  { name: "search", path: `/w/${slug}/search?q=retry` },
  { name: "guardrails", path: `/w/${slug}/guardrails` },
];
const TARGETS = ALL_TARGETS.filter((t) => list("targets", ALL_TARGETS.map((x) => x.name).join(",")).includes(t.name));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function seed(database: BenchDatabase) {
  const { DATABASE_URL: _unset, ...env } = process.env;
  const target = "url" in database ? { DATABASE_URL: database.url } : { PGLITE_DIR: database.pgliteDir };
  const seeded = spawnSync(process.execPath, ["build/node/db/cli/seed.js"], { cwd: ROOT, env: { ...env, ...target, LOG_LEVEL: "warn" }, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
}

async function freshPostgres(): Promise<string> {
  if (!/^[a-z][a-z0-9_]{2,62}$/.test(DATABASE)) throw new Error(`--database must be a plain lower-case name, not ${DATABASE}`);
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
    await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

type EngineFigures = { engine: string; rssIdleMb: number; rssAfter: Record<string, number>; rssAfterMb: number; runs: RunFigures[]; faults: FaultFigures[] };

function printRun(r: RunFigures) {
  const statuses = Object.entries(r.statuses).map(([code, n]) => `${code}×${n}`).join(" ");
  const health = r.healthDuring ? `  healthz meanwhile p50 ${r.healthDuring.p50} / p99 ${r.healthDuring.p99} / max ${r.healthDuring.max} ms ${JSON.stringify(r.healthDuring.statuses)}` : "";
  console.log(
    `  ${r.target.padEnd(10)} c=${String(r.connections).padStart(3)}  ${String(r.reqPerSec).padStart(7)} req/s  p50 ${String(r.p50).padStart(5)} ms  p99 ${String(r.p99).padStart(5)} ms  non-2xx ${r.non2xx}  errors ${r.errors} (timeouts ${r.timeouts})  rss peak ${r.rssPeakMb} MB  load ${r.load1Before}→${r.load1After}  settled in ${r.settleMs} ms  [${statuses}]${health}`,
  );
}

async function loadRuns(engine: "pglite" | "postgres"): Promise<EngineFigures> {
  let scratch: string | null = null;
  let database: BenchDatabase;
  if (engine === "postgres") database = { url: await freshPostgres() };
  else {
    scratch = mkdtempSync(path.join(tmpdir(), "hindsight-bench-load-"));
    database = { pgliteDir: path.join(scratch, "pglite") };
  }
  seed(database);
  const server = await startServer(database, PORT, 120_000, { HINDSIGHT_SECRET_KEY: "b".repeat(64) });
  servers.add(server);
  try {
    const cookie = await logInAsDemo(PORT);
    for (const target of TARGETS) {
      const response = await fetch(`${ORIGIN}${target.path}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${target.path} answered ${response.status} before the runs`);
      await response.arrayBuffer();
    }
    await sleep(3000);
    const rssIdleMb = rssMb(server.pid!);
    console.log(`${engine}: server idle at ${rssIdleMb} MB RSS, load ${load1()}`);
    const runs: RunFigures[] = [];
    for (const target of TARGETS) {
      for (const connections of CONNECTIONS) {
        const figures = await run(ORIGIN, target, connections, DURATION, cookie, server.pid!);
        figures.settleMs = await settle(ORIGIN);
        printRun(figures);
        runs.push(figures);
      }
    }
    // The server collects its garbage, pages given back, 2 s after it goes quiet (server/idle-gc.ts).
    const rssAfter: Record<string, number> = {};
    let waited = 0;
    for (const seconds of [5, 10, 30, 60]) {
      await sleep((seconds - waited) * 1000);
      waited = seconds;
      rssAfter[seconds] = rssMb(server.pid!);
    }
    const rssAfterMb = rssAfter[10]!;
    console.log(`${engine}: RSS after the runs ${JSON.stringify(rssAfter)} MB at seconds after (idle ${rssIdleMb} MB)`);
    return { engine, rssIdleMb, rssAfter, rssAfterMb, runs, faults: [] };
  } finally {
    await stopServer(server);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function faultRuns(): Promise<FaultFigures[]> {
  const url = new URL(await freshPostgres());
  seed({ url: url.toString() });
  const proxy = new DatabaseProxy({ host: url.hostname, port: Number(url.port || 5432) });
  await proxy.listen();
  const viaProxy = new URL(url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const db = openDatabase({ engine: "postgres", url: url.toString() });
  const server = await startServer({ url: viaProxy.toString() }, PORT, 120_000, { HINDSIGHT_SECRET_KEY: "b".repeat(64) });
  servers.add(server);
  const figures: FaultFigures[] = [];
  try {
    const cookie = await logInAsDemo(PORT);
    for (const mode of FAULTS) {
      const f = await faultRun({ origin: ORIGIN, cookie, server, proxy, db, mode, outageSeconds: OUTAGE, readers: 50, writers: 4 });
      console.log(`fault (${mode}, ${OUTAGE} s): ${JSON.stringify(f)}`);
      figures.push(f);
      await sleep(3000);
    }
    return figures;
  } finally {
    await stopServer(server);
    await closeDatabase(db);
    await proxy.close();
  }
}

// A stopped benchmark stops the server it started, and the PGlite folder goes with the run.
const servers = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const server of servers) server.kill("SIGTERM");
    process.exit(130);
  });
}

const started = new Date();
const machine = { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
// Other work shares this machine: its load before and after says how much CPU the runs really had.
const uptime = () => spawnSync("uptime", { encoding: "utf8" }).stdout.trim();
const uptimeBefore = uptime();
const loadBefore = loadAverages();
console.log(`bench/load on ${machine.cpus} cores (${machine.model}), Node ${machine.node}; ${uptimeBefore}`);
const engines: EngineFigures[] = [];
for (const engine of ENGINES) if (TARGETS.length && CONNECTIONS.length) engines.push(await loadRuns(engine));
const faults = FAULTS.length ? await faultRuns() : [];
const uptimeAfter = uptime();
console.log(`after: ${uptimeAfter}`);
const result = {
  started: started.toISOString(),
  finished: new Date().toISOString(),
  machine,
  load: { before: loadBefore, after: loadAverages(), uptimeBefore, uptimeAfter },
  duration: DURATION,
  engines,
  faults,
};
mkdirSync(path.join(ROOT, "bench/load/results"), { recursive: true });
const file = path.join(ROOT, "bench/load/results", `${started.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written to ${path.relative(ROOT, file)}`);
process.exit(0);
