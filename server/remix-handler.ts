/**
 * Hands requests to Remix, as @remix-run/express does, with three things added at the edge:
 *
 * - the body is counted while it streams in: a declared Content-Length over the path's limit is
 *   refused before a byte is read, a (chunked) body that passes it is cut off there, and either
 *   way the 413 says `Connection: close` and the connection is then closed, so a client never
 *   reuses a socket the server has stopped reading;
 * - an answer of 500 because the database can't be reached (a connection failed while the request
 *   ran, or the database doesn't answer now) becomes a 503 with Retry-After: a page for people,
 *   JSON for machines;
 * - each request's CSP nonce (server/index.ts) reaches Remix in the load context.
 */
import { Transform, type TransformCallback } from "node:stream";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { lastConnectionFailureAt } from "#db/connection";
import { databaseIsReachable } from "~/domain/shared/health.server";
import { bodyLimitFor } from "~/http/body-limits";
import { database } from "~/http/db.server";
import { log } from "~/http/log.server";
import { answerDatabaseUnavailable, answerEarly } from "./answers";

type Build = ServerBuild | (() => Promise<ServerBuild>);

/**
 * Whether a request that failed, started at `startedAt`, failed for the database: a connection
 * failed while it ran (even if the database is back by now), or the database doesn't answer now
 * (a shared probe, 2 s at most).
 */
async function databaseFailed(startedAt: number): Promise<boolean> {
  if (lastConnectionFailureAt() >= startedAt) return true;
  return database()
    .then((db) => databaseIsReachable(db, { afterFailure: true }))
    .then((reachable) => !reachable, () => true);
}

/**
 * 413, then close. Node closes a `Connection: close` socket as soon as the answer is written
 * (socket.destroySoon), and closing while the client is still sending makes the kernel reset the
 * connection, which can destroy the answer before the client reads it. So this one socket closes
 * the way servers "linger": send the answer and a FIN, read and drop what still arrives for a
 * moment, then close.
 */
function tooLarge(req: ExpressRequest, res: ExpressResponse, limit: number) {
  if (res.headersSent) return;
  log.warn({ method: req.method, path: req.path, limit }, "request body too large");
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), 2000).unref();
  };
  req.unpipe();
  req.resume();
  const kb = Math.round(limit / 1024);
  answerEarly(req, res, 413, "Too large", `The request body is larger than ${kb >= 1024 ? `${Math.round((kb / 1024) * 10) / 10} MB` : `${kb} KB`}.`, {
    Connection: "close",
  });
}

function remixHeaders(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  return headers;
}

async function sendRemixResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A route that sets its own policy (the print view) replaces the server's default, not adds to it.
  for (const [key, value] of response.headers.entries()) {
    if (key === "content-security-policy") res.setHeader(key, value);
    else res.append(key, value);
  }
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

class BodyLimit extends Transform {
  private size = 0;
  constructor(
    private readonly limit: number,
    private readonly onExceeded: () => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.size += chunk.length;
    if (this.size > this.limit) {
      this.onExceeded();
      done(new Error("request body too large"));
      return;
    }
    done(null, chunk);
  }
}

export function remixHandler(build: Build, mode: string) {
  const handle = createRequestHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const startedAt = performance.now();
    const limit = bodyLimitFor(req.path);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    if (hasBody && Number(req.headers["content-length"] ?? 0) > limit) return tooLarge(req, res, limit);

    let exceeded = false;
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeaders(req), signal: controller.signal };
    if (hasBody) {
      const counted = req.pipe(
        new BodyLimit(limit, () => {
          exceeded = true;
          tooLarge(req, res, limit);
          // The route's read of the body fails now; aborting marks that as expected, not a server error.
          controller.abort();
        }),
      );
      init.body = createReadableStreamFromReadable(counted);
      init.duplex = "half";
    }
    const url = new URL(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`);
    try {
      const response = await handle(new Request(url.href, init), { cspNonce: String(res.locals.cspNonce ?? "") });
      if (exceeded || res.headersSent) return;
      if (response.status >= 500 && (await databaseFailed(startedAt))) {
        log.warn({ method: req.method, path: req.path }, "database unreachable; answered 503");
        return answerDatabaseUnavailable(req, res);
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      if (exceeded || res.headersSent) return;
      if (await databaseFailed(startedAt)) {
        return answerDatabaseUnavailable(req, res);
      }
      next(error);
    }
  };
}
