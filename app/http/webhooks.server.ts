import type { DeliveryResult } from "~/domain/integrations/index.server";
import { log } from "./log.server";
import { jsonOk, refuse } from "./machine.server";

export type WebhookContext = { source: string; workspace: string | undefined; deliveryId?: string | null };

/** The HTTP answer to a delivery: 200 with what it changed, 409 for a replay, the rejection's 4xx. */
export function deliveryResponse(result: DeliveryResult, context: WebhookContext): Response {
  switch (result.kind) {
    case "processed":
      log.info({ ...context, outcome: result.outcome, summary: result.summary, changes: result.changes.length }, "webhook delivery processed");
      return jsonOk({ ok: true, outcome: result.outcome, summary: result.summary, changes: result.changes });
    case "replay":
      return refuse(409, `Delivery ${result.deliveryId} was already processed; nothing changed.`, context);
    case "rejected":
      return refuse(result.why === "malformed" ? 400 : 422, result.reason, context);
  }
}

export const SIGNATURE_MESSAGES = {
  missing: "The request is not signed.",
  mismatch: "The signature does not match: check the secret.",
} as const;
