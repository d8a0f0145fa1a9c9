import type { PublicUser } from "~/domain/accounts/index.server";
import { signedTestDelivery, type TestDeliverySource } from "~/domain/integrations/index.server";
import type { Db } from "#db/connection";
import type { Problem } from "~/domain/shared/outcomes";
import { githubIngest, pagerDutyIngest } from "./webhook-ingest.server";

export type TestDeliveryResult = { source: TestDeliverySource; status: number; accepted: boolean; message: string; deliveryId: string };

/**
 * Settings → Integrations' "Send a test delivery": a signed sample payload posted to this
 * workspace's own webhook address and handled by the same ingest as a real one (signature,
 * delivery log), in this process. What the sender would have been answered comes back.
 */
export async function sendTestDelivery(
  db: Db,
  actor: PublicUser,
  url: string,
  slug: string,
  source: TestDeliverySource,
): Promise<TestDeliveryResult | Problem> {
  const signed = await signedTestDelivery(db, actor, slug, source);
  if (!signed.ok) return signed;
  const { deliveryId, headers, body } = signed.delivery;
  const request = new Request(url, { method: "POST", headers: { ...headers, "user-agent": "Hindsight-Test-Delivery" }, body });
  // The ingest throws its 4xx answers (an oversized body, say) as Responses: they are answers here too.
  const response = await (source === "github" ? githubIngest(request, slug) : pagerDutyIngest(request, slug)).catch((error: unknown) => {
    if (error instanceof Response) return error;
    throw error;
  });
  const answer = (await response.json().catch(() => null)) as { summary?: string; error?: { message?: string } } | null;
  const message = answer?.summary ?? answer?.error?.message ?? response.statusText;
  return { source, status: response.status, accepted: response.ok, message, deliveryId };
}
