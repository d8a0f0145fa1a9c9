/**
 * The HTTP server: Express in front of Remix. It owns what sits outside any route — request
 * logs, the same-origin check on form posts, static files — and opens the database (running
 * migrations) before it listens, so a broken database fails the start, not the first request.
 */
import { randomBytes } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { closeDb, getDb, targetFromEnv } from "#db/connection";
import { log } from "~/http/log.server";
import { inRequestScope } from "~/http/request-scope.server";
import { checkSameOrigin } from "~/http/same-origin";
import { securityHeaders } from "~/http/security-headers";
import { remixHandler } from "./remix-handler";

const MODE = process.env.NODE_ENV === "production" ? "production" : "development";
const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? "0.0.0.0";

const target = targetFromEnv();
await getDb(target);
log.info({ engine: target.engine, mode: MODE }, "database ready");

const viteDevServer =
  MODE === "production"
    ? undefined
    : await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }));

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", process.env.TRUST_PROXY === "1");
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
  app.use(express.static("build/client", { maxAge: "1h" }));
}

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(new URL("../build/server/index.js", import.meta.url).href)) as ServerBuild);

app.all("*", remixHandler(build, MODE));

const server = app.listen(PORT, HOST, () => {
  log.info({ url: `http://localhost:${PORT}`, mode: MODE }, "Hindsight is listening");
});

function shutdown(signal: string) {
  log.info({ signal }, "shutting down");
  // Close PGlite cleanly so its data directory is consistent for the next start.
  server.close(() => void closeDb().finally(() => process.exit(0)));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
