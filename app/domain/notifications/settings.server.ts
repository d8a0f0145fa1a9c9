import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from "./rules";

type SettingsRow = { review_requests: boolean; mentions: boolean; actions_due: boolean; actions_regressed: boolean; delivery: NotificationSettings["delivery"] };

function fromRow(row: SettingsRow | undefined): NotificationSettings {
  if (!row) return { ...DEFAULT_NOTIFICATION_SETTINGS };
  return { reviewRequests: row.review_requests, mentions: row.mentions, actionsDue: row.actions_due, actionsRegressed: row.actions_regressed, delivery: row.delivery };
}

/** A person's mail settings; everything on, immediately, until they change it. */
export async function notificationSettings(db: Db, userId: string): Promise<NotificationSettings> {
  const row = await db.selectFrom("notification_settings").select(["review_requests", "mentions", "actions_due", "actions_regressed", "delivery"]).where("user_id", "=", userId).executeTakeFirst();
  return fromRow(row);
}

/** Several people's settings at once, by user id (the senders read them per batch). */
export async function notificationSettingsOf(db: Db, userIds: string[]): Promise<Map<string, NotificationSettings>> {
  const rows = userIds.length
    ? await db.selectFrom("notification_settings").select(["user_id", "review_requests", "mentions", "actions_due", "actions_regressed", "delivery"]).where("user_id", "in", userIds).execute()
    : [];
  const byUser = new Map(rows.map((r) => [r.user_id, fromRow(r)]));
  return new Map(userIds.map((id) => [id, byUser.get(id) ?? { ...DEFAULT_NOTIFICATION_SETTINGS }]));
}

export async function saveNotificationSettings(db: Db, actor: PublicUser, settings: NotificationSettings): Promise<{ ok: true }> {
  return db.transaction().execute(async (trx) => {
    const values = {
      review_requests: settings.reviewRequests,
      mentions: settings.mentions,
      actions_due: settings.actionsDue,
      actions_regressed: settings.actionsRegressed,
      delivery: settings.delivery,
      updated_at: new Date(),
    };
    await trx
      .insertInto("notification_settings")
      .values({ user_id: actor.id, ...values })
      .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
      .execute();
    await recordAuditEvent(trx, { workspaceId: null, actorId: actor.id, action: "user.notifications_changed", entityType: "user", entityId: actor.id, change: { ...settings } });
    return { ok: true as const };
  });
}
