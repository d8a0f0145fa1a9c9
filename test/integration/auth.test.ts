import { expect, it } from "vitest";
import {
  createSession,
  invalidateSession,
  logIn,
  SESSION_LIFETIME_MS,
  signUp,
  validateSessionToken,
} from "~/domain/accounts/index.server";
import { ACCOUNT_ATTEMPT_LIMIT, ADDRESS_ATTEMPT_LIMIT, FIRST_DELAY_MS, PAIR_ATTEMPT_LIMIT } from "~/domain/accounts/index.server";
import { hashToken } from "~/domain/shared/tokens.server";
import { describeEachEngine } from "../support/databases";
import { GOOD_PASSWORD, makeUser, unique } from "../support/factories";

describeEachEngine("accounts and sessions", (testDb) => {
  it("signs up with a hashed password and writes an audit event", async () => {
    const db = testDb();
    const email = `${unique("Ada")}@Example.test`;
    const result = await signUp(db, { email, displayName: "Ada", password: GOOD_PASSWORD });
    expect(result.ok).toBe(true);
    const row = await db.selectFrom("users").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(GOOD_PASSWORD);
    const audit = await db.selectFrom("audit_events").selectAll().where("entity_id", "=", row.id).execute();
    expect(audit.map((a) => a.action)).toContain("user.signed_up");
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const db = testDb();
    const email = `${unique("dup")}@example.test`;
    await signUp(db, { email, displayName: "One", password: GOOD_PASSWORD });
    const again = await signUp(db, { email: email.toUpperCase(), displayName: "Two", password: GOOD_PASSWORD });
    expect(again).toMatchObject({ ok: false, kind: "conflict", fieldErrors: { email: [expect.stringContaining("already exists")] } });
  });

  it("refuses a common password with a reason", async () => {
    const result = await signUp(testDb(), { email: `${unique("weak")}@example.test`, displayName: "W", password: "password123" });
    expect(result).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { password: [expect.stringContaining("common")] } });
  });

  it("logs in with the right password only", async () => {
    const db = testDb();
    const user = await makeUser(db);
    expect(await logIn(db, { email: user.email, password: GOOD_PASSWORD, address: "10.0.0.1" })).toMatchObject({ ok: true });
    expect(await logIn(db, { email: user.email, password: "not the password", address: "10.0.0.1" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await logIn(db, { email: "nobody@example.test", password: GOOD_PASSWORD, address: "10.0.0.1" })).toMatchObject({ ok: false, kind: "invalid" });
  });

  it("throttles an account guessed from many addresses at a looser ceiling, even with the right password", async () => {
    const db = testDb();
    const user = await makeUser(db);
    for (let i = 0; i < ACCOUNT_ATTEMPT_LIMIT; i++) {
      await logIn(db, { email: user.email, password: "wrong password!", address: `10.1.0.${i}` });
    }
    const blocked = await logIn(db, { email: user.email, password: GOOD_PASSWORD, address: "10.1.1.1" });
    expect(blocked).toMatchObject({ ok: false, kind: "throttled" });
    if (!blocked.ok && blocked.kind === "throttled") expect(blocked.retryAfterSeconds).toBeGreaterThanOrEqual(FIRST_DELAY_MS / 1000 - 1);
  });

  it("waits longer after each attempt past the limit, and forgets after a quiet window", async () => {
    const db = testDb();
    const user = await makeUser(db);
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 20, 10) + ms);
    const attempt = (ms: number, password = "wrong password!") => logIn(db, { email: user.email, password, address: "10.4.0.1", now: at(ms) });
    for (let i = 0; i < PAIR_ATTEMPT_LIMIT; i++) expect(await attempt(i)).toMatchObject({ ok: false, kind: "invalid" });
    const first = PAIR_ATTEMPT_LIMIT - 1;
    expect(await attempt(first + 1000)).toMatchObject({ ok: false, kind: "throttled", retryAfterSeconds: 59 });
    // After the first delay, one more try is weighed; a wrong one doubles the wait.
    expect(await attempt(first + 60_000)).toMatchObject({ ok: false, kind: "invalid" });
    expect(await attempt(first + 61_000)).toMatchObject({ ok: false, kind: "throttled", retryAfterSeconds: 119 });
    expect(await attempt(first + 180_000)).toMatchObject({ ok: false, kind: "invalid" });
    expect(await attempt(first + 181_000)).toMatchObject({ ok: false, kind: "throttled", retryAfterSeconds: 239 });
    // Fifteen quiet minutes after the last block: a fresh start, and the right password gets in.
    expect(await attempt(first + 420_000 + 15 * 60_000, GOOD_PASSWORD)).toMatchObject({ ok: true });
  });

  it("throttles an address that tries many accounts", async () => {
    const db = testDb();
    const address = `10.2.${Math.floor(Math.random() * 250)}.9`;
    for (let i = 0; i < ADDRESS_ATTEMPT_LIMIT; i++) {
      await logIn(db, { email: `${unique("spray")}@example.test`, password: "guess guess guess", address });
    }
    const user = await makeUser(db);
    expect(await logIn(db, { email: user.email, password: GOOD_PASSWORD, address })).toMatchObject({ kind: "throttled" });
    expect(await logIn(db, { email: user.email, password: GOOD_PASSWORD, address: "10.3.0.1" })).toMatchObject({ ok: true });
  });

  it("an office's good log-ins from one address never use up that address's limit; its failed guesses still count", async () => {
    const db = testDb();
    const address = `10.4.${Math.floor(Math.random() * 250)}.7`;
    for (let i = 0; i < ADDRESS_ATTEMPT_LIMIT + 10; i++) {
      const colleague = await makeUser(db);
      expect(await logIn(db, { email: colleague.email, password: GOOD_PASSWORD, address })).toMatchObject({ ok: true });
    }
    for (let i = 0; i < ADDRESS_ATTEMPT_LIMIT; i++) {
      await logIn(db, { email: `${unique("spray")}@example.test`, password: "guess guess guess", address });
    }
    const late = await makeUser(db);
    expect(await logIn(db, { email: late.email, password: GOOD_PASSWORD, address })).toMatchObject({ kind: "throttled" });
  });

  it("stores only the hash of a session token and finds the user by the token", async () => {
    const db = testDb();
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    const stored = await db.selectFrom("sessions").selectAll().where("user_id", "=", user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(hashToken(token));
    expect(stored[0]!.id).not.toBe(token);
    expect((await validateSessionToken(db, token))?.user.id).toBe(user.id);
  });

  it("treats tampered, unknown and expired tokens as no session", async () => {
    const db = testDb();
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    expect(await validateSessionToken(db, token.slice(0, -1) + (token.endsWith("a") ? "b" : "a"))).toBeNull();
    expect(await validateSessionToken(db, "'; drop table users; --")).toBeNull();
    expect(await validateSessionToken(db, "")).toBeNull();
    const later = new Date(Date.now() + SESSION_LIFETIME_MS + 1000);
    expect(await validateSessionToken(db, token, later)).toBeNull();
    expect(await db.selectFrom("sessions").select("id").where("id", "=", hashToken(token)).executeTakeFirst()).toBeUndefined();
  });

  it("renews a session used in the second half of its life", async () => {
    const db = testDb();
    const user = await makeUser(db);
    const start = new Date();
    const { token, expiresAt } = await createSession(db, user.id, start);
    const early = await validateSessionToken(db, token, new Date(start.getTime() + 60_000));
    expect(early?.session.renewed).toBe(false);
    const late = new Date(start.getTime() + SESSION_LIFETIME_MS * 0.75);
    const renewed = await validateSessionToken(db, token, late);
    expect(renewed?.session.renewed).toBe(true);
    expect(renewed!.session.expiresAt.getTime()).toBeGreaterThan(expiresAt.getTime());
  });

  it("ends a session on logout", async () => {
    const db = testDb();
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    await invalidateSession(db, hashToken(token), user.id);
    expect(await validateSessionToken(db, token)).toBeNull();
  });
});

describeEachEngine("changing a password", (testDb) => {
  it("needs the current password, refuses a weak one, and logs out every other session", async () => {
    const db = testDb();
    const user = await makeUser(db);
    const here = await createSession(db, user.id);
    const elsewhere = await createSession(db, user.id);
    const { changePassword } = await import("~/domain/accounts/index.server");
    expect(await changePassword(db, user, hashToken(here.token), { currentPassword: "wrong password!!", newPassword: "a brand new passphrase" })).toMatchObject({
      ok: false,
      fieldErrors: { currentPassword: [expect.any(String)] },
    });
    expect(await changePassword(db, user, hashToken(here.token), { currentPassword: GOOD_PASSWORD, newPassword: "password123" })).toMatchObject({
      ok: false,
      fieldErrors: { newPassword: [expect.any(String)] },
    });
    expect(await changePassword(db, user, hashToken(here.token), { currentPassword: GOOD_PASSWORD, newPassword: "a brand new passphrase" })).toEqual({ ok: true, endedSessions: 1 });
    expect(await validateSessionToken(db, here.token)).not.toBeNull();
    expect(await validateSessionToken(db, elsewhere.token)).toBeNull();
    expect(await logIn(db, { email: user.email, password: "a brand new passphrase", address: "10.9.9.9" })).toMatchObject({ ok: true });
  });
});
