/**
 * The log-in, sign-up and account forms over HTTP: the route actions get real requests (as Remix
 * hands them over) against a real database on both engines.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "#db/connection";
import { PAIR_ATTEMPT_LIMIT, PASSWORD_CHECK_LIMIT } from "~/domain/accounts/index.server";
import { hashToken } from "~/domain/shared/tokens.server";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as accountAction } from "~/routes/account";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as logInAction } from "~/routes/login";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as signUpAction } from "~/routes/signup";
import { describeEachEngine } from "../support/databases";
import { GOOD_PASSWORD, makeUser, unique } from "../support/factories";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

function formPost(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost", "x-client-address": "192.0.2.1", ...headers },
  });
}

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

/** Runs an action like Remix does: a thrown Response is the answer too, and `data()` becomes a JSON answer with its status. */
async function call(action: Action, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    const result = await action({ request, params, context: {} });
    if (result instanceof Response) return result;
    const { data, init } = result as { data: unknown; init?: ResponseInit };
    return Response.json(data, init ?? {});
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

const sessionToken = (response: Response) => response.headers.get("set-cookie")?.match(/hs_session=([a-z2-7]+)/)?.[1] ?? null;

describeEachEngine("log-in and sign-up forms", (testDb) => {
  beforeEach(() => {
    holder.db = testDb();
  });

  describe("a redirectTo a Location header can't carry", () => {
    const targets = ["/w/acme\r\nSet-Cookie: evil=1", "/w/acme\nx", "/w/caf\u00e9-\u{1F525}"];

    it("a NUL in redirectTo is refused with the form (text-input.ts) before an account exists", async () => {
      const db: Db = testDb();
      const email = `${unique("nul")}@example.test`;
      const answer = await call(signUpAction, formPost("/signup", { displayName: "Rosa", email, password: GOOD_PASSWORD, redirectTo: "/w/acme\u0000" }), {});
      expect(answer.status).toBe(400);
      expect(await db.selectFrom("users").select("id").where("email", "=", email).execute()).toEqual([]);
    });

    it.each(targets)("sign-up with %j creates one account and one session, and lands on a page of this site", async (redirectTo) => {
      const db: Db = testDb();
      const email = `${unique("redirect")}@example.test`;
      const answer = await call(signUpAction, formPost("/signup", { displayName: "Rosa", email, password: GOOD_PASSWORD, redirectTo }), {});
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toMatch(/^\/[\x21-\x7e]*$/);
      const users = await db.selectFrom("users").select("id").where("email", "=", email).execute();
      expect(users).toHaveLength(1);
      const sessions = await db.selectFrom("sessions").select("id").where("user_id", "=", users[0]!.id).execute();
      expect(sessions.map((s) => s.id)).toEqual([hashToken(sessionToken(answer)!)]);
    });

    it.each(targets)("log-in with %j starts exactly the session the browser gets", async (redirectTo) => {
      const db: Db = testDb();
      const user = await makeUser(db);
      const answer = await call(logInAction, formPost("/login", { email: user.email, password: GOOD_PASSWORD, redirectTo }), {});
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toMatch(/^\/[\x21-\x7e]*$/);
      const sessions = await db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
      expect(sessions.map((s) => s.id)).toEqual([hashToken(sessionToken(answer)!)]);
    });
  });
  describe("login throttling under parallel guesses", () => {
    const logInFrom = (address: string, email: string, password: string) =>
      call(logInAction, formPost("/login", { email, password }, { "x-client-address": address }), {});
    const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

    it("40 wrong passwords at once: most are refused with 429 before any password is checked", async () => {
      const user = await makeUser(testDb());
      const from = address();
      const answers = await Promise.all(Array.from({ length: 40 }, () => logInFrom(from, user.email, "wrong password, sorry")));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(PAIR_ATTEMPT_LIMIT);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40 - PAIR_ATTEMPT_LIMIT);
      expect(answers.find((a) => a.status === 429)?.headers.get("retry-after")).toMatch(/^\d+$/);
    });

    it("20 wrong passwords and the right one at once: once the limit is hit, the right one does not get in", async () => {
      const user = await makeUser(testDb());
      const from = address();
      const answers = await Promise.all([
        ...Array.from({ length: 20 }, () => logInFrom(from, user.email, "wrong password, sorry")),
        logInFrom(from, user.email, GOOD_PASSWORD),
      ]);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(PAIR_ATTEMPT_LIMIT);
      expect(statuses.at(-1)).toBe(429);
      expect((await logInFrom(from, user.email, GOOD_PASSWORD)).status).toBe(429);
    });

    it("someone else's failures from another address don't lock the owner out", async () => {
      const user = await makeUser(testDb());
      const attacker = address();
      const answers = await Promise.all(Array.from({ length: 12 }, () => logInFrom(attacker, user.email, "wrong password, sorry")));
      expect(answers.some((a) => a.status === 429)).toBe(true);
      const owner = await logInFrom(`203.0.113.${Math.floor(Math.random() * 250) + 1}`, user.email, GOOD_PASSWORD);
      expect(owner.status).toBe(302);
    });

    it("wrong current passwords on /account are throttled too", async () => {
      const db: Db = testDb();
      const user = await makeUser(db);
      const login = await logInFrom(address(), user.email, GOOD_PASSWORD);
      const cookie = `hs_session=${sessionToken(login)}`;
      const guess = (currentPassword: string) =>
        call(accountAction, formPost("/account", { intent: "change-password", currentPassword, newPassword: "a brand new passphrase here" }, { cookie }), {});
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await guess(`wrong guess number ${i}`)).status);
      expect(statuses.slice(0, PASSWORD_CHECK_LIMIT).every((s) => s === 400)).toBe(true);
      expect(statuses.slice(PASSWORD_CHECK_LIMIT)).toEqual(Array(12 - PASSWORD_CHECK_LIMIT).fill(429));
      expect((await guess(GOOD_PASSWORD)).status).toBe(429);
    });
  });
});
