import type { ActionFunctionArgs } from "@remix-run/node";
import { findTrackerWebhookTarget, readTrackerDelivery, receiveTrackerDelivery, verifyTrackerSignature } from "~/domain/trackers/index.server";
import { database } from "~/http/db.server";
import { methodNotAllowed, parseJsonBody, readBody, refuse, refused } from "~/http/machine.server";
import { storableText } from "~/http/text-input";
import { deliveryResponse, SIGNATURE_MESSAGES } from "~/http/webhooks.server";

/**
 * POST /webhooks/trackers/:workspace/:connection — a tracker connection's webhook: GitHub's
 * `issues`, Jira's `jira:issue_updated`, Linear's `Issue`, each signed with the connection's secret.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const context = { source: "tracker", workspace: params.workspace, connection: params.connection };
  return refused(context, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const body = await readBody(request);
    const db = await database();
    const target = await findTrackerWebhookTarget(db, params.workspace ?? "", params.connection ?? "");
    if (!target) return refuse(404, "No tracker webhook is set up at this address.", context);
    const verdict = verifyTrackerSignature(target, body, request.headers);
    if (verdict === "stale") return refuse(401, "The delivery's webhookTimestamp is more than a minute away: a replay, or a clock far off.", context);
    if (verdict !== "ok") return refuse(401, SIGNATURE_MESSAGES[verdict], context);
    const payload = storableText(parseJsonBody(body, request.headers.get("content-type")));
    const { deliveryId, event, parsed } = readTrackerDelivery(target, body, payload, request.headers);
    if (parsed.kind === "malformed") return refuse(400, `Malformed ${target.vendor} delivery: ${parsed.why}.`, context);
    const result = await receiveTrackerDelivery(db, { workspaceId: target.workspaceId, connectionId: target.connectionId, deliveryId, event }, parsed);
    return deliveryResponse(result, { ...context, deliveryId });
  });
}

export const loader = () => methodNotAllowed(["POST"]);
