import type { Db } from "#db/connection";

/**
 * Password guessing limits, after OWASP's authentication guidance. Each attempt is counted as it
 * starts, under a row lock, so guesses sent in parallel are counted one after another and none
 * of them passes the check before the others are counted; a success clears its counts.
 *
 * - account and address together: the tight limit. One address guessing one account is stopped
 *   after PAIR_ATTEMPT_LIMIT tries, without locking the account's owner out elsewhere.
 * - account alone: a looser ceiling, for guesses spread over many addresses.
 * - address alone: one address trying many accounts.
 *
 * A key that reaches its limit is refused for a delay that doubles with every further attempt
 * (up to MAX_DELAY_MS); its count is forgotten after a quiet WINDOW_MS. Kept in the database so
 * every app process sees the same counts.
 */
const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const FIRST_DELAY_MS = 60 * 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;
export const PAIR_ATTEMPT_LIMIT = 5;
export const ACCOUNT_ATTEMPT_LIMIT = 20;
export const ADDRESS_ATTEMPT_LIMIT = 30;
/** Wrong current passwords on the account page, per user. */
export const PASSWORD_CHECK_LIMIT = 5;

type Rule = { key: string; limit: number };
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function loginRules(email: string, address: string): Rule[] {
  return [
    { key: `pair:${email}|${address}`, limit: PAIR_ATTEMPT_LIMIT },
    { key: `account:${email}`, limit: ACCOUNT_ATTEMPT_LIMIT },
    { key: `ip:${address}`, limit: ADDRESS_ATTEMPT_LIMIT },
  ];
}

const passwordRule = (userId: string): Rule => ({ key: `password:${userId}`, limit: PASSWORD_CHECK_LIMIT });

/** The wait after the limit-th attempt, doubling with each attempt beyond it. */
function delayAfter(attempts: number, limit: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - limit));
}

/**
 * Counts one attempt against every rule, or refuses it (counting nothing) when a rule is blocked.
 * The rows are locked in key order, so two attempts on the same keys never deadlock.
 */
async function reserveAttempt(db: Db, rules: Rule[], now: Date): Promise<ThrottleVerdict> {
  const ordered = [...rules].sort((a, b) => a.key.localeCompare(b.key));
  const keys = ordered.map((r) => r.key);
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("login_throttle")
      .values(ordered.map((r) => ({ key: r.key, failures: 0, window_started_at: now, blocked_until: null })))
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    const rows = await trx.selectFrom("login_throttle").selectAll().where("key", "in", keys).orderBy("key").forUpdate().execute();
    const t = now.getTime();
    const current = rows.map((row) => {
      // Quiet for a whole window since the count began (or since the last block ended): forget it.
      const quietSince = (row.blocked_until ?? row.window_started_at).getTime();
      const stale = t - quietSince >= THROTTLE_WINDOW_MS;
      return stale ? { ...row, failures: 0, window_started_at: now, blocked_until: null } : row;
    });
    const blockedFor = Math.max(0, ...current.map((row) => (row.blocked_until ? row.blocked_until.getTime() - t : 0)));
    const limits = new Map(ordered.map((r) => [r.key, r.limit]));
    for (const row of current) {
      const failures = blockedFor > 0 ? row.failures : row.failures + 1;
      const limit = limits.get(row.key)!;
      const blockedUntil = blockedFor > 0 ? row.blocked_until : failures >= limit ? new Date(t + delayAfter(failures, limit)) : null;
      await trx
        .updateTable("login_throttle")
        .set({ failures, window_started_at: row.window_started_at, blocked_until: blockedUntil })
        .where("key", "=", row.key)
        .execute();
    }
    return blockedFor > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(blockedFor / 1000) } : { allowed: true };
  });
}

export function reserveLoginAttempt(db: Db, email: string, address: string, now = new Date()): Promise<ThrottleVerdict> {
  return reserveAttempt(db, loginRules(email, address), now);
}

/**
 * A successful login clears the account's counts, and gives back the one attempt it reserved on
 * its address (lifting a block that attempt alone set), so the good log-ins of an office behind
 * one address never use up that address's limit. The address's failed guesses stay counted.
 */
export async function clearLoginAttempts(db: Db, email: string, address: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("login_throttle").where("key", "in", [`pair:${email}|${address}`, `account:${email}`]).execute();
    const key = loginRules(email, address).find((rule) => rule.key.startsWith("ip:"))!.key;
    const row = await trx.selectFrom("login_throttle").select("failures").where("key", "=", key).forUpdate().executeTakeFirst();
    if (!row) return;
    const failures = Math.max(0, row.failures - 1);
    await trx
      .updateTable("login_throttle")
      .set(failures < ADDRESS_ATTEMPT_LIMIT ? { failures, blocked_until: null } : { failures })
      .where("key", "=", key)
      .execute();
  });
}

export function reservePasswordCheck(db: Db, userId: string, now = new Date()): Promise<ThrottleVerdict> {
  return reserveAttempt(db, [passwordRule(userId)], now);
}

export async function clearPasswordChecks(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", passwordRule(userId).key).execute();
}
