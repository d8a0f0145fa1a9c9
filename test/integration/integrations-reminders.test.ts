import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { closeDatabase, migrateToLatest, openDatabase, type Db } from "#db/connection";
import { changeActionStatus } from "~/domain/guardrails/index.server";
import { overdueActionsFor, renderDigest, sendDueDigests, workspaceDigests } from "~/domain/integrations/index.server";
import { changeMemberRole } from "~/domain/workspaces/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { mailHeader, mailText, startSmtpServer, useSmtpMailer } from "../support/smtp";

const TODAY = "2026-01-10";
const APP = "https://hindsight.example";

/** A workspace where Owner has two overdue actions, one not yet due and one done; Other has one overdue. */
async function overdueWorkspace(db: Db) {
  const admin = await makeUser(db, "Admin");
  const owner = await makeUser(db, "Olu Owner");
  const other = await makeUser(db, "Ola Other");
  const ws = await makeWorkspace(db, admin);
  await addMember(db, ws.id, admin, owner, "editor");
  await addMember(db, ws.id, admin, other, "editor");
  const incident = await makePostmortem(db, admin, ws.id, { title: "Checkout 500s after a config push" });
  const factor = await makeFactor(db, admin, ws.id, incident);
  const old = await makeAction(db, admin, ws.id, factor, { title: "Validate config in CI", ownerId: owner.id, dueOn: "2026-01-01" });
  const recent = await makeAction(db, admin, ws.id, factor, { title: "Add a canary for config pushes", ownerId: owner.id, dueOn: "2026-01-09" });
  await makeAction(db, admin, ws.id, factor, { title: "Not due yet", ownerId: owner.id, dueOn: "2026-02-01" });
  const done = await makeAction(db, admin, ws.id, factor, { title: "Already done", ownerId: owner.id, dueOn: "2026-01-02" });
  await changeActionStatus(db, admin, ws.id, done, { to: "done", expectedVersion: 1 });
  const others = await makeAction(db, admin, ws.id, factor, { title: "Page the owning team", ownerId: other.id, dueOn: "2026-01-05" });
  return { admin, owner, other, ws, incident, old, recent, others };
}

describeEachEngine("overdue guardrail reminders", (testDb) => {
  const sink = useSmtpMailer();

  it("each owner sees their own overdue actions, most overdue first", async () => {
    const db = testDb();
    const { owner, admin, ws, old, recent, incident } = await overdueWorkspace(db);
    expect(await overdueActionsFor(db, ws.id, owner.id, TODAY)).toEqual([
      { number: old, title: "Validate config in CI", due_on: "2026-01-01", daysOverdue: 9, incident_number: incident, incident_title: "Checkout 500s after a config push" },
      { number: recent, title: "Add a canary for config pushes", due_on: "2026-01-09", daysOverdue: 1, incident_number: incident, incident_title: "Checkout 500s after a config push" },
    ]);
    expect(await overdueActionsFor(db, ws.id, admin.id, TODAY)).toEqual([]);
  });

  it("the digest names each overdue action with its due date, how late it is, its incident and a link", async () => {
    const db = testDb();
    const { ws, owner, old, recent, incident } = await overdueWorkspace(db);
    const digests = await workspaceDigests(db, ws.id, TODAY);
    expect(digests.map((d) => [d.name, d.actions.length])).toEqual([
      ["Ola Other", 1],
      ["Olu Owner", 2],
    ]);
    const mine = digests.find((d) => d.userId === owner.id)!;
    const { subject, text } = renderDigest(mine, APP);
    expect(subject).toBe(`2 overdue guardrail actions in ${ws.name}`);
    expect(text).toContain("Hello Olu Owner,");
    expect(text).toContain(`- ACT-${old} Validate config in CI\n  due 2026-01-01 (9 days overdue), from INC-${incident} Checkout 500s after a config push\n  ${APP}/w/${ws.slug}/guardrails/actions/${old}`);
    expect(text).toContain(`- ACT-${recent} Add a canary for config pushes\n  due 2026-01-09 (1 day overdue)`);
    expect(text).not.toContain("Not due yet");
    expect(text).not.toContain("Already done");
    expect(text).toContain(`${APP}/w/${ws.slug}/guardrails?owner=me`);
  });

  it("sends each owner one digest a day through SMTP, records the send, and sends nothing more that day", async () => {
    const db = testDb();
    const { ws, owner, other, old, recent, others } = await overdueWorkspace(db);
    sink.smtp.received.length = 0;
    const first = await sendDueDigests(db, sink.mailer, { appUrl: APP, today: TODAY, workspaceId: ws.id });
    expect(first).toEqual({
      sent: [
        { workspace: ws.slug, email: other.email, actions: [others] },
        { workspace: ws.slug, email: owner.email, actions: [old, recent] },
      ],
      alreadySent: 0,
      failed: [],
    });
    expect(sink.smtp.received.map((m) => m.to)).toEqual([[other.email], [owner.email]]);
    const mail = sink.smtp.received[1]!;
    expect(mail.from).toBe("hindsight@example.test");
    expect(mailHeader(mail.raw, "Subject")).toBe(`2 overdue guardrail actions in ${ws.name}`);
    expect(mailText(mail.raw)).toContain(`ACT-${old} Validate config in CI`);
    expect(mailText(mail.raw)).toContain(`${APP}/w/${ws.slug}/guardrails/actions/${recent}`);

    const again = await sendDueDigests(db, sink.mailer, { appUrl: APP, today: TODAY, workspaceId: ws.id });
    expect(again).toEqual({ sent: [], alreadySent: 2, failed: [] });
    expect(sink.smtp.received).toHaveLength(2);
    const sends = await db.selectFrom("reminder_sends").select(["user_id", "sent_on", "action_numbers"]).where("workspace_id", "=", ws.id).orderBy("user_id").execute();
    expect(sends).toHaveLength(2);
    expect(sends.find((s) => s.user_id === owner.id)).toEqual({ user_id: owner.id, sent_on: TODAY, action_numbers: [old, recent] });
    const audit = await db.selectFrom("audit_events").select(["actor_id", "entity_id"]).where("workspace_id", "=", ws.id).where("action", "=", "reminder.sent").execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actor_id === null)).toBe(true);

    const nextDay = await sendDueDigests(db, sink.mailer, { appUrl: APP, today: "2026-01-11", workspaceId: ws.id });
    expect(nextDay.sent).toHaveLength(2);
    expect(sink.smtp.received).toHaveLength(4);
  });

  it("a send the mail server refuses is not recorded, so the next run tries again; owners who left get nothing", async () => {
    const db = testDb();
    const { admin, ws, owner, other } = await overdueWorkspace(db);
    await changeMemberRole(db, admin, ws.id, other.id, null);
    sink.smtp.received.length = 0;
    sink.smtp.reject(true);
    const refused = await sendDueDigests(db, sink.mailer, { appUrl: APP, today: TODAY, workspaceId: ws.id });
    sink.smtp.reject(false);
    expect(refused).toMatchObject({ sent: [], alreadySent: 0, failed: [{ email: owner.email, error: expect.stringMatching(/550|Mailbox unavailable/) }] });
    expect(await db.selectFrom("reminder_sends").select("user_id").where("workspace_id", "=", ws.id).execute()).toEqual([]);
    const retried = await sendDueDigests(db, sink.mailer, { appUrl: APP, today: TODAY, workspaceId: ws.id });
    expect(retried.sent.map((s) => s.email)).toEqual([owner.email]);
    expect(sink.smtp.received.map((m) => m.to)).toEqual([[owner.email]]);
  });
});

describe("npm run reminders:send", () => {
  it("sends today's digests from the command line once, and nothing on a second run", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hindsight-reminders-"));
    const dataDir = path.join(dir, "pglite");
    const smtp = await startSmtpServer();
    try {
      const db = openDatabase({ engine: "pglite", dataDir });
      await migrateToLatest(db as never);
      const { owner, ws } = await overdueWorkspace(db);
      const run = () =>
        promisify(execFile)("node_modules/.bin/tsx", ["db/cli/send-reminders.ts"], {
          env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: dataDir, SMTP_URL: smtp.url, APP_URL: APP, MAIL_FROM: "Hindsight <hindsight@example.test>" },
          timeout: 60_000,
        });
      // While another process (here: this one, as a server would) holds the data folder, the
      // command refuses with one line and touches nothing.
      const refused = await run().then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stdout).toBe("");
      expect(refused?.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^The embedded database in .*pglite is in use by another Hindsight process .*DATABASE_URL/),
      ]);
      expect(smtp.received).toHaveLength(0);
      await closeDatabase(db);
      const first = JSON.parse((await run()).stdout.trim().split("\n").pop()!);
      // Today is the real today here: every overdue action of the fixture is long overdue.
      expect(first).toMatchObject({ smtp: true, alreadySent: 0, failed: [] });
      expect(first.sent.map((s: { email: string }) => s.email).sort()).toEqual(expect.arrayContaining([owner.email]));
      expect(smtp.received.some((m) => m.to.includes(owner.email) && mailText(m.raw).includes(`${APP}/w/${ws.slug}/guardrails`))).toBe(true);
      const count = smtp.received.length;
      const second = JSON.parse((await run()).stdout.trim().split("\n").pop()!);
      expect(second).toMatchObject({ smtp: true, sent: [], alreadySent: count });
      expect(smtp.received).toHaveLength(count);
    } finally {
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
