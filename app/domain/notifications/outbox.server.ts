/**
 * Mail owed to people (review requests, mentions): written in the transaction of the change that
 * owes it, sent later by jobs, never inside a request (docs/decisions/0016, 0024). Each person's
 * settings are read when sending: a kind turned off is skipped, and so is mail for a workspace the
 * person has left since; "daily" people get one digest at 07:00 UTC, the others a mail each within
 * a minute (the `notifications.send` job).
 */
import type { Db } from "#db/connection";
import type { NotificationKind } from "#db/schema";
import type { Mailer } from "~/domain/integrations/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { MailKind, NotificationSettings } from "./rules";
import { notificationSettingsOf } from "./settings.server";

export type NewNotification = { workspaceId: string; userId: string; kind: NotificationKind; subject: string; body: string; link: string };

const SETTING_OF: Record<NotificationKind, MailKind> = { review_requested: "reviewRequests", mentioned: "mentions" };

/** Owes the mail; call it with the transaction of the change. */
export async function queueNotifications(trx: Db, rows: NewNotification[]): Promise<void> {
  if (!rows.length) return;
  await trx
    .insertInto("notifications")
    .values(rows.map((r) => ({ workspace_id: r.workspaceId, user_id: r.userId, kind: r.kind, subject: r.subject, body: r.body, link: r.link })))
    .execute();
}

type Pending = { id: string; workspace_id: string; user_id: string; kind: NotificationKind; subject: string; body: string; link: string; email: string; display_name: string };

async function pending(db: Db, limit: number): Promise<Pending[]> {
  return db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .select([
      "notifications.id",
      "notifications.workspace_id",
      "notifications.user_id",
      "notifications.kind",
      "notifications.subject",
      "notifications.body",
      "notifications.link",
      "users.email",
      "users.display_name",
    ])
    .where("notifications.sent_at", "is", null)
    .where("notifications.skipped", "=", false)
    .orderBy("notifications.created_at")
    .orderBy("notifications.id")
    .limit(limit)
    .execute();
}

export type NotificationReport = { sent: number; skipped: number; failed: number };

/**
 * Marks as skipped what people turned off, and what a workspace they are no longer a member of
 * owed them (its subject and excerpt are that workspace's); returns the rest with each person's
 * settings.
 */
async function sortOut(db: Db, rows: Pending[]): Promise<{ wanted: Array<Pending & { settings: NotificationSettings }>; skipped: number }> {
  const userIds = [...new Set(rows.map((r) => r.user_id))];
  const settings = await notificationSettingsOf(db, userIds);
  const memberships = userIds.length ? await db.selectFrom("memberships").select(["workspace_id", "user_id"]).where("user_id", "in", userIds).execute() : [];
  const member = new Set(memberships.map((m) => `${m.workspace_id} ${m.user_id}`));
  const off = rows.filter((r) => !member.has(`${r.workspace_id} ${r.user_id}`) || !settings.get(r.user_id)![SETTING_OF[r.kind]]);
  if (off.length) await db.updateTable("notifications").set({ skipped: true }).where("id", "in", off.map((r) => r.id)).execute();
  return { wanted: rows.filter((r) => !off.includes(r)).map((r) => ({ ...r, settings: settings.get(r.user_id)! })), skipped: off.length };
}

/**
 * Sends one mail per notification to people who want mail as it happens. A send is claimed,
 * audited and mailed in one transaction: a refused mail rolls the claim back for the next run.
 */
export async function sendImmediateNotifications(db: Db, mailer: Mailer, options: { appUrl: string; limit?: number }): Promise<NotificationReport> {
  const report: NotificationReport = { sent: 0, skipped: 0, failed: 0 };
  const { wanted, skipped } = await sortOut(db, await pending(db, options.limit ?? 200));
  report.skipped = skipped;
  for (const n of wanted.filter((r) => r.settings.delivery === "immediate")) {
    try {
      const sent = await db.transaction().execute(async (trx) => {
        const claimed = await trx.updateTable("notifications").set({ sent_at: new Date() }).where("id", "=", n.id).where("sent_at", "is", null).returning("id").executeTakeFirst();
        if (!claimed) return false;
        await recordAuditEvent(trx, { workspaceId: n.workspace_id, actorId: null, action: "notification.sent", entityType: "user", entityId: n.user_id, change: { kind: n.kind, notification: n.id } });
        await mailer.send({ to: n.email, subject: n.subject, text: [`Hello ${n.display_name},`, "", n.body, "", `${options.appUrl}${n.link}`, "", MAIL_FOOTER].join("\n") });
        return true;
      });
      if (sent) report.sent += 1;
    } catch {
      report.failed += 1;
    }
  }
  return report;
}

const MAIL_FOOTER = `— Hindsight. Choose which mail you get, and when, in Your account → Notifications.`;

/** The daily digest of what people who chose "daily" were owed since yesterday: one mail each. */
export async function sendNotificationDigests(db: Db, mailer: Mailer, options: { appUrl: string }): Promise<NotificationReport> {
  const report: NotificationReport = { sent: 0, skipped: 0, failed: 0 };
  const { wanted, skipped } = await sortOut(db, await pending(db, 5_000));
  report.skipped = skipped;
  const byUser = new Map<string, Array<(typeof wanted)[number]>>();
  for (const n of wanted.filter((r) => r.settings.delivery === "daily")) byUser.set(n.user_id, [...(byUser.get(n.user_id) ?? []), n]);
  for (const [userId, items] of byUser) {
    const first = items[0]!;
    try {
      await db.transaction().execute(async (trx) => {
        const ids = items.map((i) => i.id);
        const claimed = await trx.updateTable("notifications").set({ sent_at: new Date() }).where("id", "in", ids).where("sent_at", "is", null).returning("id").execute();
        if (!claimed.length) return;
        const mine = items.filter((i) => claimed.some((c) => c.id === i.id));
        for (const workspaceId of new Set(mine.map((i) => i.workspace_id))) {
          await recordAuditEvent(trx, { workspaceId, actorId: null, action: "notification.sent", entityType: "user", entityId: userId, change: { digest: true, notifications: mine.filter((i) => i.workspace_id === workspaceId).map((i) => i.id) } });
        }
        const lines = mine.map((i) => `- ${i.subject}\n  ${options.appUrl}${i.link}`);
        await mailer.send({
          to: first.email,
          subject: `Hindsight: ${mine.length} thing${mine.length === 1 ? "" : "s"} waiting for you`,
          text: [`Hello ${first.display_name},`, "", "Since yesterday:", "", ...lines, "", MAIL_FOOTER].join("\n"),
        });
        report.sent += 1;
      });
    } catch {
      report.failed += 1;
    }
  }
  return report;
}
