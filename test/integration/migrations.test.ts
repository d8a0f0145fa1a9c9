import { expect, it } from "vitest";
import { migrateToLatest } from "#db/connection";
import { DEMO_USER, DEMO_WORKSPACE, seedDemo } from "#db/seed";
import { logIn, signUp } from "~/domain/accounts/index.server";
import { createWorkspace, findMembership } from "~/domain/workspaces/index.server";
import { describeEachEngine } from "../support/databases";

describeEachEngine("migrations and demo data", (testDb) => {
  it("migrating again changes nothing", async () => {
    const result = await migrateToLatest(testDb() as never);
    expect(result.results).toEqual([]);
  });

  it("the demo seed creates a workspace the printed credentials open, and is idempotent", async () => {
    const db = testDb();
    expect(await seedDemo(db, { signUp, createWorkspace })).toEqual({ created: true });
    expect(await seedDemo(db, { signUp, createWorkspace })).toEqual({ created: false });
    const login = await logIn(db, { email: DEMO_USER.email, password: DEMO_USER.password, address: "127.0.0.1" });
    expect(login.ok).toBe(true);
    if (login.ok) expect(await findMembership(db, login.user.id, DEMO_WORKSPACE.slug)).toMatchObject({ role: "admin" });
  });
});
