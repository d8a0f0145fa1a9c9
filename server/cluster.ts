/**
 * `npm run start:cluster`: several app processes on one Postgres, sharing one port through
 * Node's cluster module. WEB_CONCURRENCY sets how many (default: one per core). Everything that
 * must hold across processes lives in Postgres: sessions, login throttling, gapless numbers,
 * webhook idempotency, and the job queue (each cron job runs once across all of them).
 * PGlite is one process per data folder, so this refuses it: use `npm start`, or move to Postgres.
 */
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { configOrStop } from "./config";

const config = configOrStop();
if (config.database.engine !== "postgres") {
  process.stderr.write("start:cluster needs Postgres (DATABASE_URL): the embedded database serves one process. Use `npm start`, or set DATABASE_URL.\n");
  process.exit(1);
}
const requested = Number(process.env.WEB_CONCURRENCY ?? availableParallelism());
const count = Number.isInteger(requested) && requested >= 1 && requested <= 64 ? requested : availableParallelism();

// The app process's entry beside this one: index.js once compiled (npm run start:cluster), index.ts under tsx.
const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
cluster.setupPrimary({ exec: fileURLToPath(new URL(`./index.${extension}`, import.meta.url)) });
let stopping = false;
for (let i = 0; i < count; i += 1) cluster.fork();
cluster.on("exit", (worker, code, signal) => {
  if (stopping) return;
  process.stderr.write(`${JSON.stringify({ level: "warn", msg: "app process exited; starting another", pid: worker.process.pid, code, signal })}\n`);
  cluster.fork();
});

function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  // Each process drains its requests and jobs (server/index.ts); the primary leaves when they have.
  cluster.on("exit", () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
