import { databaseIsReachable } from "~/domain/shared/health.server";
import { database } from "~/http/db.server";

/** Liveness and readiness in one: 200 when the database answers, 503 when it doesn't. */
export async function loader() {
  const ok = await databaseIsReachable(await database()).catch(() => false);
  return Response.json({ ok, database: ok ? "reachable" : "unreachable" }, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
