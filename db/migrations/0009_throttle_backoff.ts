import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Login throttling with growing delays (app/domain/login-throttle.server.ts): a key that reached
 * its limit is refused until `blocked_until`, and each attempt after that doubles the wait.
 * `failures` now counts attempts as they start (a success clears it), so parallel guesses can't
 * all pass the check before any is counted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`alter table login_throttle add column blocked_until timestamptz`]);
}
