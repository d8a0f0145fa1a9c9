import type { ActionFunctionArgs } from "@remix-run/node";
import { findWebhookTarget, receivePagerDutyDelivery, verifyPagerDutySignature } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { methodNotAllowed, parseJsonBody, readBody, refuse, refused } from "~/http/machine.server";
import { storableText } from "~/http/text-input";
import { deliveryResponse, SIGNATURE_MESSAGES } from "~/http/webhooks.server";

/** POST /webhooks/pagerduty/:workspace — a PagerDuty v3 webhook subscription, signed (X-PagerDuty-Signature). */
export async function action({ request, params }: ActionFunctionArgs) {
  const context = { source: "pagerduty", workspace: params.workspace };
  return refused(context, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const body = await readBody(request);
    const db = await database();
    const target = await findWebhookTarget(db, params.workspace ?? "", "pagerduty");
    if (!target) return refuse(404, "No PagerDuty webhook is set up at this address.", context);
    const signature = verifyPagerDutySignature(target.keys, body, request.headers.get("x-pagerduty-signature"));
    if (signature !== "ok") return refuse(401, SIGNATURE_MESSAGES[signature], context);
    const payload = storableText(parseJsonBody(body));
    const result = await receivePagerDutyDelivery(db, { workspaceId: target.workspaceId, payload });
    return deliveryResponse(result, context);
  });
}

export const loader = () => methodNotAllowed(["POST"]);
