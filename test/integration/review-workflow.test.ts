/**
 * Review routing, the inbox, approvals per version, tier rules and mail settings (issue 17,
 * points 4, 5, 12; docs/decisions/0024), on both engines.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeQueue, openQueue, QUEUE_SCHEMA } from "#db/queue";
import { type Mailer, sendDueDigests, smtpMailer, workspaceDigests } from "~/domain/integrations/index.server";
import {
  inboxCount,
  inboxFor,
  notificationSettings,
  saveNotificationSettings,
  sendImmediateNotifications,
  sendInviteMail,
  sendNotificationDigests,
} from "~/domain/notifications/index.server";
import { findPostmortem, publishPostmortem, requestReview, reviewerChoices, reviewPostmortem, savePostmortem } from "~/domain/postmortems/index.server";
import { createInvite, listAreas, reviewRulesOf, saveReviewRules, setAreaMaintainers } from "~/domain/workspaces/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { mailHeader, mailText, startSmtpServer } from "../support/smtp";

const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
const APP = "https://hindsight.example";
const TODAY = "2026-01-10";

describeEachEngine("review workflow", (testDb) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mailer: Mailer;
  const savedKey = process.env.HINDSIGHT_SECRET_KEY;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailer = smtpMailer(smtp.url, "Hindsight <hindsight@example.test>");
    process.env.HINDSIGHT_SECRET_KEY ??= "cd".repeat(32);
    await openQueue(testDb(), { worker: false });
  }, 120_000);
  afterAll(async () => {
    await closeQueue({ graceful: false, timeoutMs: 1_000 });
    mailer.close();
    await smtp.close();
    if (savedKey === undefined) delete process.env.HINDSIGHT_SECRET_KEY;
  });

  /** A team: Ada (admin, the author), Mo (maintainer of Billing), Rae (editor), Vic (viewer); a T1 billing incident's postmortem. */
  async function team(tier: "T0" | "T1" | "T2" | "T3" = "T1") {
    const db = testDb();
    const ada = await makeUser(db, "Ada Author");
    const ws = await makeWorkspace(db, ada);
    const mo = await makeUser(db, "Mo Maintainer");
    const rae = await makeUser(db, "Rae Reviewer");
    const vic = await makeUser(db, "Vic Viewer");
    await addMember(db, ws.id, ada, mo, "editor");
    await addMember(db, ws.id, ada, rae, "editor");
    await addMember(db, ws.id, ada, vic, "viewer");
    const billing = (await listAreas(db, ws.id)).find((a) => a.slug === "billing")!;
    await setAreaMaintainers(db, ada, ws.id, billing.id, [mo.id]);
    const number = await makePostmortem(db, ada, ws.id, { tier, areaIds: [billing.id], title: "Refunds issued twice" });
    return { db, ws, ada, mo, rae, vic, number };
  }

  it("offers members who may review, the affected areas' maintainers first, and stores one request per reviewer", async () => {
    const { db, ws, ada, mo, rae, vic, number } = await team();
    const choices = await reviewerChoices(db, ws.id, number);
    expect(choices.map((c) => c.name)).toEqual(["Mo Maintainer", "Ada Author", "Rae Reviewer"]);
    expect(choices[0]!.maintains).toEqual([expect.stringMatching(/^Billing/)]);
    expect(choices.slice(1).every((c) => c.maintains.length === 0)).toBe(true);
    // A viewer, the one asking, or someone from elsewhere can't be asked.
    const stranger = await makeUser(db, "Stan Stranger");
    for (const wrong of [[vic.id], [ada.id], [stranger.id]]) {
      expect(await requestReview(db, ada, ws.id, number, wrong)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reviewers: [expect.any(String)] } });
    }
    expect((await findPostmortem(db, ws.id, number))!.status).toBe("draft");
    expect(await requestReview(db, ada, ws.id, number, [mo.id])).toEqual({ ok: true });
    // In review, more people can be asked; asking again is harmless.
    expect(await requestReview(db, ada, ws.id, number, [rae.id, mo.id])).toEqual({ ok: true });
    const pm = await findPostmortem(db, ws.id, number);
    expect(pm!.requests.map((r) => r.reviewer_name)).toEqual(["Mo Maintainer", "Rae Reviewer"]);
    expect(await requestReview(db, ada, ws.id, number, [])).toMatchObject({ ok: false, kind: "invalid" });
    const audit = await db.selectFrom("audit_events").select("change").where("action", "=", "postmortem.review_requested").where("workspace_id", "=", ws.id).execute();
    expect(audit.map((a) => (a.change as { reviewers: string[] }).reviewers)).toEqual([[mo.id], [rae.id]]);
  });

  it("the inbox shows a review until it is answered for the current version, and again once the text changes", async () => {
    const { db, ws, ada, mo, number } = await team();
    expect(await inboxCount(db, ws.id, mo.id)).toBe(0);
    await requestReview(db, ada, ws.id, number, [mo.id]);
    expect((await inboxFor(db, ws.id, mo.id)).reviews).toEqual([expect.objectContaining({ incidentNumber: number, requestedBy: "Ada Author", reviewedVersion: null })]);
    expect(await inboxCount(db, ws.id, mo.id)).toBe(1);
    // A comment is not an answer; a verdict is.
    await reviewPostmortem(db, mo, ws.id, number, { verdict: "comment", comment: "Reading it now." });
    expect(await inboxCount(db, ws.id, mo.id)).toBe(1);
    await reviewPostmortem(db, mo, ws.id, number, { verdict: "approve", comment: "" });
    expect(await inboxCount(db, ws.id, mo.id)).toBe(0);
    const pm = await findPostmortem(db, ws.id, number);
    await savePostmortem(db, ada, ws.id, number, { baseVersion: pm!.version, title: pm!.title, body: doc("The whole section, rewritten.") });
    expect((await inboxFor(db, ws.id, mo.id)).reviews).toEqual([expect.objectContaining({ reviewedVersion: pm!.version, version: pm!.version + 1 })]);
    // Other workspaces' inboxes are not this one.
    const elsewhere = await makeWorkspace(db, mo);
    expect(await inboxCount(db, elsewhere.id, mo.id)).toBe(0);
  });

  it("an approval is for a version: after a change it no longer counts until renewed", async () => {
    const { db, ws, ada, mo, number } = await team();
    await requestReview(db, ada, ws.id, number, [mo.id]);
    let pm = await findPostmortem(db, ws.id, number);
    await reviewPostmortem(db, mo, ws.id, number, { verdict: "approve", comment: "Clear." });
    expect((await findPostmortem(db, ws.id, number))!.blockers).toEqual([]);
    const approvedVersion = pm!.version;
    await savePostmortem(db, ada, ws.id, number, { baseVersion: pm!.version, title: pm!.title, body: doc("Retries were sent by two services.") });
    pm = await findPostmortem(db, ws.id, number);
    expect(pm!.reviews.find((r) => r.verdict === "approve")).toMatchObject({ postmortem_version: approvedVersion, current: false });
    expect(pm!.blockers).toEqual([expect.stringContaining(`Mo Maintainer approved version ${approvedVersion}, and it changed since`)]);
    expect(await publishPostmortem(db, ada, ws.id, number)).toMatchObject({ ok: false, kind: "conflict" });
    await reviewPostmortem(db, mo, ws.id, number, { verdict: "approve", comment: "Still good." });
    expect(await publishPostmortem(db, ada, ws.id, number)).toEqual({ ok: true });
  });

  it("a workspace may keep approvals through typo-level changes: at most N characters inserted plus removed", async () => {
    const { db, ws, ada, mo, number } = await team();
    expect(await reviewRulesOf(db, ws.id)).toEqual({ t0: "other", t1: "other", tolerance: 0 });
    await saveReviewRules(db, ada, ws.id, { t0: "other", t1: "other", tolerance: 4 });
    let pm = await findPostmortem(db, ws.id, number);
    await savePostmortem(db, ada, ws.id, number, { baseVersion: pm!.version, title: pm!.title, body: doc("Teh retry loop had no idempotency key.") });
    await requestReview(db, ada, ws.id, number, [mo.id]);
    await reviewPostmortem(db, mo, ws.id, number, { verdict: "approve", comment: "" });
    pm = await findPostmortem(db, ws.id, number);
    await savePostmortem(db, ada, ws.id, number, { baseVersion: pm!.version, title: pm!.title, body: doc("The retry loop had no idempotency key.") });
    pm = await findPostmortem(db, ws.id, number);
    expect(pm!.reviews.find((r) => r.verdict === "approve")).toMatchObject({ current: true });
    expect(pm!.blockers).toEqual([]);
    await savePostmortem(db, ada, ws.id, number, { baseVersion: pm!.version, title: pm!.title, body: doc("The retry loop had no idempotency key, and two timers.") });
    expect((await findPostmortem(db, ws.id, number))!.blockers).toEqual([expect.stringMatching(/changed since/)]);
  });

  it("tier rules are workspace settings: T0/T1 may take the author's own approval, or none; T2 and T3 can't be relaxed", async () => {
    const t0 = await team("T0");
    expect(await reviewPostmortem(t0.db, t0.ada, t0.ws.id, t0.number, { verdict: "approve", comment: "" })).toMatchObject({ ok: false });
    await saveReviewRules(t0.db, t0.ada, t0.ws.id, { t0: "self", t1: "none", tolerance: 0 });
    await requestReview(t0.db, t0.ada, t0.ws.id, t0.number);
    expect(await reviewPostmortem(t0.db, t0.ada, t0.ws.id, t0.number, { verdict: "approve", comment: "Checked alone." })).toEqual({ ok: true });
    expect(await publishPostmortem(t0.db, t0.ada, t0.ws.id, t0.number)).toEqual({ ok: true });
    // T1 with "no approval": a draft publishes straight away (a standing request for changes would still block).
    const t1 = await makePostmortem(t0.db, t0.ada, t0.ws.id, { tier: "T1", title: "Banner copy wrong" });
    expect((await findPostmortem(t0.db, t0.ws.id, t1))!.blockers).toEqual([]);
    expect(await publishPostmortem(t0.db, t0.ada, t0.ws.id, t1)).toEqual({ ok: true });
    // T2 keeps its rule whatever the workspace says, and the table refuses a relaxed T2.
    const t2 = await makePostmortem(t0.db, t0.ada, t0.ws.id, { tier: "T2", title: "Card data in logs" });
    expect((await findPostmortem(t0.db, t0.ws.id, t2))!.blockers).toEqual(expect.arrayContaining([expect.stringMatching(/review first/)]));
    await expect(sql`update tiers set approval = 'self' where workspace_id = ${t0.ws.id} and key = 'T2'`.execute(t0.db)).rejects.toThrow();
    // The default stays: a new workspace needs someone else's approval at T0.
    const fresh = await team("T0");
    expect(await reviewRulesOf(fresh.db, fresh.ws.id)).toEqual({ t0: "other", t1: "other", tolerance: 0 });
  });

  it("the inbox lists my actions due within a week or overdue, and those a gate sent back", async () => {
    const { db, ws, ada, mo, number } = await team();
    const factor = await makeFactor(db, ada, ws.id, number);
    const overdue = await makeAction(db, ada, ws.id, factor, { title: "Idempotency keys on refunds", ownerId: mo.id, dueOn: "2026-01-05" });
    const soon = await makeAction(db, ada, ws.id, factor, { title: "Alert on duplicate refunds", ownerId: mo.id, dueOn: "2026-01-14" });
    await makeAction(db, ada, ws.id, factor, { title: "Later", ownerId: mo.id, dueOn: "2026-03-01" });
    await makeAction(db, ada, ws.id, factor, { title: "Someone else's", ownerId: ada.id, dueOn: "2026-01-05" });
    const sentBack = await makeAction(db, ada, ws.id, factor, { title: "Contract test for refunds", ownerId: mo.id });
    await db.updateTable("guardrail_actions").set({ drift_reason: "Gate “Refund contract” regressed." }).where("workspace_id", "=", ws.id).where("number", "=", sentBack).execute();
    const inbox = await inboxFor(db, ws.id, mo.id, TODAY);
    expect(inbox.due).toEqual([
      expect.objectContaining({ number: overdue, overdue: true }),
      expect.objectContaining({ number: soon, overdue: false }),
    ]);
    expect(inbox.regressed).toEqual([{ number: sentBack, title: "Contract test for refunds", reason: "Gate “Refund contract” regressed." }]);
    expect(await inboxCount(db, ws.id, mo.id, TODAY)).toBe(3);
  });

  it("mail settings: each kind can be turned off, immediate or a daily digest, sent by jobs only", async () => {
    const { db, ws, ada, mo, rae, number } = await team();
    expect(await notificationSettings(db, mo.id)).toEqual({ reviewRequests: true, mentions: true, actionsDue: true, actionsRegressed: true, delivery: "immediate" });
    await saveNotificationSettings(db, rae, { reviewRequests: true, mentions: true, actionsDue: true, actionsRegressed: true, delivery: "daily" });
    const vic = await makeUser(db, "Quiet Quinn");
    await addMember(db, ws.id, ada, vic, "editor");
    await saveNotificationSettings(db, vic, { reviewRequests: false, mentions: true, actionsDue: true, actionsRegressed: true, delivery: "immediate" });
    // What the other cases of this file were owed goes first.
    await sendImmediateNotifications(db, mailer, { appUrl: APP });
    await sendNotificationDigests(db, mailer, { appUrl: APP });
    const before = smtp.received.length;
    await requestReview(db, ada, ws.id, number, [mo.id, rae.id, vic.id]);
    // Nothing is sent by the request itself.
    expect(smtp.received.length).toBe(before);
    const report = await sendImmediateNotifications(db, mailer, { appUrl: APP });
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual([mo.email]);
    expect(mailHeader(mail.raw, "subject")).toMatch(/^Review requested: INC-\d+/);
    expect(mailText(mail.raw)).toContain(`${APP}/w/${ws.slug}/incidents/${number}/postmortem`);
    // Sent once; the daily person waits for the digest; the one who turned it off gets none.
    expect(await sendImmediateNotifications(db, mailer, { appUrl: APP })).toMatchObject({ sent: 0 });
    expect(await sendNotificationDigests(db, mailer, { appUrl: APP })).toMatchObject({ sent: 1 });
    expect(smtp.received.at(-1)!.to).toEqual([rae.email]);
    expect(mailText(smtp.received.at(-1)!.raw)).toMatch(/Review requested: INC-\d+/);
    expect(smtp.received.filter((m) => m.to.includes(vic.email))).toHaveLength(0);
    const skipped = await db.selectFrom("notifications").select(["user_id", "skipped", "sent_at"]).where("workspace_id", "=", ws.id).execute();
    expect(skipped.find((n) => n.user_id === vic.id)).toMatchObject({ skipped: true, sent_at: null });
    expect(await db.selectFrom("audit_events").select("id").where("action", "=", "user.notifications_changed").where("actor_id", "=", rae.id).execute()).toHaveLength(1);
  });

  it("the overdue digest leaves out what its owner turned off", async () => {
    const { db, ws, ada, mo, number } = await team();
    const factor = await makeFactor(db, ada, ws.id, number);
    await makeAction(db, ada, ws.id, factor, { title: "Idempotency keys on refunds", ownerId: mo.id, dueOn: "2026-01-05" });
    expect((await workspaceDigests(db, ws.id, TODAY)).map((d) => d.email)).toEqual([mo.email]);
    await saveNotificationSettings(db, mo, { reviewRequests: true, mentions: true, actionsDue: false, actionsRegressed: true, delivery: "immediate" });
    expect(await workspaceDigests(db, ws.id, TODAY)).toEqual([]);
    expect((await sendDueDigests(db, mailer, { appUrl: APP, today: TODAY, workspaceId: ws.id })).sent).toEqual([]);
  });

  it("an invite can be mailed: a job holds its link sealed and sends it unless the invite is gone", async () => {
    const db = testDb();
    const ada = await makeUser(db, "Ada Admin");
    const ws = await makeWorkspace(db, ada);
    const { token } = await createInvite(db, ada, ws.id, "editor", new Date(), { email: "New.Person@Example.test", linkFor: (t) => `${APP}/invite/${t}` });
    const jobs = await sql<{ data: { inviteId: string; email: string; sealedLink: string } }>`select data from ${sql.table(`${QUEUE_SCHEMA}.job`)} where name = 'invites.send' order by created_on desc limit 1`.execute(db);
    const job = jobs.rows[0]!.data;
    expect(job.email).toBe("new.person@example.test");
    expect(JSON.stringify(job)).not.toContain(token);
    expect(await sendInviteMail(db, mailer, job)).toEqual({ sent: true });
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(["new.person@example.test"]);
    expect(mailText(mail.raw)).toContain(`${APP}/invite/${token}`);
    await db.updateTable("invites").set({ revoked_at: new Date() }).where("id", "=", job.inviteId).execute();
    expect(await sendInviteMail(db, mailer, job)).toEqual({ sent: false });
  });
});
