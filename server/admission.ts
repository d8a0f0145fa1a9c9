/**
 * Admission: at most `limit` requests at a time go on to Remix, the others wait their turn, first
 * come first served (docs/decisions/0021). For the embedded database, which runs one query at a
 * time: letting every request in interleaves their queries, so each waits behind all the others
 * at every query and the slowest wait for seconds; in turn, they finish in about the order they
 * came, and a request whose client has gone while it waited is dropped without being run.
 * /healthz never waits here: a health check must not queue behind pages.
 */
import type { RequestHandler } from "express";
import pLimit from "p-limit";

const NEVER_QUEUED = new Set(["/healthz"]);

export function admission(limit: number): RequestHandler {
  const turn = pLimit(limit);
  return (req, res, next) => {
    if (NEVER_QUEUED.has(req.path)) return next();
    void turn(
      () =>
        new Promise<void>((done) => {
          if (req.socket.destroyed) return done();
          res.once("close", () => done());
          next();
        }),
    );
  };
}
