/**
 * Admission: at most `limit` requests at a time go on to Remix, the others wait their turn, first
 * come first served (docs/decisions/0021).
 *
 * - Embedded database, which runs one query at a time: letting every request in interleaves their
 *   queries, so each waits behind all the others at every query and the slowest wait for seconds;
 *   in turn, they finish in about the order they came.
 * - Postgres: as many turns as the pool has connections, so a crowd waits here, in order, instead
 *   of in the pool's queue, where a wait past the connection timeout fails as if the database had
 *   gone.
 *
 * A request that has waited `maxWaitMs` without a turn is answered at once by `busy` (a 503 with
 * Retry-After) and never run, so a client always hears back instead of timing out; one whose
 * client has gone while it waited is dropped without being run. /healthz never comes here (the
 * server answers it first), and neither do static files.
 */
import type { Request, RequestHandler, Response } from "express";
import pLimit from "p-limit";

/** How long a request may wait for its turn before it is answered "busy". */
export const MAX_WAIT_MS = 5000;

export type AdmissionOptions = {
  /** How many requests run at once. */
  limit: number;
  /** How long one may wait for its turn; then `busy` answers it. */
  maxWaitMs?: number;
  /** Answers a request that waited too long (it has not been run). */
  busy: (req: Request, res: Response, waitedMs: number) => void;
};

export type Admission = RequestHandler & {
  /** Requests running now, and waiting. */
  readonly running: number;
  readonly waiting: number;
};

export function admission(options: AdmissionOptions): Admission {
  const turn = pLimit(options.limit);
  const maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
  const handler: RequestHandler = (req, res, next) => {
    const arrived = performance.now();
    let state: "waiting" | "answered" | "gone" | "running" = "waiting";
    const onClose = () => {
      if (state !== "waiting") return;
      state = "gone";
      clearTimeout(timer);
    };
    res.once("close", onClose);
    const timer = setTimeout(() => {
      if (state !== "waiting") return;
      state = "answered";
      options.busy(req, res, Math.round(performance.now() - arrived));
    }, maxWaitMs);
    void turn(
      () =>
        new Promise<void>((done) => {
          clearTimeout(timer);
          if (state !== "waiting" || req.socket.destroyed) return done();
          state = "running";
          res.off("close", onClose);
          res.once("close", () => done());
          next();
        }),
    );
  };
  return Object.defineProperties(handler, {
    running: { get: () => turn.activeCount },
    waiting: { get: () => turn.pendingCount },
  }) as Admission;
}
