import type { Db } from "#db/connection";

/**
 * Webhook deliveries are kept 90 days by default: long enough to answer "what did this delivery
 * change?", and far longer than a sender redelivers a delivery id (GitHub: the past few days),
 * which is what the unique (workspace, source, delivery id) row guards against. Never less
 * than a week, whatever is configured.
 */
const DEFAULT_DELIVERY_RETENTION_DAYS = 90;
const MIN_DELIVERY_RETENTION_DAYS = 7;

export async function pruneWebhookDeliveries(db: Db, options: { retentionDays?: number; now?: Date } = {}): Promise<{ removed: number }> {
  const days = Math.max(MIN_DELIVERY_RETENTION_DAYS, options.retentionDays ?? DEFAULT_DELIVERY_RETENTION_DAYS);
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * 24 * 60 * 60 * 1000);
  const result = await db.deleteFrom("webhook_deliveries").where("received_at", "<", cutoff).executeTakeFirst();
  return { removed: Number(result.numDeletedRows) };
}
