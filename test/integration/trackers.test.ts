/**
 * Tracker sync (issue 19): guardrail actions with their issue in GitHub Issues, Jira Cloud and
 * Linear. Outbound calls go to a local fake answering with the vendors' documented shapes; inbound
 * deliveries are the vendors' example payloads, signed, handed to the webhook route. Both engines.
 */
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import type { Db } from "#db/connection";
import { closeQueue, openQueue } from "#db/queue";
import type { TrackerVendor } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { changeActionStatus, createGate, findAction } from "~/domain/guardrails/index.server";
import {
  createConnection,
  linkExistingIssue,
  requestIssue,
  requestIssuesForPostmortem,
  retryLink,
  runTrackerOp,
  testConnection,
  trackerLinks,
  unlinkIssue,
  webhookKeyOf,
  findConnection,
} from "~/domain/trackers/index.server";
import { postmortemMarkdown, postmortemPrintHtml } from "~/domain/postmortems/index.server";
import { searchWorkspace } from "~/domain/search/index.server";
import { log } from "~/http/log.server";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as trackerWebhook } from "~/routes/webhooks.trackers.$workspace.$connection";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { deliver, PROTECTED_REPO, protectionRule, checkRun } from "../support/gate-events";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { call } from "../support/integrations";
import { startTrackerFake, type FakeIssue, type TrackerFake } from "../support/tracker-fake";
import { drainOps, githubIssues, jiraUpdated, linearUpdate, trackerRequest, type Vendor } from "../support/trackers";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

const CHECK = "basic-CI";
const ISSUES_UPDATED_AT = "2026-12-02T08:00:00Z";
let fake: TrackerFake;

describeEachEngine("tracker sync", (testDb) => {
  const savedKey = process.env.HINDSIGHT_SECRET_KEY;
  beforeAll(async () => {
    process.env.HINDSIGHT_SECRET_KEY ??= "cd".repeat(32);
    fake = await startTrackerFake();
    // The issues the fake makes were last changed before every delivery these tests send.
    fake.setClock(() => new Date(ISSUES_UPDATED_AT));
    await openQueue(testDb(), { worker: false });
  }, 120_000);
  afterAll(async () => {
    await closeQueue({ graceful: false, timeoutMs: 1_000 });
    await fake.close();
    if (savedKey === undefined) delete process.env.HINDSIGHT_SECRET_KEY;
  });
  beforeEach(() => {
    holder.db = testDb();
    vi.spyOn(log, "warn").mockImplementation(() => undefined);
    vi.spyOn(log, "info").mockImplementation(() => undefined);
  });

  async function setup(vendor: TrackerVendor = "github", options: { gate?: boolean; token?: string } = {}) {
    const db: Db = testDb();
    const admin = await makeUser(db, "Ada Admin");
    const owner = await makeUser(db, "Olu Owner");
    const ws = await makeWorkspace(db, admin);
    await addMember(db, ws.id, admin, owner, "editor");
    const repository = `acme/api-${Math.random().toString(36).slice(2, 8)}`;
    const connected = await createConnection(db, admin, ws.id, {
      vendor,
      name: null,
      apiUrl: vendor === "github" ? fake.github : vendor === "jira" ? fake.jira : fake.linear,
      target: vendor === "github" ? repository : vendor === "jira" ? "PLAT" : "ENG",
      issueType: vendor === "jira" ? "Task" : null,
      accountEmail: vendor === "jira" ? "bot@example.com" : null,
      token: options.token ?? fake.token,
      webhookSecret: vendor === "linear" ? "lin_wh_signing_secret_0000000000000001" : null,
      mapping: {},
    });
    if (!connected.ok) throw new Error(JSON.stringify(connected));
    const connection = (await findConnection(db, ws.id, connected.id))!;
    const secret = webhookKeyOf(connection);
    let gateId: string | null = null;
    if (options.gate) {
      const gate = await createGate(db, admin, ws.id, { name: "Basic CI on main", kind: "ci_check", repository: PROTECTED_REPO.full_name, checkName: CHECK, tiers: ["T3"], status: "enforced", description: "" });
      if (!gate.ok) throw new Error("gate");
      gateId = gate.id;
    }
    const incident = await makePostmortem(db, admin, ws.id, { severity: "SEV2" } as never);
    const factor = await makeFactor(db, admin, ws.id, incident);
    const number = await makeAction(db, admin, ws.id, factor, { ownerId: owner.id, gateId });
    const action = async () => (await findAction(db, ws.id, number))!;
    const link = async () => (await trackerLinks(db, ws.id)).find((l) => l.number === number)!;
    const linkRow = () => db.selectFrom("tracker_links").selectAll().where("connection_id", "=", connected.id).executeTakeFirstOrThrow();
    const send = async (payload: unknown, options: { id?: string; signature?: string; event?: string } = {}) => {
      const response = await call(trackerWebhook, trackerRequest(ws.slug, connected.id, vendor as Vendor, payload, secret, options), { workspace: ws.slug, connection: connected.id });
      return { status: response.status, body: (await response.json()) as { summary?: string; error?: string; outcome?: string } };
    };
    return { db, admin, owner, ws, incident, factor, number, connectionId: connected.id, secret, action, link, linkRow, send, repository };
  }

  /** Creates the action's issue through the queue's job, as the server would. */
  async function created(s: Awaited<ReturnType<typeof setup>>, who: PublicUser = s.admin) {
    expect(await requestIssue(s.db, who, s.ws.id, s.number, s.connectionId)).toMatchObject({ ok: true });
    await drainOps(s.db);
    const link = await s.link();
    expect(link.key).toBeTruthy();
    return link;
  }

  // ------------------------------------------------------------------ connections

  it("tests a connection: who the token acts as and the target, remembered for loop prevention", async () => {
    for (const vendor of ["github", "jira", "linear"] as const) {
      const s = await setup(vendor);
      const tested = await testConnection(s.db, s.admin, s.ws.id, s.connectionId);
      expect(tested).toMatchObject({ ok: true, passed: true });
      expect(tested.ok && tested.message).toContain("Connected as Hindsight Bot");
      const row = (await findConnection(s.db, s.ws.id, s.connectionId))!;
      expect(row.bot_identity).toBeTruthy();
      expect(row.token.startsWith("enc:v1:")).toBe(true);
      expect(row.webhook_secret.startsWith("enc:v1:")).toBe(true);
    }
  });

  it("a refused token is shown as the vendor's answer, not an exception", async () => {
    const s = await setup("jira");
    fake.failNext("GET /jira/rest/api/3/myself", 403);
    const tested = await testConnection(s.db, s.admin, s.ws.id, s.connectionId);
    expect(tested).toMatchObject({ ok: true, passed: false });
    expect(tested.ok && tested.message).toMatch(/Jira answered 403: the token lacks permission/);
  });

  // ------------------------------------------------------------------ the five scenarios

  it("create → webhook close → the action is done, not verified (GitHub, Jira, Linear)", async () => {
    for (const vendor of ["github", "jira", "linear"] as const) {
      const s = await setup(vendor);
      fake.users.set(s.owner.email, vendor === "github" ? "olu" : vendor === "jira" ? "5b10a2844c20165700ede21g" : "1e9a9b55-3b2d-4f3c-9d2e-0a1b2c3d4e5f");
      const link = await created(s);
      const issue = fake.issues.find((i) => i.vendor === vendor && (i.key === link.key))!;
      expect(issue.title).toBe(`ACT-${s.number}: Run migrations against a production-sized snapshot in CI`);
      expect(issue.body).toContain(`INC-${s.incident}`);
      expect(issue.body).toContain(`/guardrails/actions/${s.number}`);
      expect(issue.assignee).toBeTruthy();
      if (vendor === "github") expect(issue.labels).toEqual(["guardrail", "tier:T3", "severity:SEV2"]);
      // T3 raises SEV2's priority one step.
      if (vendor === "jira") expect([issue.labels, issue.priority]).toEqual([["guardrail", "tier-T3"], "Highest"]);
      if (vendor === "linear") expect(issue.priority).toBe("1");

      const closing =
        vendor === "github"
          ? githubIssues("closed", s.repository, Number(issue.id), "2026-12-02T10:00:00Z")
          : vendor === "jira"
            ? jiraUpdated(issue.key, issue.id, "2026-12-02T10:00:00Z", "done")
            : linearUpdate(issue.key, issue.id, "2026-12-02T10:00:00Z", "completed");
      const answer = await s.send(closing);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.summary).toContain("done (not verified");
      const action = await s.action();
      expect(action.status).toBe("done");
      expect(action.verified_at).toBeNull();
      expect(action.done_at?.toISOString()).toBe("2026-12-02T10:00:00.000Z");
      expect((await s.link()).remoteState).toBe("closed");
    }
  });

  it("gate enforced → the done action is verified → a comment is posted on its issue", async () => {
    const s = await setup("github", { gate: true });
    const link = await created(s);
    await s.send(githubIssues("closed", s.repository, Number(link.key!.split("#")[1]), "2026-12-02T10:00:00Z"));
    expect((await s.action()).status).toBe("done");
    await deliver(s.db, s.ws.id, { event: "branch_protection_rule", payload: protectionRule("created", { checks: [CHECK], at: "2026-12-02T10:05:00Z" }) }, new Date("2026-12-02T10:05:00Z"));
    await deliver(s.db, s.ws.id, { event: "check_run", payload: checkRun(CHECK, "2026-12-02T10:10:00Z") }, new Date("2026-12-02T10:10:00Z"));
    expect((await s.action()).status).toBe("verified");
    await drainOps(s.db);
    const issue = fake.issues.find((i) => i.key === link.key)!;
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toMatch(new RegExp(`^Hindsight: ACT-${s.number} is verified`));
  });

  it("gate regressed → the issue is reopened, with a comment saying why", async () => {
    for (const vendor of ["github", "jira"] as const) {
      const s = await setup(vendor, { gate: true });
      const link = await created(s);
      const issue = fake.issues.find((i) => i.key === link.key)!;
      issue.state = "closed";
      await s.send(vendor === "github" ? githubIssues("closed", s.repository, Number(issue.id), "2026-12-02T10:00:00Z") : jiraUpdated(issue.key, issue.id, "2026-12-02T10:00:00Z"));
      await deliver(s.db, s.ws.id, { event: "branch_protection_rule", payload: protectionRule("created", { checks: [CHECK], at: "2026-12-02T10:05:00Z" }) }, new Date("2026-12-02T10:05:00Z"));
      await deliver(s.db, s.ws.id, { event: "check_run", payload: checkRun(CHECK, "2026-12-02T10:10:00Z") }, new Date("2026-12-02T10:10:00Z"));
      expect((await s.action()).status).toBe("verified");
      await deliver(s.db, s.ws.id, { event: "branch_protection_rule", payload: protectionRule("deleted", { checks: [CHECK], at: "2026-12-02T11:00:00Z" }) }, new Date("2026-12-02T11:00:00Z"));
      expect((await s.action()).status).toBe("in_progress");
      await drainOps(s.db);
      expect(issue.state).toBe("open");
      expect(issue.comments.at(-1)).toContain("back in progress");
      const row = await s.linkRow();
      expect([row.remote_state, row.pushed_state]).toEqual(["open", "open"]);
      // GitHub then tells of the reopening Hindsight did, as the token's user: nothing more happens.
      if (vendor === "github") {
        const echo = await s.send(githubIssues("reopened", s.repository, Number(issue.id), new Date().toISOString(), { sender: "hindsight-bot" }));
        expect(echo.body.summary).toContain("by Hindsight itself");
        expect((await s.action()).status).toBe("in_progress");
      }
    }
  });

  it("the same delivery twice has one effect: the second answers 409 and changes nothing", async () => {
    for (const vendor of ["github", "jira", "linear"] as const) {
      const s = await setup(vendor);
      const link = await created(s);
      const issue = fake.issues.find((i) => i.key === link.key)!;
      const payload = vendor === "github" ? githubIssues("closed", s.repository, Number(issue.id), "2026-12-02T10:00:00Z") : vendor === "jira" ? jiraUpdated(issue.key, issue.id, "2026-12-02T10:00:00Z") : linearUpdate(issue.key, issue.id, "2026-12-02T10:00:00Z");
      expect((await s.send(payload, { id: `same-${vendor}` })).status).toBe(200);
      const after = await s.action();
      const audit = await s.db.selectFrom("audit_events").select("id").where("workspace_id", "=", s.ws.id).execute();
      const again = await s.send(payload, { id: `same-${vendor}` });
      expect(again.status).toBe(409);
      expect((await s.action()).version).toBe(after.version);
      expect(await s.db.selectFrom("audit_events").select("id").where("workspace_id", "=", s.ws.id).execute()).toHaveLength(audit.length);
    }
  });

  it("events out of order end in the same state as in order", async () => {
    const facts = (repo: string, n: number) => [
      githubIssues("closed", repo, n, "2026-12-02T10:00:00Z"),
      githubIssues("reopened", repo, n, "2026-12-02T11:00:00Z"),
      githubIssues("closed", repo, n, "2026-12-02T12:00:00Z"),
      githubIssues("reopened", repo, n, "2026-12-02T13:00:00Z"),
    ];
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
      [1, 3, 0, 2],
    ];
    const ends: string[] = [];
    for (const order of orders) {
      for (const upTo of [3, 4]) {
        const s = await setup("github");
        const link = await created(s);
        const n = Number(link.key!.split("#")[1]);
        const all = facts(s.repository, n).slice(0, upTo);
        for (const i of order.filter((i) => i < upTo)) await s.send(all[i]);
        const action = await s.action();
        const row = await s.linkRow();
        ends.push(`${upTo}:${action.status}:${row.remote_state}:${row.remote_state_at?.toISOString()}`);
      }
    }
    // After three facts (last: closed at 12:00) the action is done; after four (reopened at 13:00), in progress.
    expect(new Set(ends.filter((e) => e.startsWith("3:")))).toEqual(new Set(["3:done:closed:2026-12-02T12:00:00.000Z"]));
    expect(new Set(ends.filter((e) => e.startsWith("4:")))).toEqual(new Set(["4:in_progress:open:2026-12-02T13:00:00.000Z"]));
  });

  // ------------------------------------------------------------------ the rest of the rules

  it("closed in the tracker never unverifies, and reopened leaves a verified action verified", async () => {
    const s = await setup("github");
    const link = await created(s);
    const current = await s.action();
    expect(await changeActionStatus(s.db, s.admin, s.ws.id, s.number, { to: "verified", expectedVersion: current.version, evidenceUrl: "https://ci.example/run/1" })).toMatchObject({ ok: true });
    const n = Number(link.key!.split("#")[1]);
    expect((await s.send(githubIssues("reopened", s.repository, n, "2026-12-02T10:00:00Z"))).body.summary).toContain("verified stays verified");
    expect((await s.action()).status).toBe("verified");
    await drainOps(s.db);
    // The person's verification was told to the issue.
    expect(fake.issues.find((i) => i.key === link.key)!.comments[0]).toContain("https://ci.example/run/1");
  });

  it("the assignee follows the tracker's when the email matches a member, and only then", async () => {
    const s = await setup("jira");
    const other = await makeUser(s.db, "Mia Krystof");
    await addMember(s.db, s.ws.id, s.admin, other, "editor");
    const link = await created(s);
    const issue = fake.issues.find((i) => i.key === link.key)!;
    const assigned = await s.send(jiraUpdated(issue.key, issue.id, "2026-12-02T09:00:00Z", "indeterminate", { fields: ["assignee"], assigneeEmail: other.email }));
    expect(assigned.body.summary).toContain("owner: Mia Krystof");
    expect((await s.action()).owner_id).toBe(other.id);
    const stranger = await s.send(jiraUpdated(issue.key, issue.id, "2026-12-02T09:30:00Z", "indeterminate", { fields: ["assignee"], assigneeEmail: "nobody@elsewhere.test" }));
    expect(stranger.body.summary).toContain("no member matches");
    expect((await s.action()).owner_id).toBe(other.id);
  });

  it("deliveries must be signed with the connection's secret; Linear's must be fresh", async () => {
    const s = await setup("linear");
    const link = await created(s);
    const issue = fake.issues.find((i) => i.key === link.key)!;
    expect((await s.send(linearUpdate(issue.key, issue.id, "2026-12-02T10:00:00Z"), { signature: "0".repeat(64) })).status).toBe(401);
    const stale = linearUpdate(issue.key, issue.id, "2026-12-02T10:00:00Z");
    stale.webhookTimestamp = Date.now() - 5 * 60_000;
    expect((await s.send(stale)).status).toBe(401);
    expect((await s.action()).status).toBe("open");
    const unknown = await call(trackerWebhook, trackerRequest(s.ws.slug, "not-a-uuid", "linear", {}, s.secret), { workspace: s.ws.slug, connection: "not-a-uuid" });
    expect(unknown.status).toBe(404);
    expect((await s.send({ type: "Issue", webhookTimestamp: Date.now() })).status).toBe(400);
  });

  it("a refused call stops with the vendor's reason; a failing one is retried until it goes through", async () => {
    const s = await setup("jira");
    fake.failNext("POST /jira/rest/api/3/issue", 403);
    expect(await requestIssue(s.db, s.admin, s.ws.id, s.number, s.connectionId)).toMatchObject({ ok: true });
    const op = await s.db.selectFrom("tracker_ops").select("tracker_ops.id").innerJoin("tracker_links", "tracker_links.id", "tracker_ops.link_id").where("tracker_links.connection_id", "=", s.connectionId).executeTakeFirstOrThrow();
    expect(await runTrackerOp(s.db, op.id)).toMatchObject({ outcome: "failed" });
    const failed = await s.link();
    expect(failed.lastError).toMatch(/^Jira answered 403: the token lacks permission for this \(You do not have permission to create issues/);
    expect(failed.failedOps).toBe(1);
    // The person retries after fixing the token; the service fails once more (503), the queue retries.
    expect(await retryLink(s.db, s.admin, s.ws.id, s.number)).toMatchObject({ ok: true, retried: 1 });
    fake.failNext("POST /jira/rest/api/3/issue", 503);
    await expect(runTrackerOp(s.db, op.id)).rejects.toThrow(/Jira answered 503/);
    expect((await s.link()).pendingOps).toBe(1);
    expect(await runTrackerOp(s.db, op.id)).toMatchObject({ outcome: "done" });
    const done = await s.link();
    expect([done.key?.startsWith("PLAT-"), done.lastError, done.pendingOps, done.failedOps]).toEqual([true, null, 0, 0]);
  });

  it("creates issues for all of a postmortem's actions at once, and links an existing issue by its URL", async () => {
    const s = await setup("github");
    const second = await makeAction(s.db, s.admin, s.ws.id, s.factor, { title: "Alert on migration lock waits" });
    const third = await makeAction(s.db, s.admin, s.ws.id, s.factor, { title: "Write the rollback runbook" });
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, third, `https://github.com/${s.repository}/issues/77`)).toMatchObject({ ok: true, key: `${s.repository}#77` });
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, second, "https://gitlab.com/acme/api/-/issues/1")).toMatchObject({ ok: false, kind: "invalid" });
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, second, "https://github.com/other/repo/issues/1")).toMatchObject({ ok: false, kind: "invalid" });
    const bulk = await requestIssuesForPostmortem(s.db, s.admin, s.ws.id, s.incident, s.connectionId);
    expect(bulk).toMatchObject({ ok: true, requested: [s.number, second] });
    await drainOps(s.db);
    const links = await trackerLinks(s.db, s.ws.id);
    expect(links.map((l) => [l.number, l.key?.startsWith(`${s.repository}#`)])).toEqual([
      [s.number, true],
      [second, true],
      [third, true],
    ]);
    // The linked issue's close is applied like a created one's.
    await s.send(githubIssues("closed", s.repository, 77, "2026-12-02T10:00:00Z"));
    expect((await findAction(s.db, s.ws.id, third))!.status).toBe("done");
    // Asking again creates nothing new.
    expect(await requestIssuesForPostmortem(s.db, s.admin, s.ws.id, s.incident, s.connectionId)).toMatchObject({ ok: true, requested: [] });
    expect(await requestIssue(s.db, s.admin, s.ws.id, s.number, s.connectionId)).toMatchObject({ ok: false, kind: "conflict" });
  });

  // ------------------------------------------------------------------ reading a linked issue's state

  /** The link's ops, oldest first. */
  const opsOf = (s: Awaited<ReturnType<typeof setup>>) =>
    s.db
      .selectFrom("tracker_ops")
      .innerJoin("tracker_links", "tracker_links.id", "tracker_ops.link_id")
      .select(["tracker_ops.id", "tracker_ops.kind", "tracker_ops.status", "tracker_ops.last_error"])
      .where("tracker_links.connection_id", "=", s.connectionId)
      .orderBy("tracker_ops.created_at")
      .execute();
  /** An issue that exists at the fake before Hindsight hears of it. */
  const existing = (issue: Pick<FakeIssue, "vendor" | "id" | "key" | "state" | "updatedAt"> & Partial<FakeIssue>) => {
    const made: FakeIssue = { title: "Filed by the team", body: "", labels: [], priority: null, assignee: null, comments: [], ...issue };
    fake.issues.push(made);
    return made;
  };

  it("links a closed GitHub issue: a queued job reads it, and the action is done at its time, not verified", async () => {
    const s = await setup("github");
    existing({ vendor: "github", id: "77", key: `${s.repository}#77`, state: "closed", updatedAt: "2026-12-02T09:15:00Z" });
    const asked = fake.requests.length;
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, s.number, `https://github.com/${s.repository}/issues/77`)).toMatchObject({ ok: true });
    // Nothing was asked of GitHub in the request: the read waits in the queue.
    expect(fake.requests.length).toBe(asked);
    expect((await opsOf(s)).map((o) => [o.kind, o.status])).toEqual([["fetch", "pending"]]);
    const before = await s.link();
    expect([before.lastSyncedAt, before.pendingOps, (await s.action()).status]).toEqual([null, 0, "open"]);

    await drainOps(s.db);
    expect(fake.requests.slice(asked)).toEqual([{ method: "GET", path: `/github/repos/${s.repository}/issues/77` }]);
    const action = await s.action();
    expect([action.status, action.verified_at, action.done_at?.toISOString()]).toEqual(["done", null, "2026-12-02T09:15:00.000Z"]);
    const link = await s.link();
    expect([link.remoteState, link.lastError, link.lastSyncedAt instanceof Date]).toEqual(["closed", null, true]);
    expect((await s.linkRow()).remote_state_at?.toISOString()).toBe("2026-12-02T09:15:00.000Z");
    const audit = await s.db.selectFrom("audit_events").select(["action", "change"]).where("workspace_id", "=", s.ws.id).where("action", "=", "action.synced_from_tracker").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.change).toMatchObject({ from: "open", to: "done", event: "read from the tracker" });

    // No echo: Hindsight sent GitHub nothing back (one read, no comment, no reopen).
    expect((await opsOf(s)).map((o) => [o.kind, o.status])).toEqual([["fetch", "done"]]);
    // Never backwards: a reopen GitHub delivers late, from before the read issue's last update, changes nothing.
    const late = await s.send(githubIssues("reopened", s.repository, 77, "2026-12-02T09:10:00Z"));
    expect(late.body.summary).toContain("older than the state already applied");
    expect((await s.action()).status).toBe("done");
    // A reopen after it is followed as ever.
    expect((await s.send(githubIssues("reopened", s.repository, 77, "2026-12-02T09:30:00Z"))).body.summary).toContain("back in progress");
    expect((await s.action()).status).toBe("in_progress");
  });

  it("links an open Jira issue to a done action: the action stays done, the issue's assignee becomes the owner", async () => {
    const s = await setup("jira");
    const other = await makeUser(s.db, "Mia Krystof");
    await addMember(s.db, s.ws.id, s.admin, other, "editor");
    fake.users.set(other.email, "5b10a2844c20165700ede99a");
    const current = await s.action();
    expect(await changeActionStatus(s.db, s.admin, s.ws.id, s.number, { to: "done", expectedVersion: current.version })).toMatchObject({ ok: true });
    const done = await s.action();
    const issue = existing({ vendor: "jira", id: "19201", key: "PLAT-9201", state: "open", assignee: "5b10a2844c20165700ede99a", updatedAt: "2026-12-02T09:00:00Z" });
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, s.number, `${fake.jira}/browse/${issue.key}`)).toMatchObject({ ok: true, key: issue.key });
    const [op] = await opsOf(s);
    const read = await runTrackerOp(s.db, op!.id);
    // Open is not news of a reopen: the person who marked it done knew more than a ticket nobody closed.
    expect(read).toMatchObject({ outcome: "done", message: expect.stringContaining(`${issue.key} is open in the tracker, which is no change to follow: ACT-${s.number} stays done`) });
    const action = await s.action();
    expect([action.status, action.done_at?.toISOString(), action.owner_id]).toEqual(["done", done.done_at?.toISOString(), other.id]);
    expect(read.message).toContain(`owner: Mia Krystof, assigned in ${issue.key}`);
    const link = await s.link();
    expect([link.remoteState, link.lastError, link.lastSyncedAt instanceof Date]).toEqual(["open", null, true]);
    // Hindsight doesn't close the issue either: closing is the team's call in Jira.
    expect(issue.state).toBe("open");
    expect((await opsOf(s)).map((o) => o.kind)).toEqual(["fetch"]);
    // When Jira does close it, the done action stays done, its done time unchanged.
    expect((await s.send(jiraUpdated(issue.key, issue.id, "2026-12-02T10:00:00Z", "done"))).body.summary).toContain("already done");
    expect((await s.action()).done_at?.toISOString()).toBe(done.done_at?.toISOString());
  });

  it("right after Create issue, the issue's state is read: one a tracker automation completed makes the action done", async () => {
    const s = await setup("linear");
    expect(await requestIssue(s.db, s.admin, s.ws.id, s.number, s.connectionId)).toMatchObject({ ok: true });
    const [create] = await opsOf(s);
    expect(await runTrackerOp(s.db, create!.id)).toMatchObject({ outcome: "done" });
    expect((await opsOf(s)).map((o) => [o.kind, o.status])).toEqual([
      ["create", "done"],
      ["fetch", "pending"],
    ]);
    const link = await s.link();
    const issue = fake.issues.find((i) => i.key === link.key)!;
    Object.assign(issue, { state: "closed", updatedAt: "2026-12-02T08:30:00Z" });
    await drainOps(s.db);
    const action = await s.action();
    expect([action.status, action.verified_at, action.done_at?.toISOString()]).toEqual(["done", null, "2026-12-02T08:30:00.000Z"]);
    expect((await s.link()).remoteState).toBe("closed");
  });

  it("a read the tracker refuses (404, 401) records why on the link and changes nothing; Retry reads again", async () => {
    // GitHub: no such issue.
    const gh = await setup("github");
    expect(await linkExistingIssue(gh.db, gh.admin, gh.ws.id, gh.number, `https://github.com/${gh.repository}/issues/404`)).toMatchObject({ ok: true });
    const before = await gh.action();
    await drainOps(gh.db);
    let link = await gh.link();
    expect(link.lastError).toBe("GitHub answered 404: not found, or the token can't see it (Not Found - https://docs.github.com/rest/issues/issues#get-an-issue).");
    expect([link.lastSyncedAt, link.failedOps, link.remoteState]).toEqual([null, 1, "open"]);
    expect((await opsOf(gh)).map((o) => [o.kind, o.status])).toEqual([["fetch", "failed"]]);
    const after = await gh.action();
    expect([after.status, after.version, after.owner_id]).toEqual([before.status, before.version, before.owner_id]);
    // The team files it after all (or fixes the token): Retry reads it again.
    existing({ vendor: "github", id: "404", key: `${gh.repository}#404`, state: "closed", updatedAt: "2026-12-02T09:00:00Z" });
    expect(await retryLink(gh.db, gh.admin, gh.ws.id, gh.number)).toMatchObject({ ok: true, retried: 1 });
    await drainOps(gh.db);
    link = await gh.link();
    expect([link.lastError, link.failedOps, link.remoteState]).toEqual([null, 0, "closed"]);
    expect((await gh.action()).status).toBe("done");

    // Jira and Linear: a token the tracker refuses. Refused at once, not retried.
    for (const vendor of ["jira", "linear"] as const) {
      const s = await setup(vendor, { token: "revoked-token-000000000000000000001" });
      const key = vendor === "jira" ? "PLAT-9301" : "ENG-9301";
      existing({ vendor, id: vendor === "jira" ? "19301" : "2174add1-f7c8-44e3-bbf3-2d60b5ea9301", key, state: "closed", updatedAt: "2026-12-02T09:00:00Z" });
      const url = vendor === "jira" ? `${fake.jira}/browse/${key}` : `https://linear.app/acme/issue/${key}/filed-by-the-team`;
      expect(await linkExistingIssue(s.db, s.admin, s.ws.id, s.number, url)).toMatchObject({ ok: true });
      const start = await s.action();
      const [op] = await opsOf(s);
      expect(await runTrackerOp(s.db, op!.id)).toMatchObject({ outcome: "failed" });
      const refused = await s.link();
      expect(refused.lastError).toMatch(vendor === "jira" ? /^Jira answered 401: the token was refused \(You are not authenticated/ : /^Linear answered 401: the token was refused \(Authentication required/);
      expect([refused.lastSyncedAt, refused.failedOps, refused.remoteState]).toEqual([null, 1, "open"]);
      const action = await s.action();
      expect([action.status, action.version]).toEqual([start.status, start.version]);
    }
  });

  it("Linear's 'Entity not found' reads as not found", async () => {
    const s = await setup("linear");
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, s.number, "https://linear.app/acme/issue/ENG-9999/gone")).toMatchObject({ ok: true });
    await drainOps(s.db);
    expect((await s.link()).lastError).toMatch(/^Linear answered 404: not found, or the token can't see it/);
    expect((await s.action()).status).toBe("open");
  });

  // ------------------------------------------------------------------ the key in search and exports

  it("the issue's key finds its action in search and stands beside it in the postmortem's export, until unlinked", async () => {
    const s = await setup("jira");
    /** The action hits of a search, with their snippets as plain text. */
    const actionHits = async (q: string) => {
      const outcome = await searchWorkspace(s.db, s.ws.id, { q });
      if (outcome.kind !== "results") throw new Error(JSON.stringify(outcome));
      return outcome.hits.filter((h) => h.type === "action").map((h) => ({ reference: h.reference, snippet: h.snippet.map((r) => r.text).join("") }));
    };
    const markdown = async () => (await postmortemMarkdown(s.db, s.ws.id, s.incident))!.markdown;
    const reference = `ACT-${s.number}`;

    // Created through the tracker's API (the fake), as the queue's job does.
    const link = await created(s);
    expect(link.key).toMatch(/^PLAT-\d+$/);
    expect(await actionHits(link.key!)).toEqual([{ reference, snippet: expect.stringContaining(link.key!) }]);
    expect(await markdown()).toContain(`${reference} ↔ [${link.key}](${link.url})`);
    expect(await postmortemPrintHtml(s.db, s.ws.id, s.incident)).toContain(`${reference} ↔ <a href="${link.url}"`);

    // Unlinked: the key no longer finds the action, nor stands beside it.
    expect(await unlinkIssue(s.db, s.admin, s.ws.id, s.number)).toMatchObject({ ok: true });
    expect(await actionHits(link.key!)).toEqual([]);
    expect(await markdown()).not.toContain("↔");

    // Linked by the issue's URL.
    const url = `${fake.jira}/browse/PLAT-9123`;
    expect(await linkExistingIssue(s.db, s.admin, s.ws.id, s.number, url)).toMatchObject({ ok: true, key: "PLAT-9123" });
    expect(await actionHits("PLAT-9123")).toEqual([{ reference, snippet: expect.stringContaining("PLAT-9123") }]);
    expect(await actionHits("plat-9123")).toHaveLength(1);
    expect(await markdown()).toContain(`${reference} ↔ [PLAT-9123](${url})`);
    expect(await unlinkIssue(s.db, s.admin, s.ws.id, s.number)).toMatchObject({ ok: true });
    expect(await actionHits("PLAT-9123")).toEqual([]);
  });
});
