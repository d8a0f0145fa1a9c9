import { expect, it } from "vitest";
import { changeActionStatus, countActions, createGate, gateSighting } from "~/domain/guardrails/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { seePassing } from "../support/enforcement";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";

describeEachEngine("guardrail views", (testDb) => {
  it("counts every action of the workspace, dropped ones included, and no other workspace's", async () => {
    const db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const other = await makeWorkspace(db, admin);
    expect(await countActions(db, ws.id)).toBe(0);
    const factor = await makeFactor(db, admin, ws.id, await makePostmortem(db, admin, ws.id));
    const number = await makeAction(db, admin, ws.id, factor);
    await changeActionStatus(db, admin, ws.id, number, { to: "wont_do", expectedVersion: 1, reason: "Superseded by a platform change" });
    expect(await countActions(db, ws.id)).toBe(1);
    expect(await countActions(db, other.id)).toBe(0);
  });

  it("tells when a gate was last seen enforced, and by which run, only inside its workspace", async () => {
    const db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const other = await makeWorkspace(db, admin);
    const gate = await createGate(db, admin, ws.id, { name: "Dry run", kind: "ci_check", repository: "acme/api", checkName: "dry-run", tiers: [], status: "enforced", description: "" });
    if (!gate.ok) throw new Error("gate refused");
    expect(await gateSighting(db, ws.id, gate.id)).toEqual({ last_seen_at: null, last_seen_url: null });
    const seenAt = new Date("2026-11-20T10:00:00Z");
    await seePassing(db, ws.id, "dry-run", seenAt, "https://github.com/acme/api/actions/runs/7");
    expect(await gateSighting(db, ws.id, gate.id)).toEqual({ last_seen_at: seenAt, last_seen_url: "https://github.com/acme/api/actions/runs/7" });
    expect(await gateSighting(db, other.id, gate.id)).toBeNull();
  });
});
