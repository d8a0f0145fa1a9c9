import type { Db } from "#db/connection";
import { enqueue } from "#db/queue";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { actionReference, CLOSED_STATUSES, todayUtc } from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";
import type { Mailer } from "./mailer.server";
import { INCIDENT_HEADLINE } from "~/domain/incidents/index.server";

/**
 * Overdue guardrail reminders: each owner's overdue actions, shown in the app always, and sent
 * as one email digest per owner per workspace per day when SMTP is configured. A send is
 * recorded (reminder_sends) in the transaction that sends it, so running the job twice a day
 * sends once, and a failed send is tried again next run.
 */

export type OverdueAction = {
  number: number;
  title: string;
  due_on: string;
  daysOverdue: number;
  incident_number: number;
  incident_title: string;
};

/** An action a gate's drift sent back to in progress, not yet told to its owner. */
export type DriftedAction = { id: string; number: number; title: string; reason: string };

export type Digest = {
  workspaceId: string;
  workspaceSlug: string;
  workspaceName: string;
  userId: string;
  email: string;
  name: string;
  actions: OverdueAction[];
  drifted: DriftedAction[];
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function overdueQuery(db: Db, workspaceId: string, today: string) {
  return db
    .selectFrom("guardrail_actions")
    .innerJoin("incidents", "incidents.id", "guardrail_actions.incident_id")
    .innerJoin("users", "users.id", "guardrail_actions.owner_id")
    .select([
      "guardrail_actions.number",
      "guardrail_actions.title",
      "guardrail_actions.due_on",
      ...INCIDENT_HEADLINE,
      "users.id as user_id",
      "users.email",
      "users.display_name",
    ])
    .where("guardrail_actions.workspace_id", "=", workspaceId)
    // Owners who left the workspace get no more reminders from it.
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("memberships")
          .select("memberships.user_id")
          .whereRef("memberships.user_id", "=", "guardrail_actions.owner_id")
          .whereRef("memberships.workspace_id", "=", "guardrail_actions.workspace_id"),
      ),
    )
    .where("guardrail_actions.status", "not in", [...CLOSED_STATUSES])
    .where("guardrail_actions.due_on", "<", today)
    .orderBy("guardrail_actions.due_on")
    .orderBy("guardrail_actions.number");
}

function toOverdue(row: { number: number; title: string; due_on: string | null; incident_number: number; incident_title: string }, today: string): OverdueAction {
  const due = row.due_on!;
  return { number: row.number, title: row.title, due_on: due, daysOverdue: daysBetween(due, today), incident_number: row.incident_number, incident_title: row.incident_title };
}

/** "Your overdue guardrails": one person's overdue actions in one workspace, most overdue first. */
export async function overdueActionsFor(db: Db, workspaceId: string, userId: string, today = todayUtc()): Promise<OverdueAction[]> {
  const rows = await overdueQuery(db, workspaceId, today).where("guardrail_actions.owner_id", "=", userId).execute();
  return rows.map((r) => toOverdue(r, today));
}

/** Actions sent back by a gate's drift whose owner (still a member) has not been told yet. */
function driftedQuery(db: Db, workspaceId: string) {
  return db
    .selectFrom("guardrail_actions")
    .innerJoin("users", "users.id", "guardrail_actions.owner_id")
    .innerJoin("memberships", (join) =>
      join.onRef("memberships.user_id", "=", "guardrail_actions.owner_id").onRef("memberships.workspace_id", "=", "guardrail_actions.workspace_id"),
    )
    .select(["guardrail_actions.id", "guardrail_actions.number", "guardrail_actions.title", "guardrail_actions.drift_reason", "users.id as user_id", "users.email", "users.display_name"])
    .where("guardrail_actions.workspace_id", "=", workspaceId)
    .where("guardrail_actions.drift_reason", "is not", null)
    .where("guardrail_actions.drift_notified_at", "is", null)
    .orderBy("guardrail_actions.number");
}

/** Today's digests of one workspace: one per owner with overdue actions or actions a gate's drift sent back. */
export async function workspaceDigests(db: Db, workspaceId: string, today = todayUtc()): Promise<Digest[]> {
  const workspace = await db.selectFrom("workspaces").select(["id", "slug", "name"]).where("id", "=", workspaceId).executeTakeFirst();
  if (!workspace) return [];
  const byOwner = new Map<string, Digest>();
  const digestOf = (row: { user_id: string; email: string; display_name: string }) => {
    let digest = byOwner.get(row.user_id);
    if (!digest) {
      digest = { workspaceId, workspaceSlug: workspace.slug, workspaceName: workspace.name, userId: row.user_id, email: row.email, name: row.display_name, actions: [], drifted: [] };
      byOwner.set(row.user_id, digest);
    }
    return digest;
  };
  // Each owner's mail settings (Your account → Notifications): no row means everything on.
  const turnedOff = await db
    .selectFrom("notification_settings")
    .select(["user_id", "actions_due", "actions_regressed"])
    .where((eb) => eb.or([eb("actions_due", "=", false), eb("actions_regressed", "=", false)]))
    .execute();
  const off = new Map(turnedOff.map((r) => [r.user_id, r]));
  for (const row of await overdueQuery(db, workspaceId, today).execute()) {
    if (off.get(row.user_id)?.actions_due !== false) digestOf(row).actions.push(toOverdue(row, today));
  }
  for (const row of await driftedQuery(db, workspaceId).execute()) {
    if (off.get(row.user_id)?.actions_regressed !== false) digestOf(row).drifted.push({ id: row.id, number: row.number, title: row.title, reason: row.drift_reason ?? "" });
  }
  return [...byOwner.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function renderDigest(digest: Digest, appUrl: string): { subject: string; text: string } {
  const n = digest.actions.length;
  const d = digest.drifted.length;
  const parts = [n ? `${plural(n, "overdue guardrail action")}` : null, d ? `${plural(d, "guardrail action")} back in progress` : null].filter(Boolean);
  const subject = `${parts.join(", ")} in ${digest.workspaceName}`;
  const base = `${appUrl}/w/${digest.workspaceSlug}`;
  const driftLines = digest.drifted.map((a) => [`- ${actionReference(a.number)} ${a.title}`, `  ${a.reason}`, `  ${base}/guardrails/actions/${a.number}`].join("\n"));
  const driftSection = d
    ? ["", `${d === 1 ? "This action was" : "These actions were"} verified by a gate that is no longer enforced, and went back to in progress:`, "", ...driftLines]
    : [];
  const lines = digest.actions.map((a) =>
    [
      `- ${actionReference(a.number)} ${a.title}`,
      `  due ${a.due_on} (${a.daysOverdue} day${a.daysOverdue === 1 ? "" : "s"} overdue), from ${incidentReference(a.incident_number)} ${a.incident_title}`,
      `  ${base}/guardrails/actions/${a.number}`,
    ].join("\n"),
  );
  const overdueSection = n ? ["", `You own ${plural(n, "guardrail action")} in ${digest.workspaceName} past ${n === 1 ? "its" : "their"} due date:`, "", ...lines] : [];
  const text = [
    `Hello ${digest.name},`,
    ...overdueSection,
    ...driftSection,
    "",
    "Finish them, move the due date, or mark them won't do with a reason. An action counts as",
    "finished when its gate is seen enforced.",
    "",
    `Your guardrails: ${base}/guardrails?owner=me`,
    "",
    "— Hindsight (one digest a day while actions are overdue or sent back)",
  ].join("\n");
  return { subject, text };
}

export type SendReport = {
  sent: Array<{ workspace: string; email: string; actions: number[] }>;
  alreadySent: number;
  failed: Array<{ workspace: string; email: string; error: string }>;
};

/**
 * Sends today's digests: of one workspace, or (no workspaceId) of every workspace, one at a time.
 * Idempotent per owner, workspace and day.
 */
export async function sendDueDigests(
  db: Db,
  mailer: Mailer,
  options: { appUrl: string; today?: string; workspaceId?: string },
): Promise<SendReport> {
  const today = options.today ?? todayUtc();
  const workspaceIds = options.workspaceId
    ? [options.workspaceId]
    : (await db.selectFrom("workspaces").select("id").orderBy("created_at").execute()).map((w) => w.id);
  const report: SendReport = { sent: [], alreadySent: 0, failed: [] };
  for (const workspaceId of workspaceIds) {
    for (const digest of await workspaceDigests(db, workspaceId, today)) {
      const numbers = digest.actions.map((a) => a.number);
      try {
        const sent = await db.transaction().execute(async (trx) => {
          const claimed = await trx
            .insertInto("reminder_sends")
            .values({ workspace_id: workspaceId, user_id: digest.userId, sent_on: today, action_numbers: JSON.stringify(numbers) })
            .onConflict((oc) => oc.columns(["workspace_id", "user_id", "sent_on"]).doNothing())
            .returning("user_id")
            .executeTakeFirst();
          if (!claimed) return false;
          const drifted = digest.drifted.map((a) => a.id);
          if (drifted.length) await trx.updateTable("guardrail_actions").set({ drift_notified_at: new Date() }).where("id", "in", drifted).execute();
          await recordAuditEvent(trx, {
            workspaceId,
            actorId: null,
            action: "reminder.sent",
            entityType: "user",
            entityId: digest.userId,
            change: { sentOn: today, actions: numbers, sentBack: digest.drifted.map((a) => a.number) },
          });
          // Sent last: if the mail server refuses, the claim rolls back and the next run tries again.
          await mailer.send({ to: digest.email, ...renderDigest(digest, options.appUrl) });
          return true;
        });
        if (sent) report.sent.push({ workspace: digest.workspaceSlug, email: digest.email, actions: numbers });
        else report.alreadySent += 1;
      } catch (error) {
        report.failed.push({ workspace: digest.workspaceSlug, email: digest.email, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return report;
}

export async function recentReminderSends(db: Db, workspaceId: string, limit = 50) {
  return db
    .selectFrom("reminder_sends")
    .innerJoin("users", "users.id", "reminder_sends.user_id")
    .select(["reminder_sends.sent_on", "reminder_sends.sent_at", "reminder_sends.action_numbers", "users.display_name", "users.email"])
    .where("reminder_sends.workspace_id", "=", workspaceId)
    .orderBy("reminder_sends.sent_at", "desc")
    .limit(limit)
    .execute();
}

/**
 * An admin's "send today's digests now": queued, never sent inside the request. The job sends
 * what is due (each owner at most once a day) within seconds, and the sends appear in the log.
 */
export async function queueDigestsNow(db: Db, actor: { id: string }, workspaceId: string): Promise<{ jobId: string | null }> {
  return db.transaction().execute(async (trx) => {
    const jobId = await enqueue(trx, "digests.send-now", { workspaceId, requestedBy: actor.id }, { singletonKey: `digests:${workspaceId}` });
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "reminder.digests_requested",
      entityType: "workspace",
      entityId: workspaceId,
      change: { jobId },
    });
    return { jobId };
  });
}
