import { expect, it } from "vitest";
import { migrateToLatest } from "#db/connection";
import { DEMO_USER, DEMO_WORKSPACE, seedDemo } from "#db/seed";
import { logIn, signUp } from "~/domain/accounts/index.server";
import { createWorkspace, findMembership } from "~/domain/workspaces/index.server";
import { migrations } from "#db/migrations/index";
import { describeEachEngine } from "../support/databases";
import { unique } from "../support/factories";

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

  it("0011 renames the audit log's old record names to search's, and the log stays append-only", async () => {
    const db = testDb();
    const factorId = unique("legacy-factor");
    const actionId = unique("legacy-action");
    await db
      .insertInto("audit_events")
      .values([
        { workspace_id: null, actor_id: null, action: "factor.added", entity_type: "contributing_factor" as never, entity_id: factorId, change: "{}" },
        { workspace_id: null, actor_id: null, action: "action.created", entity_type: "guardrail_action" as never, entity_id: actionId, change: "{}" },
      ])
      .execute();
    await migrations["0011_audit_vocabulary"]!.up(db as never);
    const renamed = await db.selectFrom("audit_events").select(["entity_id", "entity_type"]).where("entity_id", "in", [factorId, actionId]).orderBy("entity_id").execute();
    expect(renamed).toEqual([
      { entity_id: actionId, entity_type: "action" },
      { entity_id: factorId, entity_type: "factor" },
    ].sort((a, b) => a.entity_id.localeCompare(b.entity_id)));
    await expect(db.updateTable("audit_events").set({ action: "factor.updated" }).where("entity_id", "=", factorId).execute()).rejects.toThrow(/append-only/);
  });
});
