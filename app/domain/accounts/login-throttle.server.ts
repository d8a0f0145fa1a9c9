import type { Db } from "#db/connection";

/**
 * Failed logins counted per account and per client address in fixed windows. Kept in the
 * database so every app process sees the same counts.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 30;

export function throttleKeys(email: string, address: string) {
  return [
    { key: `account:${email}`, limit: ACCOUNT_FAILURE_LIMIT },
    { key: `ip:${address}`, limit: ADDRESS_FAILURE_LIMIT },
  ];
}

/** Seconds until the caller may try again, or 0 when no limit is reached. */
export async function loginRetryAfter(db: Db, email: string, address: string, now = new Date()): Promise<number> {
  const keys = throttleKeys(email, address);
  const rows = await db
    .selectFrom("login_throttle")
    .selectAll()
    .where("key", "in", keys.map((k) => k.key))
    .execute();
  let wait = 0;
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.key)?.limit ?? Infinity;
    const windowEnds = row.window_started_at.getTime() + THROTTLE_WINDOW_MS;
    if (row.failures >= limit && windowEnds > now.getTime()) {
      wait = Math.max(wait, Math.ceil((windowEnds - now.getTime()) / 1000));
    }
  }
  return wait;
}

export async function recordLoginFailure(db: Db, email: string, address: string, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  for (const { key } of throttleKeys(email, address)) {
    await db
      .insertInto("login_throttle")
      .values({ key, failures: 1, window_started_at: now })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet((eb) => ({
          // A window that has run out starts again at one.
          failures: eb
            .case()
            .when("login_throttle.window_started_at", "<=", windowStart)
            .then(1)
            .else(eb("login_throttle.failures", "+", 1))
            .end(),
          window_started_at: eb
            .case()
            .when("login_throttle.window_started_at", "<=", windowStart)
            .then(now)
            .else(eb.ref("login_throttle.window_started_at"))
            .end(),
        })),
      )
      .execute();
  }
}

/** A successful login clears the account's count (not the address's: one good password says nothing about the rest). */
export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", `account:${email}`).execute();
}
