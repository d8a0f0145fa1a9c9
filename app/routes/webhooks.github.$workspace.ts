import type { ActionFunctionArgs } from "@remix-run/node";
import { findWebhookTarget, receiveGithubDelivery, verifyGithubSignature } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { methodNotAllowed, parseJsonBody, readBody, refuse, refused } from "~/http/machine.server";
import { storableText } from "~/http/text-input";
import { deliveryResponse, SIGNATURE_MESSAGES } from "~/http/webhooks.server";

/** POST /webhooks/github/:workspace — GitHub's webhook, signed with the workspace's secret. */
export async function action({ request, params }: ActionFunctionArgs) {
  const deliveryId = request.headers.get("x-github-delivery");
  const context = { source: "github", workspace: params.workspace, deliveryId };
  return refused(context, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const body = await readBody(request);
    const db = await database();
    const target = await findWebhookTarget(db, params.workspace ?? "", "github");
    if (!target) return refuse(404, "No GitHub webhook is set up at this address.", context);
    const signature = verifyGithubSignature(target.keys, body, request.headers.get("x-hub-signature-256"));
    if (signature !== "ok") return refuse(401, SIGNATURE_MESSAGES[signature], context);
    const event = request.headers.get("x-github-event");
    if (!event || !deliveryId || deliveryId.length > 200 || event.length > 100) {
      return refuse(400, "X-GitHub-Event and X-GitHub-Delivery headers are required.", context);
    }
    const payload = storableText(parseJsonBody(body, request.headers.get("content-type")));
    const result = await receiveGithubDelivery(db, { workspaceId: target.workspaceId, deliveryId, event, payload });
    return deliveryResponse(result, context);
  });
}

export const loader = () => methodNotAllowed(["POST"]);
