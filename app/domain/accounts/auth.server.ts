import type { Db } from "#db/connection";
import { conflict, invalid, throttled, type Outcome } from "~/domain/shared/outcomes";
import type { User } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { clearLoginAttempts, clearPasswordChecks, reserveLoginAttempt, reservePasswordCheck } from "./login-throttle.server";
import { burnPasswordCheck, hashPassword, passwordWeakness, verifyPassword } from "./passwords.server";
import { generateSecretToken, hashToken } from "~/domain/shared/tokens.server";

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Sliding expiry: a session used in the second half of its life gets a fresh 30 days. */
const SESSION_RENEW_WHEN_LEFT_MS = SESSION_LIFETIME_MS / 2;

export type PublicUser = Pick<User, "id" | "email" | "display_name">;
export type SessionInfo = { id: string; expiresAt: Date; renewed: boolean };

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type SignUpInput = { email: string; displayName: string; password: string };

export async function signUp(
  db: Db,
  input: SignUpInput,
): Promise<Outcome<{ user: PublicUser }>> {
  const email = normalizeEmail(input.email);
  const weakness = passwordWeakness(input.password, email);
  if (weakness) return invalid({ password: [weakness] });

  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto("users")
      .values({ email, display_name: input.displayName.trim(), password_hash: passwordHash })
      .onConflict((oc) => oc.column("email").doNothing())
      .returning(["id", "email", "display_name"])
      .executeTakeFirst();
    if (!user) {
      const taken = "An account with this email already exists. Log in instead.";
      return conflict(taken, { email: [taken] });
    }
    await recordAuditEvent(trx, {
      workspaceId: null,
      actorId: user.id,
      action: "user.signed_up",
      entityType: "user",
      entityId: user.id,
      change: { email },
    });
    return { ok: true as const, user };
  });
}

/** A failed log-in never says whether the email exists: one message for both. */
export type LogInResult = Outcome<{ user: PublicUser }>;
const NO_MATCH = "That email and password don't match an account.";

function waitMessage(what: string, seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export async function logIn(db: Db, input: { email: string; password: string; address: string; now?: Date }): Promise<LogInResult> {
  const email = normalizeEmail(input.email);
  // Counted before the password is checked (login-throttle.server.ts), so parallel guesses can't slip past.
  const verdict = await reserveLoginAttempt(db, email, input.address, input.now);
  if (!verdict.allowed) return throttled(waitMessage("failed attempts", verdict.retryAfterSeconds), verdict.retryAfterSeconds);

  const user = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  const valid = user ? await verifyPassword(user.password_hash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!user || !valid) return invalid({}, NO_MATCH);
  await clearLoginAttempts(db, email, input.address);
  return { ok: true, user: { id: user.id, email: user.email, display_name: user.display_name } };
}

/** Starts a session; returns the token for the cookie (the database keeps only its hash). */
export async function createSession(db: Db, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSecretToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("sessions").values({ id: hashToken(token), user_id: userId, expires_at: expiresAt }).execute();
    await recordAuditEvent(trx, {
      workspaceId: null,
      actorId: userId,
      action: "user.logged_in",
      entityType: "user",
      entityId: userId,
    });
  });
  return { token, expiresAt };
}

/** The session's user, renewing the expiry when half of it has passed; null for unknown or expired tokens. */
export async function validateSessionToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ user: PublicUser; session: SessionInfo } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const sessionId = hashToken(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id", "sessions.expires_at", "users.id as user_id", "users.email", "users.display_name"])
    .where("sessions.id", "=", sessionId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.expires_at.getTime() <= now.getTime()) {
    await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
    return null;
  }
  let expiresAt = row.expires_at;
  let renewed = false;
  if (expiresAt.getTime() - now.getTime() < SESSION_RENEW_WHEN_LEFT_MS) {
    expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    renewed = true;
    await db.updateTable("sessions").set({ expires_at: expiresAt }).where("id", "=", sessionId).execute();
  }
  return {
    user: { id: row.user_id, email: row.email, display_name: row.display_name },
    session: { id: sessionId, expiresAt, renewed },
  };
}

export async function invalidateSession(db: Db, sessionId: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("sessions").where("id", "=", sessionId).execute();
    await recordAuditEvent(trx, {
      workspaceId: null,
      actorId: userId,
      action: "user.logged_out",
      entityType: "user",
      entityId: userId,
    });
  });
}


/**
 * Changes a password after checking the current one, and ends every other session of the
 * user: whoever knew the old password is logged out everywhere but here.
 */
export async function changePassword(
  db: Db,
  user: PublicUser,
  keepSessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<Outcome<{ endedSessions: number }>> {
  // Whoever holds a session could otherwise guess the current password without limit.
  const verdict = await reservePasswordCheck(db, user.id);
  if (!verdict.allowed) return throttled(waitMessage("wrong current passwords", verdict.retryAfterSeconds), verdict.retryAfterSeconds);
  const row = await db.selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    return invalid({ currentPassword: ["That is not your current password."] });
  }
  await clearPasswordChecks(db, user.id);
  const weakness = passwordWeakness(input.newPassword, user.email);
  if (weakness) return invalid({ newPassword: [weakness] });
  if (input.newPassword === input.currentPassword) return invalid({ newPassword: ["Choose a password different from the current one."] });
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", user.id).execute();
    const ended = await trx.deleteFrom("sessions").where("user_id", "=", user.id).where("id", "<>", keepSessionId).executeTakeFirst();
    await recordAuditEvent(trx, {
      workspaceId: null,
      actorId: user.id,
      action: "user.password_changed",
      entityType: "user",
      entityId: user.id,
      change: { endedSessions: Number(ended.numDeletedRows) },
    });
    return { ok: true as const, endedSessions: Number(ended.numDeletedRows) };
  });
}

/** Logs the user out of every other browser. */
export async function endOtherSessions(db: Db, user: PublicUser, keepSessionId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom("sessions").where("user_id", "=", user.id).where("id", "<>", keepSessionId).executeTakeFirst();
    await recordAuditEvent(trx, {
      workspaceId: null,
      actorId: user.id,
      action: "user.other_sessions_ended",
      entityType: "user",
      entityId: user.id,
      change: { endedSessions: Number(ended.numDeletedRows) },
    });
    return Number(ended.numDeletedRows);
  });
}
