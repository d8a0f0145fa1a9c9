/**
 * Enforced means required (issue 13): a gate's state follows GitHub's evidence — branch protection
 * and rulesets saying a check is required on the default branch, and the check seen passing there —
 * with GitHub's own example payloads, an injected clock, on both engines.
 */
import { expect, it } from "vitest";
import type { Db } from "#db/connection";
import { changeActionStatus, createGate, findAction, guardrailBoard, sweepStaleGates } from "~/domain/guardrails/index.server";
import { renderDigest, saveGithubSettings, sendDueDigests, smtpMailer, workspaceDigests } from "~/domain/integrations/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { checkRun, checkSuite, deliver, PROTECTED_REPO, protectionRule, repositoryRuleset } from "../support/gate-events";
import { githubExample, githubExamples } from "../support/integrations";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { startSmtpServer } from "../support/smtp";

const CHECK = "basic-CI";
const at = (iso: string) => new Date(iso);

describeEachEngine("enforced gates", (testDb) => {
  async function setup(checkName = CHECK) {
    const db: Db = testDb();
    const admin = await makeUser(db, "Admin");
    const owner = await makeUser(db, "Olu Owner");
    const ws = await makeWorkspace(db, admin);
    await addMember(db, ws.id, admin, owner, "editor");
    const gate = await createGate(db, admin, ws.id, { name: "Basic CI on main", kind: "ci_check", repository: PROTECTED_REPO.full_name, checkName, tiers: ["T2"], status: "enforced", description: "" });
    if (!gate.ok) throw new Error("gate not created");
    const incident = await makePostmortem(db, admin, ws.id);
    const factor = await makeFactor(db, admin, ws.id, incident);
    const action = await makeAction(db, admin, ws.id, factor, { gateId: gate.id, ownerId: owner.id });
    const markDone = async (when: string) => {
      const current = await findAction(db, ws.id, action);
      expect(await changeActionStatus(db, admin, ws.id, action, { to: "done", expectedVersion: current!.version }, at(when))).toMatchObject({ ok: true });
    };
    const gateRow = () => db.selectFrom("gates").select(["state", "state_reason", "state_delivery_id", "first_seen_at", "last_seen_at"]).where("id", "=", gate.id).executeTakeFirstOrThrow();
    const actionRow = async () => (await findAction(db, ws.id, action))!;
    const send = (event: string, payload: unknown, now: string, id?: string) => deliver(db, ws.id, { event, payload, id }, at(now));
    return { db, admin, owner, ws, gateId: gate.id, action, markDone, gateRow, actionRow, send };
  }

  it("records what every branch_protection_rule example says, per repository and rule, with its delivery", async () => {
    const { db, ws, send } = await setup();
    const examples = githubExamples("branch_protection_rule");
    expect(examples).toHaveLength(5);
    for (const [i, payload] of examples.entries()) {
      // The wolfy1339 example is from a repository this workspace does not know: refused, nothing recorded.
      const result = await send("branch_protection_rule", payload, "2026-11-10T00:00:00Z", `bpr-${i}`);
      if (payload.repository.full_name === "octo-org/octo-repo") expect(result).toMatchObject({ kind: "processed", outcome: "applied" });
      else expect(result).toMatchObject({ kind: "rejected", why: "unusable" });
    }
    const facts = await db.selectFrom("requirement_facts").select(["rule_key", "rule_name", "required_checks", "enforcement", "required_approvals", "code_owner_review", "admins_included", "removed", "event", "delivery_id"]).where("workspace_id", "=", ws.id).orderBy("delivery_id").execute();
    expect(facts).toHaveLength(4);
    expect(facts.map((f) => f.event)).toEqual(["branch_protection_rule.edited", "branch_protection_rule.created", "branch_protection_rule.deleted", "branch_protection_rule.edited"]);
    expect(facts[0]).toMatchObject({ rule_key: "protection:21796960", rule_name: "production", required_checks: ["basic-CI"], enforcement: "non_admins", required_approvals: 0, removed: false });
    expect(facts[2]).toMatchObject({ removed: true });
    // The rule protects "production", not the default branch main: the gate is not required.
    expect((await db.selectFrom("gates").select("state").where("workspace_id", "=", ws.id).executeTakeFirstOrThrow()).state).toBe("proposed");
  });

  it("walks proposed → required → enforced → regressed → re-enforced, verifying and sending back the action, audited", async () => {
    const { db, ws, action, markDone, gateRow, actionRow, send } = await setup();
    expect((await gateRow()).state).toBe("proposed");
    await markDone("2026-11-02T09:00:00Z");

    const required = await send("branch_protection_rule", protectionRule("created", { name: "main", checks: [CHECK], at: "2026-11-02T10:00:00Z" }), "2026-11-02T10:00:05Z", "bpr-created");
    expect(required).toMatchObject({ outcome: "applied" });
    expect(await gateRow()).toMatchObject({ state: "required_not_seen", state_delivery_id: "bpr-created" });
    expect((await actionRow()).status).toBe("done");

    const passed = await send("check_run", checkRun(CHECK, "2026-11-02T11:00:00Z"), "2026-11-02T11:00:03Z", "run-1");
    expect(passed).toMatchObject({ outcome: "applied", changes: expect.arrayContaining([`ACT-${action} verified: its gate is enforced.`]) });
    expect(await gateRow()).toMatchObject({ state: "enforced", last_seen_at: at("2026-11-02T11:00:00Z") });
    expect(await actionRow()).toMatchObject({ status: "verified", verified_by: null, evidence_url: expect.stringContaining("/runs/"), gate_state: "enforced" });

    const dropped = await send("branch_protection_rule", protectionRule("edited", { name: "main", checks: [], at: "2026-11-04T08:00:00Z" }), "2026-11-04T08:00:02Z", "bpr-edited");
    expect(dropped).toMatchObject({ outcome: "applied" });
    const regressed = await gateRow();
    expect(regressed).toMatchObject({ state: "regressed", state_delivery_id: "bpr-edited" });
    expect(regressed.state_reason).toBe("Requirement removed by the branch_protection_rule.edited delivery of 2026-11-04 (bpr-edited): branch protection “main” no longer requires “basic-CI”.");
    const back = await actionRow();
    expect(back).toMatchObject({ status: "in_progress", verified_at: null, evidence_url: null, done_at: null });
    expect(back.drift_reason).toBe(`Gate “Basic CI on main” regressed. ${regressed.state_reason}`);
    const { actions: board } = await guardrailBoard(db, ws.id, { status: "regressed" });
    expect(board.map((a) => a.number)).toEqual([action]);

    // Required again: the sighting of 2026-11-02 is within 14 days, so the gate is enforced again.
    await send("branch_protection_rule", protectionRule("edited", { name: "main", checks: [CHECK], at: "2026-11-05T08:00:00Z" }), "2026-11-05T08:00:02Z", "bpr-again");
    expect((await gateRow()).state).toBe("enforced");
    // The action waits for its owner to finish it again; the next passing run verifies it.
    expect((await actionRow()).status).toBe("in_progress");
    await markDone("2026-11-05T09:00:00Z");
    await send("check_run", checkRun(CHECK, "2026-11-05T10:00:00Z"), "2026-11-05T10:00:01Z", "run-2");
    expect(await actionRow()).toMatchObject({ status: "verified", drift_reason: null });

    const audit = await db.selectFrom("audit_events").select(["action", "change"]).where("workspace_id", "=", ws.id).where("entity_type", "in", ["gate", "action"]).orderBy("id").execute();
    const states = audit.filter((a) => a.action === "gate.state_changed").map((a) => `${(a.change as { from: string }).from}→${(a.change as { to: string }).to}`);
    expect(states).toEqual(["proposed→required_not_seen", "required_not_seen→enforced", "enforced→regressed", "regressed→enforced"]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["action.verified_by_gate", "action.sent_back_by_gate"]));
  });

  it("a deleted rule or enforcement turned off regresses the gate too", async () => {
    const { gateRow, send } = await setup();
    await send("branch_protection_rule", protectionRule("created", { checks: [CHECK], at: "2026-11-02T10:00:00Z" }), "2026-11-02T10:00:00Z");
    await send("check_run", checkRun(CHECK, "2026-11-02T11:00:00Z"), "2026-11-02T11:00:00Z");
    await send("branch_protection_rule", protectionRule("edited", { checks: [CHECK], level: "off", at: "2026-11-03T10:00:00Z" }), "2026-11-03T10:00:00Z", "bpr-off");
    expect(await gateRow()).toMatchObject({ state: "regressed", state_reason: expect.stringMatching(/no longer enforces its status checks/) });
    await send("branch_protection_rule", protectionRule("edited", { checks: [CHECK], level: "everyone", at: "2026-11-04T10:00:00Z" }), "2026-11-04T10:00:00Z");
    expect((await gateRow()).state).toBe("enforced");
    await send("branch_protection_rule", protectionRule("deleted", { checks: [CHECK], at: "2026-11-04T10:00:00Z" }), "2026-11-05T10:00:00Z", "bpr-deleted");
    expect(await gateRow()).toMatchObject({ state: "regressed", state_delivery_id: "bpr-deleted", state_reason: expect.stringMatching(/was deleted/) });
  });

  it("a repository ruleset requiring the check on ~DEFAULT_BRANCH counts; evaluate mode does not", async () => {
    const { db, ws, gateRow, send } = await setup();
    await send("check_run", checkRun(CHECK, "2026-11-02T11:00:00Z"), "2026-11-02T11:00:00Z");
    expect((await gateRow()).state).toBe("seen_not_required");
    await send("repository_ruleset", repositoryRuleset("created", { checks: [CHECK], enforcement: "evaluate", at: "2026-11-02T12:00:00Z" }), "2026-11-02T12:00:00Z");
    expect((await gateRow()).state).toBe("seen_not_required");
    await send("repository_ruleset", repositoryRuleset("edited", { checks: [CHECK], at: "2026-11-02T13:00:00Z" }), "2026-11-02T13:00:00Z", "ruleset-active");
    expect(await gateRow()).toMatchObject({ state: "enforced", state_delivery_id: "ruleset-active", state_reason: expect.stringMatching(/ruleset “Protect main”/) });
    const fact = await db.selectFrom("requirement_facts").select(["required_approvals", "code_owner_review", "admins_included"]).where("workspace_id", "=", ws.id).where("delivery_id", "=", "ruleset-active").executeTakeFirstOrThrow();
    expect(fact).toEqual({ required_approvals: 2, code_owner_review: true, admins_included: true });
    await send("repository_ruleset", repositoryRuleset("deleted", { checks: [CHECK], at: "2026-11-02T13:00:00Z" }), "2026-11-03T00:00:00Z");
    expect((await gateRow()).state).toBe("regressed");
  });

  it("a commit status (Jenkins, CircleCI…) on the default branch counts as a check", async () => {
    const { ws, markDone, gateRow, actionRow, send } = await setup("default");
    await markDone("2026-11-01T00:00:00Z");
    await send("branch_protection_rule", protectionRule("created", { checks: ["default"], at: "2026-11-02T10:00:00Z" }), "2026-11-02T10:00:00Z");
    const status = (branches: string[], state = "success") => {
      const payload = githubExample("status", (p) => p.branches.length === 3);
      Object.assign(payload, { repository: structuredClone(PROTECTED_REPO), state, updated_at: "2026-11-02T11:00:00+00:00", branches: branches.map((name) => ({ name, commit: payload.branches[0].commit, protected: false })) });
      return payload;
    };
    expect(await send("status", status(["feature"]), "2026-11-02T11:00:00Z")).toMatchObject({ outcome: "ignored", summary: expect.stringMatching(/not on the default branch main/) });
    expect(await send("status", status(["main"], "pending"), "2026-11-02T11:00:00Z")).toMatchObject({ outcome: "ignored", summary: expect.stringMatching(/only completed/) });
    expect((await gateRow()).state).toBe("required_not_seen");
    const passed = await send("status", status(["main", "feature"]), "2026-11-02T11:00:00Z", "status-1");
    expect(passed).toMatchObject({ outcome: "applied", summary: expect.stringMatching(/Commit status “default” passed/) });
    expect(await gateRow()).toMatchObject({ state: "enforced", last_seen_at: at("2026-11-02T11:00:00Z") });
    expect((await actionRow()).status).toBe("verified");
    expect(ws.id).toBeTruthy();
  });

  it("goes stale after N days not seen passing (the sweep, with an injected clock); the owner hears of it in the next digest, once", async () => {
    const { db, admin, owner, ws, action, markDone, gateRow, actionRow, send } = await setup();
    expect(await saveGithubSettings(db, admin, ws.id, { tierLabelPatterns: ["tier:{tier}"], assistTools: ["Copilot"], staleAfterDays: 3 })).toEqual({ ok: true });
    await markDone("2026-11-01T00:00:00Z");
    await send("branch_protection_rule", protectionRule("created", { checks: [CHECK], at: "2026-11-02T10:00:00Z" }), "2026-11-02T10:00:00Z");
    await send("check_run", checkRun(CHECK, "2026-11-02T11:00:00Z"), "2026-11-02T11:00:00Z", "last-run");
    expect((await actionRow()).status).toBe("verified");

    await sweepStaleGates(db, at("2026-11-05T10:00:00Z"));
    expect((await gateRow()).state).toBe("enforced");
    const swept = await sweepStaleGates(db, at("2026-11-05T11:00:01Z"));
    expect(swept.changed).toEqual(expect.arrayContaining([expect.stringMatching(/enforced → stale/), expect.stringMatching(new RegExp(`ACT-${action} back in progress`))]));
    expect(await gateRow()).toMatchObject({ state: "stale", state_reason: expect.stringMatching(/not seen passing there since 2026-11-02: more than 3 days/) });
    expect(await actionRow()).toMatchObject({ status: "in_progress", drift_reason: expect.stringMatching(/went stale/) });

    const [digest] = await workspaceDigests(db, ws.id, "2026-11-06");
    expect(digest).toMatchObject({ userId: owner.id, actions: [], drifted: [{ number: action }] });
    const { subject, text } = renderDigest(digest!, "https://hindsight.example");
    expect(subject).toBe(`1 guardrail action back in progress in ${ws.name}`);
    expect(text).toContain(`ACT-${action}`);
    expect(text).toMatch(/went stale/);
    const smtp = await startSmtpServer();
    const mailer = smtpMailer(smtp.url, "Hindsight <hindsight@example.test>");
    try {
      const sent = await sendDueDigests(db, mailer, { appUrl: "https://hindsight.example", today: "2026-11-06", workspaceId: ws.id });
      expect(sent.sent).toEqual([{ workspace: ws.slug, email: owner.email, actions: [] }]);
      expect(smtp.received.some((m) => m.to.includes(owner.email))).toBe(true);
      // Told once: the next day's digests have nothing for this owner.
      expect(await workspaceDigests(db, ws.id, "2026-11-07")).toEqual([]);
    } finally {
      mailer.close();
      await smtp.close();
    }
    // A passing run brings it back to enforced; the action waits for its owner.
    await send("check_run", checkRun(CHECK, "2026-11-06T08:00:00Z"), "2026-11-06T08:00:00Z");
    expect((await gateRow()).state).toBe("enforced");
  });

  it("late and repeated deliveries never move time backwards, and a requirement change older than the newest does not undo it", async () => {
    const { gateRow, send } = await setup();
    await send("branch_protection_rule", protectionRule("created", { checks: [CHECK], at: "2026-11-02T10:00:00Z" }), "2026-11-02T10:00:00Z");
    await send("check_run", checkRun(CHECK, "2026-11-03T10:00:00Z"), "2026-11-03T10:00:00Z");
    const late = await send("check_suite", checkSuite(CHECK, "2019-05-15T15:21:14Z"), "2026-11-03T12:00:00Z");
    expect(late).toMatchObject({ outcome: "applied", changes: expect.arrayContaining([expect.stringMatching(/older than its last sighting/)]) });
    expect(await gateRow()).toMatchObject({ state: "enforced", last_seen_at: at("2026-11-03T10:00:00Z"), first_seen_at: at("2019-05-15T15:21:14Z") });
    // An edit from before the creation arrives last: recorded, but the newer creation stands.
    await send("branch_protection_rule", protectionRule("edited", { checks: [], at: "2026-11-01T00:00:00Z" }), "2026-11-03T13:00:00Z", "old-edit");
    expect((await gateRow()).state).toBe("enforced");
  });
});
