import { sql } from "kysely";
import { expect, it } from "vitest";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { listAreas, listTiers } from "~/domain/workspaces/index.server";
import {
  acceptInvite,
  changeMemberRole,
  createInvite,
  createWorkspace,
  findMembership,
  revokeInvite,
} from "~/domain/workspaces/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace, unique } from "../support/factories";

describeEachEngine("workspaces, memberships and invites", (testDb) => {
  it("a new workspace has its creator as admin, the default tiers and areas, and an audit event", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    expect(await findMembership(db, admin.id, ws.slug)).toMatchObject({ role: "admin", workspace: { id: ws.id } });
    const tiers = await listTiers(db, ws.id);
    expect(tiers.map((t) => t.key)).toEqual(["T0", "T1", "T2", "T3"]);
    expect(tiers[2]!.required_checks).toContain("Maintainer review");
    expect((await listAreas(db, ws.id)).map((a) => a.slug).sort()).toEqual(["auth", "billing", "data-access", "infra", "observability"]);
    const audit = await db.selectFrom("audit_events").selectAll().where("workspace_id", "=", ws.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["workspace.created"]);
  });

  it("refuses a taken or reserved address with a field error", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    expect(await createWorkspace(db, admin, { name: "Again", slug: ws.slug })).toEqual({
      ok: false,
      kind: "conflict",
      message: expect.stringContaining("taken"),
      fieldErrors: { slug: [expect.stringContaining("taken")] },
    });
    expect(await createWorkspace(db, admin, { name: "Settings", slug: "settings" })).toMatchObject({ ok: false });
  });

  it("hides a workspace from someone who is not a member", async () => {
    const db = testDb();
    const owner = await makeUser(db);
    const stranger = await makeUser(db);
    const ws = await makeWorkspace(db, owner);
    expect(await findMembership(db, stranger.id, ws.slug)).toBeNull();
    expect(await findMembership(db, stranger.id, "no-such-workspace")).toBeNull();
  });

  it("an invite link works once, for the role it names", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const { token } = await createInvite(db, admin, ws.id, "viewer");
    const first = await makeUser(db);
    const second = await makeUser(db);
    expect(await acceptInvite(db, first, token)).toEqual({ slug: ws.slug });
    expect(await acceptInvite(db, second, token)).toBeNull();
    expect(await findMembership(db, first.id, ws.slug)).toMatchObject({ role: "viewer" });
    expect(await findMembership(db, second.id, ws.slug)).toBeNull();
  });

  it("a revoked or expired invite opens nothing", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const revoked = await createInvite(db, admin, ws.id, "editor");
    const invite = await db.selectFrom("invites").select("id").where("workspace_id", "=", ws.id).executeTakeFirstOrThrow();
    expect(await revokeInvite(db, admin, ws.id, invite.id)).toBe(true);
    const user = await makeUser(db);
    expect(await acceptInvite(db, user, revoked.token)).toBeNull();
    const old = await createInvite(db, admin, ws.id, "editor", new Date(Date.now() - 8 * 24 * 3600 * 1000));
    expect(await acceptInvite(db, user, old.token)).toBeNull();
    expect(await acceptInvite(db, user, "not-a-token")).toBeNull();
  });

  it("keeps at least one admin", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    expect(await changeMemberRole(db, admin, ws.id, admin.id, "viewer")).toMatchObject({ ok: false, kind: "conflict" });
    expect(await changeMemberRole(db, admin, ws.id, admin.id, null)).toMatchObject({ ok: false, kind: "conflict" });
    const other = await makeUser(db);
    await addMember(db, ws.id, admin, other, "editor");
    expect(await changeMemberRole(db, admin, ws.id, other.id, "admin")).toEqual({ ok: true });
    expect(await changeMemberRole(db, other, ws.id, admin.id, "viewer")).toEqual({ ok: true });
    expect(await findMembership(db, admin.id, ws.slug)).toMatchObject({ role: "viewer" });
  });

  it("an admin of one workspace cannot change members of another", async () => {
    const db = testDb();
    const a = await makeUser(db);
    const b = await makeUser(db);
    const wsA = await makeWorkspace(db, a);
    const wsB = await makeWorkspace(db, b);
    expect(await changeMemberRole(db, a, wsA.id, b.id, "viewer")).toMatchObject({ ok: false, kind: "not-found" });
    expect(await findMembership(db, b.id, wsB.slug)).toMatchObject({ role: "admin" });
  });
});

describeEachEngine("the audit log", (testDb) => {
  it("refuses updates and deletes", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    await makeWorkspace(db, admin);
    await expect(sql`update audit_events set action = 'tampered'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
  });

  it("rolls back with the change it records", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const marker = unique("rollback");
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, { workspaceId: null, actorId: admin.id, action: "workspace.renamed", entityType: "workspace", entityId: marker });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.selectFrom("audit_events").select("id").where("entity_id", "=", marker).execute()).toEqual([]);
  });
});

describeEachEngine("the tier and area catalog", (testDb) => {
  it("each workspace words its own tiers and adds its own areas", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const other = await makeWorkspace(db, admin);
    const { updateTier, saveArea } = await import("~/domain/workspaces/index.server");
    expect(
      await updateTier(db, admin, ws.id, "T2", { name: "Sensitive", summary: "Money and identity", typicalChanges: ["Payments"], requiredChecks: ["Two reviews", "Threat model"], releaseControls: ["Staged"] }),
    ).toBe(true);
    expect((await listTiers(db, ws.id))[2]).toMatchObject({ summary: "Money and identity", required_checks: ["Two reviews", "Threat model"] });
    expect((await listTiers(db, other.id))[2]!.required_checks).toContain("Maintainer review");
    expect(await saveArea(db, admin, ws.id, null, { name: "Payments API", slug: "payments-api", description: "", defaultTier: "T3" })).toEqual({ ok: true });
    expect(await saveArea(db, admin, ws.id, null, { name: "Again", slug: "payments-api", description: "", defaultTier: "T1" })).toMatchObject({ ok: false, kind: "conflict" });
    const foreign = (await listAreas(db, other.id))[0]!;
    expect(await saveArea(db, admin, ws.id, foreign.id, { name: "Hijack", slug: "hijack", description: "", defaultTier: "T0" })).toMatchObject({ ok: false, kind: "not-found" });
  });
});
