/**
 * Background work on the job queue (pg-boss over the app's own database, both engines): a job
 * exists exactly when the transaction that asked for it commits; the running worker picks jobs
 * up; digests asked for in Settings are sent by the job, not by the request; deliveries and
 * staged imports are swept.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/connection";
import { closeQueue, enqueue, QUEUE_SCHEMA, type PgBoss } from "#db/queue";
import { changeActionStatus, createGate, findAction } from "~/domain/guardrails/index.server";
import { queueDigestsNow } from "~/domain/integrations/index.server";
import { jobHandlers, SCHEDULES, startJobs } from "../../server/jobs";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { requireChecks, seePassing } from "../support/enforcement";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { startSmtpServer } from "../support/smtp";

async function queuedJobs(db: Db, name: string): Promise<Array<{ data: unknown; state: string }>> {
  const rows = await sql<{ data: unknown; state: string }>`select data, state from ${sql.table(`${QUEUE_SCHEMA}.job`)} where name = ${name} order by created_on`.execute(db);
  return rows.rows;
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describeEachEngine("background jobs", (testDb) => {
  let boss: PgBoss;
  beforeAll(async () => {
    boss = await startJobs(testDb());
  }, 120_000);
  afterAll(async () => {
    await closeQueue({ graceful: true, timeoutMs: 5_000 });
  });

  it("adds a job only when the transaction that asked for it commits", async () => {
    const db = testDb();
    const before = (await queuedJobs(db, "imports.remove-expired")).length;
    await db
      .transaction()
      .execute(async (trx) => {
        await enqueue(trx, "imports.remove-expired", {});
        throw new Error("changed my mind");
      })
      .catch(() => {});
    expect(await queuedJobs(db, "imports.remove-expired")).toHaveLength(before);
    await db.transaction().execute((trx) => enqueue(trx, "imports.remove-expired", {}));
    expect(await queuedJobs(db, "imports.remove-expired")).toHaveLength(before + 1);
  });

  it("the running worker forgets deliveries past the retention period and keeps recent ones", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const day = 24 * 60 * 60 * 1000;
    await db
      .insertInto("webhook_deliveries")
      .values([
        { workspace_id: ws.id, source: "github", delivery_id: "old", event: "check_run", received_at: new Date(Date.now() - 91 * day) },
        { workspace_id: ws.id, source: "github", delivery_id: "recent", event: "check_run", received_at: new Date(Date.now() - 3 * day) },
      ])
      .execute();
    await db.transaction().execute((trx) => enqueue(trx, "webhooks.prune-deliveries", {}));
    const left = await until(async () => {
      const rows = await db.selectFrom("webhook_deliveries").select("delivery_id").where("workspace_id", "=", ws.id).execute();
      return rows.length === 1 ? rows : null;
    });
    expect(left.map((r) => r.delivery_id)).toEqual(["recent"]);
  });

  it("declares every schedule once, in UTC", async () => {
    const schedules = await boss.getSchedules();
    expect(schedules.map((s) => [s.name, s.cron, (s as typeof s & { timezone?: string }).timezone]).sort()).toEqual(
      Object.entries(SCHEDULES)
        .map(([name, cron]) => [name, cron, "UTC"])
        .sort(),
    );
  });

  it("an admin's 'send now' queues the digests; the job sends them, once per owner and day", async () => {
    const db = testDb();
    const smtp = await startSmtpServer();
    const previous = process.env.SMTP_URL;
    process.env.SMTP_URL = smtp.url;
    try {
      const admin = await makeUser(db, "Admin");
      const owner = await makeUser(db, "Olu Owner");
      const ws = await makeWorkspace(db, admin);
      await addMember(db, ws.id, admin, owner, "editor");
      const incident = await makePostmortem(db, admin, ws.id);
      const factor = await makeFactor(db, admin, ws.id, incident);
      await makeAction(db, admin, ws.id, factor, { ownerId: owner.id, dueOn: "2026-01-01" });

      const { jobId } = await queueDigestsNow(db, admin, ws.id);
      expect(jobId).toEqual(expect.any(String));
      const audit = await db.selectFrom("audit_events").select(["action", "actor_id"]).where("workspace_id", "=", ws.id).where("action", "=", "reminder.digests_requested").execute();
      expect(audit).toEqual([{ action: "reminder.digests_requested", actor_id: admin.id }]);

      await until(async () => smtp.received.some((m) => m.to.includes(owner.email)));
      const sends = await db.selectFrom("reminder_sends").select("user_id").where("workspace_id", "=", ws.id).execute();
      expect(sends).toEqual([{ user_id: owner.id }]);
      // A second run the same day sends nothing more.
      const again = await jobHandlers(db)["digests.send-now"]({ workspaceId: ws.id, requestedBy: admin.id });
      expect(again).toMatchObject({ sent: [], alreadySent: 1 });
    } finally {
      process.env.SMTP_URL = previous;
      await smtp.close();
    }
  }, 60_000);

  it("the stale-gate sweep runs on the worker: a required gate not seen passing for 14 days goes stale and its action back to work", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const day = 24 * 60 * 60 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const gate = await createGate(db, admin, ws.id, { name: "Dry run", kind: "ci_check", repository: "acme/api", checkName: "dry-run", tiers: [], status: "enforced", description: "" });
    if (!gate.ok) throw new Error("gate refused");
    const factor = await makeFactor(db, admin, ws.id, await makePostmortem(db, admin, ws.id));
    const action = await makeAction(db, admin, ws.id, factor, { gateId: gate.id });
    await changeActionStatus(db, admin, ws.id, action, { to: "done", expectedVersion: 1 }, ago(22));
    await requireChecks(db, ws.id, ["dry-run"], { occurredAt: ago(21) }, ago(21));
    await seePassing(db, ws.id, "dry-run", ago(20), "https://github.com/acme/api/actions/runs/1");
    expect((await findAction(db, ws.id, action))?.status).toBe("verified");

    await db.transaction().execute((trx) => enqueue(trx, "gates.sweep-stale", {}));
    const sent = await until(async () => {
      const a = await findAction(db, ws.id, action);
      return a?.status === "in_progress" ? a : null;
    });
    expect(sent).toMatchObject({ gate_state: "stale", drift_reason: expect.stringMatching(/went stale.*more than 14 days/) });
  });

  it("sweeps staged decision imports older than a day, in every workspace", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const staged = (hoursAgo: number) => ({
      workspace_id: ws.id,
      created_by: admin.id,
      source: "upload",
      default_kind: "adr" as const,
      files: JSON.stringify([]),
      created_at: new Date(Date.now() - hoursAgo * 60 * 60 * 1000),
    });
    await db.insertInto("decision_import_batches").values([staged(30), staged(2)]).execute();
    const result = await jobHandlers(db)["imports.remove-expired"]({});
    expect(result).toMatchObject({ removed: expect.any(Number) });
    const left = await db.selectFrom("decision_import_batches").select("created_at").where("workspace_id", "=", ws.id).execute();
    expect(left).toHaveLength(1);
  });
});
