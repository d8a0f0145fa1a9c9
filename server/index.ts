/**
 * The HTTP server: Express in front of Remix. It owns what sits outside any route — request
 * logs, the same-origin check on form posts, static files — and opens the database (running
 * migrations) before it listens, so a broken database fails the start, not the first request.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { closeDb, getDb } from "#db/connection";
import { closeQueue } from "#db/queue";
import { resealStoredSecrets } from "~/domain/integrations/index.server";
import { resealTrackerSecrets } from "~/domain/trackers/index.server";
import { log } from "~/http/log.server";
import { inRequestScope } from "~/http/request-scope.server";
import { checkSameOrigin } from "~/http/same-origin";
import { securityHeaders } from "~/http/security-headers";
import { admission } from "./admission";
import { attachCollaboration } from "./collaboration";
import { answerBusy } from "./answers";
import { healthCheck } from "./health";
import { collectWhenIdle } from "./idle-gc";
import { remixHandler } from "./remix-handler";
import { configOrStop } from "./config";
import { startJobs } from "./jobs";
import { requireProductionBuild, SERVER_BUILD, stopOnDatabaseProblem, stopOnListenError } from "./preflight";

/**
 * How many requests work at once; the rest wait their turn (docs/decisions/0021). The embedded
 * database runs its queries on this thread, as the pages render: four keep the thread busy, and
 * more only make each admitted request slower (at 8, a search admitted after its 5 s wait could
 * take 5 s more). Postgres: one per pooled connection.
 */
const EMBEDDED_CONCURRENT_REQUESTS = 4;

const config = configOrStop();
const { mode: MODE, port: PORT, host: HOST } = config;

if (MODE === "production") requireProductionBuild();
const target = config.database;
const db = await getDb(target).catch(stopOnDatabaseProblem);
log.info({ engine: target.engine, mode: MODE }, "database ready");
// Secrets stored in plain (before encryption) or under a previous key are sealed anew.
const stored = await resealStoredSecrets(db);
const trackers = await resealTrackerSecrets(db);
const secrets = { resealed: stored.resealed + trackers.resealed, unreadable: stored.unreadable + trackers.unreadable };
if (secrets.resealed || secrets.unreadable) log[secrets.unreadable ? "error" : "info"](secrets, "stored secrets sealed with the current key");
await startJobs(db);

const viteDevServer =
  MODE === "production"
    ? undefined
    : await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }));

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.trustProxy);
// Health checks first: nothing below (logs, headers, sessions, turns) stands before their answer.
app.use(healthCheck(db));
app.use(collectWhenIdle());
app.use(compression());

app.use((req, res, next) => {
  const started = performance.now();
  res.on("finish", () => {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const level = res.statusCode >= 500 ? "error" : "info";
    log[level]({ method: req.method, path: req.path, status: res.statusCode, ms }, "request");
  });
  next();
});

// A page's loaders share what they look up once (the session, the membership): reads only.
app.use((req, _res, next) => (req.method === "GET" || req.method === "HEAD" ? inRequestScope(next) : next()));

app.use((req, res, next) => {
  // The address rate limits count by; set here so a client can't choose it (see request.server.ts).
  req.headers["x-client-address"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
  // A fresh nonce per answer for the Content-Security-Policy; Remix puts it on its inline scripts.
  res.locals.cspNonce = randomBytes(16).toString("base64");
  res.set(securityHeaders({ nonce: res.locals.cspNonce as string, https: req.secure, development: MODE === "development" }));
  const verdict = checkSameOrigin({
    method: req.method,
    path: req.path,
    host: req.get("host"),
    origin: req.get("origin"),
    referer: req.get("referer"),
  });
  if (!verdict.allowed) {
    log.warn({ method: req.method, path: req.path, reason: verdict.reason }, "cross-site request refused");
    res.status(403).type("text/plain").send(verdict.reason);
    return;
  }
  next();
});

if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // Only a path that names a file (favicon.svg) is looked for on disk: pages skip the stat call.
  const publicFiles = express.static("build/client", { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
}

// Requests that reach Remix use the database: they take turns, and one that waits too long is
// answered 503 with Retry-After instead of timing out (docs/decisions/0021).
app.use(admission({ limit: target.engine === "pglite" ? EMBEDDED_CONCURRENT_REQUESTS : config.databasePoolMax, busy: answerBusy }));

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(SERVER_BUILD.href)) as ServerBuild);

app.all("*", remixHandler(build, MODE));

const server = app.listen(PORT, HOST, () => {
  log.info({ url: `http://localhost:${PORT}`, mode: MODE }, "Hindsight is listening");
});
server.on("error", (error: NodeJS.ErrnoException) => stopOnListenError(error, PORT, HOST));
// Live co-editing: a WebSocket upgrade on /collab of this same server (docs/decisions/0029).
const collaboration = attachCollaboration(server, db, { redisUrl: config.redisUrl ?? undefined });

/**
 * SIGTERM: stop accepting, let requests in flight finish (idle keep-alive connections are
 * closed), let running jobs finish, then close the database (PGlite must close cleanly).
 */
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down: draining requests and jobs");
  setTimeout(() => {
    log.warn({ signal }, "drain took longer than 15 s; exiting");
    process.exit(1);
  }, 15_000).unref();
  // Live documents store their last edits and their sockets close first: open sockets would hold server.close.
  await collaboration.close().catch((error) => log.error({ error: String(error) }, "live documents did not close cleanly"));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 250);
  await closed;
  clearInterval(idle);
  await closeQueue({ graceful: true, timeoutMs: 10_000 }).catch((error) => log.error({ error: String(error) }, "job queue did not stop cleanly"));
  await closeDb();
  log.info({ signal }, "stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
