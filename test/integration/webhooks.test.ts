import { afterEach, beforeEach, expect, it, vi, type MockInstance } from "vitest";
import type { Db } from "#db/connection";
import { changeActionStatus, createGate, findAction, linkPullRequestToIncident } from "~/domain/guardrails/index.server";
import { listDeliveries, rotateGeneratedSecret } from "~/domain/integrations/index.server";
import { log } from "~/http/log.server";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as githubWebhook } from "~/routes/webhooks.github.$workspace";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { call, githubExample, githubRequest, hmac, post, workspaceState } from "../support/integrations";

// The routes open the app's one database handle; here it is the suite's database.
const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

const REPO = "Codertocat/Hello-World";
const CHECK = "Octocoders-linter";

describeEachEngine("GitHub webhooks", (testDb) => {
  let warn: MockInstance;
  beforeEach(() => {
    holder.db = testDb();
    warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    vi.spyOn(log, "info").mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  async function setup() {
    const db: Db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const { secret } = await rotateGeneratedSecret(db, admin, ws.id, "github");
    const gate = await createGate(db, admin, ws.id, { name: "Lint on main", kind: "ci_check", repository: REPO, checkName: CHECK, tiers: ["T2"], status: "enforced", description: "" });
    if (!gate.ok) throw new Error("gate not created");
    const send = (event: string, payload: unknown, options: { secret?: string | null; id?: string; signature?: string } = {}) =>
      call(githubWebhook, githubRequest(ws.slug, event, payload, options.secret === undefined ? secret : options.secret, options), { workspace: ws.slug });
    return { db, admin, ws, secret, gateId: gate.id, send };
  }

  /** The real "check run completed with success" payload, run on the repository's default branch. */
  function passingRunOnMain() {
    const payload = githubExample("check_run", (p) => p.action === "completed" && p.check_run.conclusion === "success");
    payload.check_run.check_suite.head_branch = payload.repository.default_branch;
    return payload;
  }

  function refusedWith(status: number) {
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status, source: "github" }), "machine request refused");
  }

  it("accepts a delivery signed with the workspace's secret, and refuses a wrong or missing signature without changing anything", async () => {
    const { db, ws, send } = await setup();
    const ping = githubExample("ping");
    const before = await workspaceState(db, ws.id);

    const forged = await send("check_run", passingRunOnMain(), { secret: "not-the-secret" });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: { status: 401, message: expect.stringMatching(/signature does not match/) } });
    refusedWith(401);
    const unsigned = await send("check_run", passingRunOnMain(), { secret: null });
    expect(unsigned.status).toBe(401);
    const malformedHeader = await send("check_run", passingRunOnMain(), { signature: "sha1=deadbeef" });
    expect(malformedHeader.status).toBe(401);
    expect(await workspaceState(db, ws.id)).toEqual(before);

    const good = await send("ping", ping);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ ok: true, outcome: "ignored", summary: expect.stringMatching(/ping/i) });
  });

  it("answers 404 for a workspace that does not exist and for one without a GitHub secret", async () => {
    const { db, admin } = await setup();
    const other = await makeWorkspace(db, admin);
    const payload = githubExample("ping");
    const noSecret = await call(githubWebhook, githubRequest(other.slug, "ping", payload, "whatever"), { workspace: other.slug });
    const noWorkspace = await call(githubWebhook, githubRequest("no-such-workspace", "ping", payload, "whatever"), { workspace: "no-such-workspace" });
    expect([noSecret.status, noWorkspace.status]).toEqual([404, 404]);
    expect(await noSecret.json()).toEqual(await noWorkspace.json());
  });

  it("processes each delivery id once: a replay answers 409 and changes nothing", async () => {
    const { db, ws, send } = await setup();
    const id = "5d5a9b22-cc78-11e3-81ab-4c9367dc0958";
    const first = await send("check_run", passingRunOnMain(), { id });
    expect(first.status).toBe(200);
    const after = await workspaceState(db, ws.id);
    const replay = await send("check_run", passingRunOnMain(), { id });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ error: { message: expect.stringMatching(/already processed/) } });
    refusedWith(409);
    expect(await workspaceState(db, ws.id)).toEqual(after);
    expect((await listDeliveries(db, ws.id)).filter((d) => d.delivery_id === id)).toHaveLength(1);
  });

  it("a successful check run on the default branch, with the check required there, verifies the actions done before it, with the run as evidence", async () => {
    const { db, admin, ws, gateId, send } = await setup();
    const incident = await makePostmortem(db, admin, ws.id);
    const factor = await makeFactor(db, admin, ws.id, incident);
    const doneBefore = await makeAction(db, admin, ws.id, factor, { gateId });
    const doneAfter = await makeAction(db, admin, ws.id, factor, { gateId });
    const stillOpen = await makeAction(db, admin, ws.id, factor, { gateId });
    const hour = 3_600_000;
    const ranAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * hour);
    expect(await changeActionStatus(db, admin, ws.id, doneBefore, { to: "done", expectedVersion: 1 }, new Date(ranAt.getTime() - hour))).toMatchObject({ ok: true });
    expect(await changeActionStatus(db, admin, ws.id, doneAfter, { to: "done", expectedVersion: 1 }, new Date(ranAt.getTime() + hour))).toMatchObject({ ok: true });

    // GitHub's "branch protection rule created" example, for this repository's default branch, requiring the gate's check.
    const rule = githubExample("branch_protection_rule", (p) => p.action === "created" && p.rule.name === "main");
    rule.repository = githubExample("check_run").repository;
    Object.assign(rule.rule, { name: rule.repository.default_branch, required_status_checks: [CHECK], updated_at: new Date(ranAt.getTime() - 3 * hour).toISOString() });
    const required = await (await send("branch_protection_rule", rule)).json();
    expect(required).toMatchObject({ outcome: "applied", changes: expect.arrayContaining([expect.stringMatching(/proposed → required, not yet seen/)]) });

    const payload = passingRunOnMain();
    payload.check_run.completed_at = ranAt.toISOString();
    const response = await send("check_run", payload);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      outcome: "applied",
      changes: [expect.stringMatching(/Gate “Lint on main” seen passing/), expect.stringMatching(/required, not yet seen → enforced/), `ACT-${doneBefore} verified: its gate is enforced.`],
    });

    const verified = await findAction(db, ws.id, doneBefore);
    expect(verified).toMatchObject({ status: "verified", evidence_url: payload.check_run.html_url, verified_by: null, gate_last_seen_at: ranAt });
    expect((await findAction(db, ws.id, doneAfter))?.status).toBe("done");
    expect((await findAction(db, ws.id, stillOpen))?.status).toBe("open");
    const gate = await db.selectFrom("gates").select(["last_seen_at", "last_seen_url", "state"]).where("id", "=", gateId).executeTakeFirstOrThrow();
    expect(gate).toEqual({ last_seen_at: ranAt, last_seen_url: payload.check_run.html_url, state: "enforced" });
    const audit = await db.selectFrom("audit_events").select(["action", "actor_id"]).where("workspace_id", "=", ws.id).where("action", "in", ["gate.seen", "action.verified_by_gate"]).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["action.verified_by_gate", "gate.seen"]);
    expect(audit.every((a) => a.actor_id === null)).toBe(true);
    const [logged] = await listDeliveries(db, ws.id);
    expect(logged).toMatchObject({ source: "github", event: "check_run.completed", outcome: "applied", changes: body.changes });
  });

  it("check runs that failed, ran on another branch or have not completed change nothing, and are logged as ignored", async () => {
    const { db, ws, gateId, send } = await setup();
    const onBranch = githubExample("check_run", (p) => p.action === "completed" && p.check_run.conclusion === "success");
    const failed = githubExample("check_run", (p) => p.action === "completed" && p.check_run.conclusion === "failure");
    failed.check_run.check_suite.head_branch = failed.repository.default_branch;
    const created = githubExample("check_run", (p) => p.action === "created");
    const answers = [];
    for (const payload of [onBranch, failed, created]) answers.push(await (await send("check_run", payload)).json());
    expect(answers.map((a) => a.outcome)).toEqual(["ignored", "ignored", "ignored"]);
    expect(answers[0].summary).toMatch(/passed on changes, not on the default branch master/);
    expect(answers[1].summary).toMatch(/concluded failure/);
    expect(answers[2].summary).toMatch(/was created/);
    const gate = await db.selectFrom("gates").select("last_seen_at").where("id", "=", gateId).executeTakeFirstOrThrow();
    expect(gate.last_seen_at).toBeNull();
    expect(await listDeliveries(db, ws.id)).toHaveLength(3);
  });

  it("a successful check suite on the default branch marks the gate named after its app seen", async () => {
    const { db, admin, ws, send } = await setup();
    const payload = githubExample("check_suite", (p) => p.action === "completed" && p.check_suite.head_branch === p.repository.default_branch);
    const gate = await createGate(db, admin, ws.id, { name: "Octocoders suite", kind: "ci_check", repository: REPO, checkName: payload.check_suite.app.name, tiers: [], status: "enforced", description: "" });
    if (!gate.ok) throw new Error("gate not created");
    const body = await (await send("check_suite", payload)).json();
    expect(body).toMatchObject({ outcome: "applied", changes: [expect.stringMatching(/Octocoders suite/), expect.stringMatching(/proposed → seen, not required/)] });
    const seen = await db.selectFrom("gates").select(["last_seen_at", "last_seen_url"]).where("id", "=", gate.id).executeTakeFirstOrThrow();
    expect(seen).toEqual({ last_seen_at: new Date(payload.check_suite.updated_at), last_seen_url: `https://github.com/${REPO}/commit/${payload.check_suite.head_sha}/checks` });
  });

  it("pull_request events fill in a linked pull request's title, author, state and merge time", async () => {
    const { db, admin, ws, send } = await setup();
    const incident = await makePostmortem(db, admin, ws.id);
    const linked = await linkPullRequestToIncident(db, admin, ws.id, incident, { url: `https://github.com/${REPO}/pull/2`, role: "trigger", tier: "T2", assisted: "unknown" });
    expect(linked).toEqual({ ok: true });
    const pr = () => db.selectFrom("pull_requests").select(["title", "author", "state", "merged_at", "tier"]).where("workspace_id", "=", ws.id).where("number", "=", 2).executeTakeFirstOrThrow();

    const opened = await (await send("pull_request", githubExample("pull_request", (p) => p.action === "opened"))).json();
    expect(opened).toMatchObject({ outcome: "applied", changes: ["codertocat/hello-world#2: title, author, state unknown → open."] });
    expect(await pr()).toEqual({ title: "Update the README with new information.", author: "Codertocat", state: "open", merged_at: null, tier: "T2" });

    const again = await (await send("pull_request", githubExample("pull_request", (p) => p.action === "opened"))).json();
    expect(again).toMatchObject({ outcome: "ignored", summary: expect.stringMatching(/already up to date/) });

    // The examples hold no merged pull request: the closed one, as GitHub sends it when the close was a merge.
    const merged = githubExample("pull_request", (p) => p.action === "closed");
    merged.pull_request.merged = true;
    merged.pull_request.merged_at = merged.pull_request.closed_at;
    expect(await (await send("pull_request", merged)).json()).toMatchObject({ outcome: "applied", changes: [expect.stringMatching(/state open → merged/)] });
    expect(await pr()).toMatchObject({ state: "merged", merged_at: new Date(merged.pull_request.closed_at) });

    const unlinked = githubExample("pull_request", (p) => p.action === "opened");
    unlinked.pull_request.number = 3;
    expect(await (await send("pull_request", unlinked)).json()).toMatchObject({ outcome: "ignored", summary: expect.stringMatching(/not linked/) });
    expect(await db.selectFrom("pull_requests").select("number").where("workspace_id", "=", ws.id).execute()).toEqual([{ number: 2 }]);
  });

  it("refuses an event from a repository the workspace does not know with 422, changing nothing", async () => {
    const { db, ws, send } = await setup();
    const payload = passingRunOnMain();
    payload.repository.full_name = "someone-else/elsewhere";
    const before = await workspaceState(db, ws.id);
    const response = await send("check_run", payload);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(/someone-else\/elsewhere is not known/) } });
    refusedWith(422);
    expect(await workspaceState(db, ws.id)).toEqual(before);
  });

  it("acknowledges events it does not use and logs them as ignored", async () => {
    const { db, ws, send } = await setup();
    const before = await workspaceState(db, ws.id);
    const response = await send("issues", githubExample("issues"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: "ignored", summary: "issues events are not used; acknowledged." });
    const after = await workspaceState(db, ws.id);
    expect(after).toEqual({ ...before, deliveries: before.deliveries + 1 });
  });

  it("malformed JSON is a 400, an unrecognisable payload a 400, and an oversized body a 413; none changes anything", async () => {
    const { db, ws, secret, send } = await setup();
    const before = await workspaceState(db, ws.id);
    const broken = await send("check_run", '{"action": "completed", ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: { status: 400, message: "The body is not valid JSON." } });
    refusedWith(400);
    const notARun = await send("check_run", { action: "completed", check_run: { name: 42 } });
    expect(notARun.status).toBe(400);

    const huge = JSON.stringify({ padding: "x".repeat(1024 * 1024) });
    const declared = await call(githubWebhook, githubRequest(ws.slug, "ping", huge, secret), { workspace: ws.slug });
    expect(declared.status).toBe(413);
    refusedWith(413);
    // Chunked, without a Content-Length: cut off as soon as it passes the limit.
    const chunk = new TextEncoder().encode("x".repeat(256 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = new Request(`http://localhost/webhooks/github/${ws.slug}`, {
      method: "POST",
      body: stream,
      headers: { "x-github-event": "ping", "x-github-delivery": "chunked-1", "x-hub-signature-256": `sha256=${hmac(secret, "")}` },
      duplex: "half",
    } as RequestInit);
    expect((await call(githubWebhook, streamed, { workspace: ws.slug })).status).toBe(413);
    expect(sent).toBeLessThanOrEqual(6);
    expect(await workspaceState(db, ws.id)).toEqual(before);
  });

  it("accepts GitHub's form-encoded payload variant, signed over the raw body", async () => {
    const { ws, secret } = await setup();
    const body = `payload=${encodeURIComponent(JSON.stringify(githubExample("ping")))}`;
    const request = post(`/webhooks/github/${ws.slug}`, body, {
      "content-type": "application/x-www-form-urlencoded",
      "x-github-event": "ping",
      "x-github-delivery": "form-1",
      "x-hub-signature-256": `sha256=${hmac(secret, body)}`,
    });
    expect((await call(githubWebhook, request, { workspace: ws.slug })).status).toBe(200);
  });

  it("after a rotation the previous secret keeps working for its grace period, and no longer after it", async () => {
    const { db, admin, ws, secret: old, send } = await setup();
    const { secret: fresh } = await rotateGeneratedSecret(db, admin, ws.id, "github");
    expect(fresh).not.toBe(old);
    expect((await send("ping", githubExample("ping"), { secret: fresh })).status).toBe(200);
    expect((await send("ping", githubExample("ping"), { secret: old })).status).toBe(200);
    await db.updateTable("integration_secrets").set({ previous_valid_until: new Date(Date.now() - 1000) }).where("workspace_id", "=", ws.id).execute();
    expect((await send("ping", githubExample("ping"), { secret: old })).status).toBe(401);
    const audit = await db.selectFrom("audit_events").select("action").where("workspace_id", "=", ws.id).where("entity_type", "=", "integration").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["integration.secret_set", "integration.secret_rotated"]);
  });
});
