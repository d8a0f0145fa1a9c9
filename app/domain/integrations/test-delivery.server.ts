import { createHmac, randomUUID } from "node:crypto";
import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { invalid, type Outcome } from "~/domain/shared/outcomes";
import { SOURCE_LABELS } from "./rules";
import { findWebhookTarget } from "./webhooks.server";

/** The senders whose deliveries Hindsight can sign itself (Alertmanager's token is kept only as a hash). */
export type TestDeliverySource = "github" | "pagerduty";

export type SignedDelivery = { deliveryId: string; headers: Record<string, string>; body: string };

function hmacHex(key: string, body: string): string {
  return createHmac("sha256", key).update(body, "utf8").digest("hex");
}

/**
 * A sample delivery as the sender would make it, signed with the workspace's current secret:
 * GitHub's `ping` and PagerDuty's `pagey.ping`, which the ingest acknowledges and logs without
 * changing anything. Its delivery id starts with "hindsight-test-" so the delivery log tells it apart.
 */
export async function signedTestDelivery(
  db: Db,
  actor: PublicUser,
  slug: string,
  source: TestDeliverySource,
  now = new Date(),
): Promise<Outcome<{ delivery: SignedDelivery }>> {
  const target = await findWebhookTarget(db, slug, source, now);
  if (!target) return invalid({ source: [`Set up ${SOURCE_LABELS[source]} first: there is no secret to sign a test delivery with.`] });
  const key = target.keys[0]!;
  const deliveryId = `hindsight-test-${randomUUID()}`;
  // Who signed a sample with the workspace's secret, and when: the audit log says so.
  await recordAuditEvent(db, {
    workspaceId: target.workspaceId,
    actorId: actor.id,
    action: "integration.test_delivery_sent",
    entityType: "integration",
    entityId: source,
    change: { source, deliveryId },
  });
  if (source === "github") {
    const body = JSON.stringify({
      zen: "Hindsight test delivery: the webhook secret and address work.",
      hook_id: 0,
      hook: { type: "Repository", active: true, config: { content_type: "json" } },
      sender: { login: "hindsight" },
    });
    return {
      ok: true,
      delivery: {
        deliveryId,
        body,
        headers: {
          "content-type": "application/json",
          "x-github-event": "ping",
          "x-github-delivery": deliveryId,
          "x-hub-signature-256": `sha256=${hmacHex(key, body)}`,
        },
      },
    };
  }
  const body = JSON.stringify({
    event: { id: deliveryId, event_type: "pagey.ping", resource_type: "pagey", occurred_at: now.toISOString(), agent: null, data: { type: "ping", message: "Hindsight test delivery" } },
  });
  return {
    ok: true,
    delivery: { deliveryId, body, headers: { "content-type": "application/json", "x-pagerduty-signature": `v1=${hmacHex(key, body)}` } },
  };
}
