import { sql } from "kysely";
import { expect, it } from "vitest";
import { changeActionStatus, createAction, createGate, factorsOfPostmortem, findAction, findGate, guardrailBoard, guardrailCounts, linkPullRequestToIncident, recurrences, removeFactor, setNoActionReason } from "~/domain/guardrails/index.server";
import { findPostmortem, publishPostmortem, requestReview, reviewPostmortem } from "~/domain/postmortems/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { requireChecks, seePassing } from "../support/enforcement";
import { actionInput, makeAction, makeFactor, makePostmortem } from "../support/guardrails";

const gateInput = (checkName: string) => ({
  name: `Check ${checkName}`,
  kind: "ci_check" as const,
  repository: "acme/api",
  checkName,
  tiers: ["T2" as const, "T3" as const],
  status: "proposed" as const,
  description: "",
});

describeEachEngine("guardrails", (testDb) => {
  async function setup() {
    const db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    return { db, admin, ws };
  }

  it("a postmortem can't be published while a factor has neither an action nor a reason", async () => {
    const { db, admin, ws } = await setup();
    const reviewer = await makeUser(db, "Reviewer");
    await addMember(db, ws.id, admin, reviewer, "editor");
    const number = await makePostmortem(db, admin, ws.id, { tier: "T1" });
    const withAction = await makeFactor(db, admin, ws.id, number, { text: "No canary for config pushes" });
    const bare = await makeFactor(db, admin, ws.id, number, { text: "Alert fired to an unowned channel" });
    await makeAction(db, admin, ws.id, withAction);
    await requestReview(db, admin, ws.id, number);
    await reviewPostmortem(db, reviewer, ws.id, number, { verdict: "approve", comment: "" });
    const refused = await publishPostmortem(db, admin, ws.id, number);
    expect(refused).toMatchObject({ ok: false, blockers: [expect.stringMatching(/Alert fired to an unowned channel/)] });
    await setNoActionReason(db, admin, ws.id, bare, "Channel ownership moved to the on-call rotation last week (ADR-7).");
    expect(await publishPostmortem(db, admin, ws.id, number)).toEqual({ ok: true });
  });

  it("creates an action with a new gate and a PR in one step, numbered ACT-n", async () => {
    const { db, admin, ws } = await setup();
    const number = await makePostmortem(db, admin, ws.id);
    const factor = await makeFactor(db, admin, ws.id, number);
    const result = await createAction(
      db,
      admin,
      ws.id,
      factor,
      actionInput({ newGate: gateInput("migration-dry-run"), implementingPrUrl: "https://github.com/acme/api/pull/42", ownerId: admin.id, dueOn: "2026-12-01" }),
    );
    expect(result).toEqual({ ok: true, number: 1 });
    const action = await findAction(db, ws.id, 1);
    expect(action).toMatchObject({ gate_name: "Check migration-dry-run", pr_repository: "acme/api", pr_number: 42, due_on: "2026-12-01", owner_name: "Admin", incident_number: number });
    const gate = await findGate(db, ws.id, action!.gate_id!);
    expect(gate?.actions.map((a) => a.number)).toEqual([1]);
    const refused = await createAction(db, admin, ws.id, factor, actionInput({ newGate: gateInput("migration-dry-run") }));
    expect(refused).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { "newGate.checkName": [expect.stringMatching(/already watches/)] } });
    expect(await createAction(db, admin, ws.id, factor, actionInput({ implementingPrUrl: "https://example.com/x" }))).toMatchObject({ ok: false, fieldErrors: { implementingPrUrl: [expect.any(String)] } });
    // Failed creates gave their numbers back.
    expect(await makeAction(db, admin, ws.id, factor)).toBe(2);
  });

  it("status moves by the rules: no verified without evidence, no won't do without a reason, no stale writes", async () => {
    const { db, admin, ws } = await setup();
    const number = await makePostmortem(db, admin, ws.id);
    const act = await makeAction(db, admin, ws.id, await makeFactor(db, admin, ws.id, number));
    expect(await changeActionStatus(db, admin, ws.id, act, { to: "verified", expectedVersion: 1 })).toMatchObject({ ok: false, kind: "conflict", message: expect.stringMatching(/evidence/) });
    expect(await changeActionStatus(db, admin, ws.id, act, { to: "wont_do", expectedVersion: 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/why/) });
    expect(await changeActionStatus(db, admin, ws.id, act, { to: "done", expectedVersion: 1 })).toMatchObject({ ok: true });
    expect(await changeActionStatus(db, admin, ws.id, act, { to: "verified", expectedVersion: 1, evidenceUrl: "https://x" })).toMatchObject({ ok: false, message: expect.stringMatching(/changed this action meanwhile/) });
    expect(await changeActionStatus(db, admin, ws.id, act, { to: "verified", expectedVersion: 2, evidenceUrl: "https://github.com/acme/api/actions/runs/9" })).toMatchObject({ ok: true });
    expect(await findAction(db, ws.id, act)).toMatchObject({ status: "verified", verified_by_name: "Admin", evidence_url: "https://github.com/acme/api/actions/runs/9" });
    // The database refuses it too, whoever writes.
    await expect(sql`update guardrail_actions set status = 'verified', evidence_url = null, evidence_note = null where workspace_id = ${ws.id}`.execute(db)).rejects.toThrow();
  });

  it("the board puts overdue work first and counts open, overdue and verified", async () => {
    const { db, admin, ws } = await setup();
    const number = await makePostmortem(db, admin, ws.id);
    const factor = await makeFactor(db, admin, ws.id, number);
    const later = await makeAction(db, admin, ws.id, factor, { title: "Later", dueOn: "2026-12-20" });
    const overdue = await makeAction(db, admin, ws.id, factor, { title: "Overdue", dueOn: "2026-11-01" });
    const noDate = await makeAction(db, admin, ws.id, factor, { title: "No date" });
    const verified = await makeAction(db, admin, ws.id, factor, { title: "Verified but old", dueOn: "2026-10-01" });
    await changeActionStatus(db, admin, ws.id, verified, { to: "verified", expectedVersion: 1, evidenceNote: "Saw it block PR #3" });
    const { actions: board } = await guardrailBoard(db, ws.id, { status: "all" }, {}, "2026-11-26");
    expect(board.map((a) => a.number)).toEqual([overdue, later, noDate, verified]);
    expect(board.map((a) => a.overdue)).toEqual([true, false, false, false]);
    expect(await guardrailCounts(db, ws.id, "2026-11-26")).toEqual({ open: 3, overdue: 1, regressed: 0, awaiting_verification: 0, verified: 1 });
    expect((await guardrailBoard(db, ws.id, { ownerId: admin.id }, {}, "2026-11-26")).actions).toEqual([]);
  });

  it("a gate enforced (required, then seen passing) after an action was done verifies it, with the run as evidence", async () => {
    const { db, admin, ws } = await setup();
    const number = await makePostmortem(db, admin, ws.id);
    const gate = await createGate(db, admin, ws.id, gateInput("sast"));
    if (!gate.ok) throw new Error("gate");
    const factor = await makeFactor(db, admin, ws.id, number, { gates: [{ gateId: gate.id, involvement: "missing" }] });
    const done = await makeAction(db, admin, ws.id, factor, { gateId: gate.id });
    const notDone = await makeAction(db, admin, ws.id, factor, { gateId: gate.id });
    await changeActionStatus(db, admin, ws.id, done, { to: "done", expectedVersion: 1 }, new Date("2026-11-20T10:00:00Z"));
    await requireChecks(db, ws.id, ["sast"], {}, new Date("2026-11-21T07:00:00Z"));
    expect(await findAction(db, ws.id, done)).toMatchObject({ status: "done" });
    const seen = await seePassing(db, ws.id, "sast", new Date("2026-11-21T08:00:00Z"), "https://github.com/acme/api/runs/77");
    expect(seen.changes).toContain(`ACT-${done} verified: its gate is enforced.`);
    expect(await findAction(db, ws.id, done)).toMatchObject({ status: "verified", evidence_url: "https://github.com/acme/api/runs/77", gate_last_seen_at: new Date("2026-11-21T08:00:00Z") });
    expect(await findAction(db, ws.id, notDone)).toMatchObject({ status: "open" });
    const chain = await findGate(db, ws.id, gate.id);
    expect(chain?.factors).toHaveLength(1);
    expect(chain?.factors[0]).toMatchObject({ involvement: "missing", incident_number: number });
  });

  it("flags a factor category that recurs without a verified guardrail", async () => {
    const { db, admin, ws } = await setup();
    for (let i = 0; i < 2; i++) {
      const number = await makePostmortem(db, admin, ws.id, { title: `Incident ${i}` });
      await makeFactor(db, admin, ws.id, number, { category: "rollback_gap" });
      await makeFactor(db, admin, ws.id, number, { category: "review_gap" });
    }
    const once = await makePostmortem(db, admin, ws.id);
    await makeFactor(db, admin, ws.id, once, { category: "runbook_gap" });
    let found = await recurrences(db, ws.id);
    expect(found.categories.map((c) => [c.category, c.incidents, c.flagged]).sort()).toEqual([
      ["review_gap", 2, true],
      ["rollback_gap", 2, true],
    ]);
    const [factor] = (await db.selectFrom("contributing_factors").select("id").where("workspace_id", "=", ws.id).where("category", "=", "rollback_gap").execute());
    const act = await makeAction(db, admin, ws.id, factor!.id);
    await changeActionStatus(db, admin, ws.id, act, { to: "verified", expectedVersion: 1, evidenceNote: "Rollback drill passed" });
    found = await recurrences(db, ws.id);
    expect(found.categories.find((c) => c.category === "rollback_gap")?.flagged).toBe(false);
  });

  it("links PRs to incidents and factors, and refuses a URL that isn't one", async () => {
    const { db, admin, ws } = await setup();
    const number = await makePostmortem(db, admin, ws.id);
    expect(await linkPullRequestToIncident(db, admin, ws.id, number, { url: "https://github.com/acme/api/pull/7", role: "trigger", tier: "T2", assisted: "yes" })).toEqual({ ok: true });
    expect(await linkPullRequestToIncident(db, admin, ws.id, number, { url: "https://github.com/acme/api/issues/7", role: "fix", tier: null, assisted: "unknown" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { url: [expect.any(String)] } });
    await makeFactor(db, admin, ws.id, number, { pullRequestUrls: ["https://github.com/acme/api/pull/7"] });
    const pm = await findPostmortem(db, ws.id, number);
    const [factor] = await factorsOfPostmortem(db, ws.id, pm!.id);
    expect(factor?.pullRequests).toMatchObject([{ repository: "acme/api", number: 7 }]);
    const prs = await db.selectFrom("pull_requests").selectAll().where("workspace_id", "=", ws.id).execute();
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({ tier: "T2", assisted: "yes" });
  });

  it("another workspace can't see or change any of it", async () => {
    const { db, admin, ws } = await setup();
    const stranger = await makeUser(db);
    const theirs = await makeWorkspace(db, stranger);
    const number = await makePostmortem(db, admin, ws.id);
    const factor = await makeFactor(db, admin, ws.id, number);
    const act = await makeAction(db, admin, ws.id, factor);
    const gate = await createGate(db, admin, ws.id, gateInput("lint"));
    if (!gate.ok) throw new Error("gate");
    expect(await findAction(db, theirs.id, act)).toBeNull();
    expect(await findGate(db, theirs.id, gate.id)).toBeNull();
    expect(await changeActionStatus(db, stranger, theirs.id, act, { to: "done", expectedVersion: 1 })).toMatchObject({ kind: "not-found" });
    expect(await createAction(db, stranger, theirs.id, factor, actionInput())).toMatchObject({ kind: "not-found" });
    expect(await removeFactor(db, stranger, theirs.id, factor)).toMatchObject({ kind: "not-found" });
    expect(await guardrailBoard(db, theirs.id, { status: "all" })).toEqual({ actions: [], next: null });
    const theirPm = await makePostmortem(db, stranger, theirs.id);
    const theirFactor = await makeFactor(db, stranger, theirs.id, theirPm);
    expect(await createAction(db, stranger, theirs.id, theirFactor, actionInput({ gateId: gate.id }))).toMatchObject({ ok: false, fieldErrors: { gateId: [expect.any(String)] } });
    expect(await createAction(db, stranger, theirs.id, theirFactor, actionInput({ ownerId: admin.id }))).toMatchObject({ ok: false, fieldErrors: { ownerId: [expect.any(String)] } });
  });
});
