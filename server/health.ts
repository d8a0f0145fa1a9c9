/**
 * GET /healthz, answered by the server before anything else: no session, no Remix, no turn to
 * wait for (docs/decisions/0021). 200 when the database answers, 503 when it doesn't. The answer
 * comes from the latest probe when it is under 2 s old (a fresh one is started past 250 ms), so a
 * health check answers at once even while the embedded database is busy with pages; only the
 * first check after a quiet spell waits for its probe (2 s at most). A change of answer is logged;
 * the checks themselves are not (a load balancer asks every few seconds).
 */
import type { RequestHandler } from "express";
import type { Db } from "#db/connection";
import { databaseIsReachable, recentReachability } from "~/domain/shared/health.server";
import { log } from "~/http/log.server";

export function healthCheck(db: Db): RequestHandler {
  let previous: boolean | null = null;
  return (req, res, next) => {
    if (req.path !== "/healthz" || (req.method !== "GET" && req.method !== "HEAD")) return next();
    const answer = (ok: boolean) => {
      if (previous !== null && ok !== previous) log[ok ? "info" : "warn"]({ database: ok ? "reachable" : "unreachable" }, "health changed");
      previous = ok;
      const body = JSON.stringify({ ok, database: ok ? "reachable" : "unreachable" });
      res.writeHead(ok ? 200 : 503, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const known = recentReachability(db);
    if (known !== null) return answer(known);
    void databaseIsReachable(db).then(answer, () => answer(false));
  };
}
