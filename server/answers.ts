/**
 * Answers the server gives by itself, outside any route: a short page for people, JSON for
 * machines (the API, webhooks, Remix's data requests). They need no database and no React.
 */
import type { Request, Response } from "express";
import { lastConnectionFailureAt } from "#db/connection";
import { wantsJson } from "~/http/body-limits";
import { log } from "~/http/log.server";
import { BUSY, DATABASE_UNAVAILABLE, plainPage, RETRY_AFTER_SECONDS } from "~/http/unavailable";

export function answerEarly(req: Request, res: Response, status: number, title: string, message: string, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  res.status(status);
  res.set({ "Cache-Control": "no-store", ...headers });
  if (wantsJson(req.path)) res.type("application/json").send(JSON.stringify({ error: { status, message } }));
  else res.type("text/html").send(plainPage({ status, title, message, nonce: String(res.locals.cspNonce ?? "") }));
}

/** 503: the database can't be reached. */
export function answerDatabaseUnavailable(req: Request, res: Response) {
  answerEarly(req, res, 503, DATABASE_UNAVAILABLE.title, DATABASE_UNAVAILABLE.message, { "Retry-After": String(RETRY_AFTER_SECONDS) });
}

/**
 * 503: the request waited too long for its turn (server/admission.ts) and was not run. If a
 * database connection failed while it waited, the database is the reason, and the answer says so.
 */
export function answerBusy(req: Request, res: Response, waitedMs: number) {
  const databaseDown = lastConnectionFailureAt() >= performance.now() - waitedMs;
  log.warn({ method: req.method, path: req.path, waitedMs, databaseDown }, "no turn in time; answered 503");
  if (databaseDown) return answerDatabaseUnavailable(req, res);
  answerEarly(req, res, 503, BUSY.title, BUSY.message, { "Retry-After": String(RETRY_AFTER_SECONDS) });
}
