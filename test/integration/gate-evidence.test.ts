/**
 * The rest of issue 13's evidence, on both engines: bypasses found on merged pull requests, tier
 * and model assistance read from a pull request (a person's choice wins), "Check now" against a
 * local server replaying GitHub's REST answers, and the same deliveries in shuffled orders
 * reaching the same final state.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/connection";
import { changeActionStatus, createGate, findAction, gateBypasses, linkPullRequestToIncident } from "~/domain/guardrails/index.server";
import { checkGateNow, githubToken, resealStoredSecrets, setGithubToken } from "~/domain/integrations/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { checkRun, checkSuite, deliver, PROTECTED_REPO, protectionRule, type Delivery } from "../support/gate-events";
import { branchRulesBody, NOT_PROTECTED, protectionBody, repositoryBody, startGithubReplay, type ReplayServer } from "../support/github-replay";
import { githubExample } from "../support/integrations";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";

const CHECK = "basic-CI";
const REPO = PROTECTED_REPO.full_name;
const at = (iso: string) => new Date(iso);

/** GitHub's "pull request closed" example, as sent when the close was a merge into `base`. */
function mergedPullRequest(number: number, headSha: string, base = "main") {
  const payload = githubExample("pull_request", (p) => p.action === "closed");
  payload.repository = structuredClone(PROTECTED_REPO);
  Object.assign(payload.pull_request, { number, merged: true, merged_at: "2026-11-03T10:00:00Z", merged_by: { login: "octocat" } });
  payload.pull_request.head.sha = headSha;
  payload.pull_request.base.ref = base;
  return payload;
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describeEachEngine("gate evidence", (testDb) => {
  let replay: ReplayServer;
  beforeAll(async () => {
    replay = await startGithubReplay();
  });
  afterAll(async () => {
    await replay.close();
  });

  async function setup() {
    const db: Db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const gate = await createGate(db, admin, ws.id, { name: "Basic CI on main", kind: "ci_check", repository: REPO, checkName: CHECK, tiers: ["T2"], status: "enforced", description: "" });
    if (!gate.ok) throw new Error("gate not created");
    const send = (event: string, payload: unknown, now: string, id?: string) => deliver(db, ws.id, { event, payload, id }, at(now));
    const gateRow = () => db.selectFrom("gates").select(["state", "state_reason", "state_delivery_id", "first_seen_at", "last_seen_at"]).where("id", "=", gate.id).executeTakeFirstOrThrow();
    return { db, admin, ws, gateId: gate.id, send, gateRow };
  }

  it("a merge while the required check failed, or never passed, on the head commit is a bypass on the gate and the PR", async () => {
    const { db, ws, gateId, send } = await setup();
    await send("branch_protection_rule", protectionRule("created", { checks: [CHECK], at: "2026-11-01T10:00:00Z" }), "2026-11-01T10:00:00Z");
    const sha = (c: string) => c.repeat(40);
    await send("check_run", checkRun(CHECK, "2026-11-03T09:00:00Z", { branch: "feature", conclusion: "failure", sha: sha("a") }), "2026-11-03T09:00:00Z");
    await send("check_run", checkRun(CHECK, "2026-11-03T09:00:00Z", { branch: "feature-c", sha: sha("c") }), "2026-11-03T09:00:00Z");

    const failed = await send("pull_request", mergedPullRequest(7, sha("a")), "2026-11-03T10:00:01Z", "merge-7");
    expect(failed).toMatchObject({ outcome: "applied", changes: expect.arrayContaining([expect.stringMatching(/Bypass of gate “Basic CI on main”: octo-org\/octo-repo#7 merged into main with “basic-CI” failing/)]) });
    await send("pull_request", mergedPullRequest(8, sha("b")), "2026-11-03T10:00:01Z");
    expect(await send("pull_request", mergedPullRequest(9, sha("c")), "2026-11-03T10:00:01Z")).toMatchObject({ outcome: "ignored" });
    expect(await send("pull_request", mergedPullRequest(10, sha("d"), "develop"), "2026-11-03T10:00:01Z")).toMatchObject({ outcome: "ignored" });
    // GitHub sends the same merge again under a new delivery id: still one bypass.
    await send("pull_request", mergedPullRequest(7, sha("a")), "2026-11-03T10:05:00Z");

    const bypasses = await gateBypasses(db, ws.id, { gateId });
    expect(bypasses.map((b) => [b.pr_number, b.finding, b.merged_by, b.base_branch]).sort()).toEqual([
      [7, "failed", "octocat", "main"],
      [8, "never_passed", "octocat", "main"],
    ]);
    expect(bypasses.find((b) => b.pr_number === 7)).toMatchObject({ delivery_id: "merge-7", pr_url: `https://github.com/${REPO}/pull/7` });
    // Only the PRs that bypassed a gate are recorded; the clean merges stay unlinked.
    const prs = await db.selectFrom("pull_requests").select("number").where("workspace_id", "=", ws.id).orderBy("number").execute();
    expect(prs.map((p) => p.number)).toEqual([7, 8]);
    const audit = await db.selectFrom("audit_events").select("action").where("workspace_id", "=", ws.id).where("action", "=", "gate.bypassed").execute();
    expect(audit).toHaveLength(2);
  });

  it("fills a linked PR's tier from its label and 'assisted' from a trailer, but never over a person's choice", async () => {
    const { db, admin, ws, send } = await setup();
    const incident = await makePostmortem(db, admin, ws.id);
    const url = `https://github.com/${REPO}/pull/12`;
    expect(await linkPullRequestToIncident(db, admin, ws.id, incident, { url, role: "trigger", tier: null, assisted: "unknown" })).toEqual({ ok: true });
    const pr = () => db.selectFrom("pull_requests").select(["tier", "tier_source", "assisted", "assisted_source"]).where("workspace_id", "=", ws.id).where("number", "=", 12).executeTakeFirstOrThrow();
    const labeled = (labels: string[], body: string | null) => {
      const payload = githubExample("pull_request", (p) => p.action === "labeled");
      payload.repository = structuredClone(PROTECTED_REPO);
      payload.pull_request.number = 12;
      payload.pull_request.labels = labels.map((name, i) => ({ id: i + 1, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
      payload.pull_request.body = body;
      return payload;
    };
    const first = await send("pull_request", labeled(["bug", "tier:T2"], "Retry once.\n\nCo-authored-by: GitHub Copilot <copilot@github.com>"), "2026-11-03T10:00:00Z");
    expect(first).toMatchObject({ outcome: "applied", changes: [expect.stringMatching(/tier none → T2 \(label\), assisted by a model \(Copilot, from the Co-authored-by trailer\)/)] });
    expect(await pr()).toEqual({ tier: "T2", tier_source: "webhook", assisted: "yes", assisted_source: "webhook" });
    await send("pull_request", labeled(["risk:T3"], null), "2026-11-03T10:01:00Z");
    expect((await pr()).tier).toBe("T3");

    // A person says T1 and "not assisted": later labels and trailers don't change it.
    expect(await linkPullRequestToIncident(db, admin, ws.id, incident, { url, role: "trigger", tier: "T1", assisted: "no" })).toEqual({ ok: true });
    await send("pull_request", labeled(["tier/T3", "assisted-by:claude"], "Assisted-by: Claude"), "2026-11-03T10:02:00Z");
    expect(await pr()).toEqual({ tier: "T1", tier_source: "person", assisted: "no", assisted_source: "person" });
  });

  it("Check now asks GitHub's REST API (a local replay) for the default branch's rules and applies the answer like a webhook", async () => {
    const { db, admin, ws, gateId, gateRow } = await setup();
    const other = await makeWorkspace(db, admin);
    expect(await checkGateNow(db, admin, ws.id, gateId, { baseUrl: replay.url })).toMatchObject({ ok: false, kind: "conflict", message: expect.stringMatching(/No GitHub token/) });
    expect(await checkGateNow(db, admin, other.id, gateId, { baseUrl: replay.url })).toMatchObject({ ok: false, kind: "not-found" });
    await setGithubToken(db, admin, ws.id, "ghp_replayToken0000000000000000000001");
    const stored = await db.selectFrom("github_settings").select(["api_token", "token_hint"]).where("workspace_id", "=", ws.id).executeTakeFirstOrThrow();
    expect(stored.api_token).toMatch(/^enc:v1:/);
    expect(stored.token_hint).toBe("0001");
    // A token stored in plain (as before sealing, or restored from an old dump) is sealed by the start-up sweep.
    await db.updateTable("github_settings").set({ api_token: "ghp_replayToken0000000000000000000001" }).where("workspace_id", "=", ws.id).execute();
    expect(await resealStoredSecrets(db)).toMatchObject({ resealed: expect.any(Number) });
    const resealed = await db.selectFrom("github_settings").select("api_token").where("workspace_id", "=", ws.id).executeTakeFirstOrThrow();
    expect(resealed.api_token).toMatch(/^enc:v1:/);
    expect(await githubToken(db, ws.id)).toBe("ghp_replayToken0000000000000000000001");

    replay.answers.set(`GET /repos/${REPO}`, { status: 200, body: repositoryBody(REPO, "main") });
    replay.answers.set(`GET /repos/${REPO}/rules/branches/main`, { status: 200, body: branchRulesBody(REPO, []) });
    replay.answers.set(`GET /repos/${REPO}/branches/main/protection`, { status: 200, body: protectionBody(REPO, "main", [CHECK, "lint"]) });
    const checked = await checkGateNow(db, admin, ws.id, gateId, { baseUrl: replay.url, now: at("2026-11-02T10:00:00Z") });
    expect(checked).toMatchObject({ ok: true, summary: "GitHub requires “basic-CI” to merge into main.", changes: [expect.stringMatching(/proposed → required, not yet seen/)] });
    expect(replay.requests.map((r) => r.path)).toEqual([`/repos/${REPO}`, `/repos/${REPO}/rules/branches/main`, `/repos/${REPO}/branches/main/protection`]);
    expect(replay.requests.every((r) => r.authorization === "token ghp_replayToken0000000000000000000001")).toBe(true);
    const fact = await db.selectFrom("requirement_facts").select(["source", "required_checks", "enforcement", "required_approvals", "code_owner_review", "admins_included"]).where("workspace_id", "=", ws.id).where("source", "=", "api_protection").executeTakeFirstOrThrow();
    expect(fact).toEqual({ source: "api_protection", required_checks: ["basic-CI", "lint"], enforcement: "everyone", required_approvals: 2, code_owner_review: true, admins_included: true });

    await deliver(db, ws.id, { event: "check_run", payload: checkRun(CHECK, "2026-11-02T11:00:00Z") }, at("2026-11-02T11:00:00Z"));
    expect((await gateRow()).state).toBe("enforced");
    // The protection is gone and a ruleset now requires another check: the answer replaces the older facts.
    replay.answers.set(`GET /repos/${REPO}/branches/main/protection`, NOT_PROTECTED);
    replay.answers.set(`GET /repos/${REPO}/rules/branches/main`, { status: 200, body: branchRulesBody(REPO, ["lint"]) });
    const again = await checkGateNow(db, admin, ws.id, gateId, { baseUrl: replay.url, now: at("2026-11-03T10:00:00Z") });
    expect(again).toMatchObject({ ok: true, summary: "GitHub does not require “basic-CI” to merge into main (it requires “lint”)." });
    expect(await gateRow()).toMatchObject({ state: "regressed", state_reason: expect.stringMatching(/^Requirement removed by the Check now answer of 2026-11-03/) });

    replay.answers.set(`GET /repos/${REPO}`, { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" } });
    expect(await checkGateNow(db, admin, ws.id, gateId, { baseUrl: replay.url })).toMatchObject({ ok: false, kind: "conflict", message: expect.stringMatching(/refused the token \(401\)/) });
    const audit = await db.selectFrom("audit_events").select("action").where("workspace_id", "=", ws.id).where("action", "in", ["gate.checked_now", "github.token_set"]).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["gate.checked_now", "gate.checked_now", "github.token_set"]);
  });

  it("the same deliveries in shuffled orders reach the same final state", async () => {
    const events: Delivery[] = [
      { id: "bpr-created", event: "branch_protection_rule", payload: protectionRule("created", { checks: [CHECK], at: "2026-11-02T10:00:00Z" }) },
      { id: "bpr-created-again", event: "branch_protection_rule", payload: protectionRule("created", { checks: [CHECK], at: "2026-11-02T10:00:00Z" }) },
      { id: "run-pass", event: "check_run", payload: checkRun(CHECK, "2026-11-02T11:00:00Z") },
      { id: "suite-late", event: "check_suite", payload: checkSuite(CHECK, "2019-05-15T15:21:14Z") },
      { id: "run-fail-branch", event: "check_run", payload: checkRun(CHECK, "2026-11-03T08:00:00Z", { branch: "feature", conclusion: "failure" }) },
      { id: "bpr-edited", event: "branch_protection_rule", payload: protectionRule("edited", { checks: [], at: "2026-11-04T08:00:00Z" }) },
      { id: "bpr-other-rule", event: "branch_protection_rule", payload: protectionRule("created", { id: 99, name: "release/*", checks: [CHECK], at: "2026-11-03T08:00:00Z" }) },
    ];
    const orders = [events, [...events].reverse(), ...[1, 2, 3, 4].map((seed) => shuffled(events, seed))];
    const finals = [];
    for (const order of orders) {
      const { db, admin, ws, gateId, gateRow } = await setup();
      const incident = await makePostmortem(db, admin, ws.id);
      const action = await makeAction(db, admin, ws.id, await makeFactor(db, admin, ws.id, incident), { gateId });
      await changeActionStatus(db, admin, ws.id, action, { to: "done", expectedVersion: 1 }, at("2026-11-01T00:00:00Z"));
      for (const delivery of order) await deliver(db, ws.id, delivery, at("2026-11-04T12:00:00Z"));
      const a = (await findAction(db, ws.id, action))!;
      finals.push({ gate: await gateRow(), action: { status: a.status, drift_reason: a.drift_reason, evidence_url: a.evidence_url, verified_at: a.verified_at, done_at: a.done_at } });
    }
    expect(finals[0]).toMatchObject({
      gate: { state: "regressed", state_delivery_id: "bpr-edited", first_seen_at: at("2019-05-15T15:21:14Z"), last_seen_at: at("2026-11-02T11:00:00Z") },
      action: { status: "in_progress", drift_reason: expect.stringMatching(/bpr-edited/), evidence_url: null },
    });
    for (const final of finals.slice(1)) expect(final).toEqual(finals[0]);
  });
});
