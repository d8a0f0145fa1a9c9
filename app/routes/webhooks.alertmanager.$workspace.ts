import type { ActionFunctionArgs } from "@remix-run/node";
import { findWebhookTarget, receiveAlertmanagerDelivery, verifyBearerToken } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { methodNotAllowed, parseJsonBody, readBody, refuse, refused } from "~/http/machine.server";
import { storableText } from "~/http/text-input";
import { deliveryResponse } from "~/http/webhooks.server";

/** POST /webhooks/alertmanager/:workspace — Prometheus Alertmanager's webhook (version 4), with a bearer token. */
export async function action({ request, params }: ActionFunctionArgs) {
  const context = { source: "alertmanager", workspace: params.workspace };
  return refused(context, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const body = await readBody(request);
    const db = await database();
    const target = await findWebhookTarget(db, params.workspace ?? "", "alertmanager");
    if (!target) return refuse(404, "No Alertmanager webhook is set up at this address.", context);
    const verdict = verifyBearerToken(target.keys, request.headers.get("authorization"));
    if (verdict !== "ok") {
      const message = verdict === "missing" ? "Send the workspace's token as Authorization: Bearer <token>." : "The token is not valid here.";
      return refuse(401, message, context, { "WWW-Authenticate": 'Bearer realm="alertmanager"' });
    }
    const payload = storableText(parseJsonBody(body));
    const result = await receiveAlertmanagerDelivery(db, { workspaceId: target.workspaceId, payload, body });
    return deliveryResponse(result, context);
  });
}

export const loader = () => methodNotAllowed(["POST"]);
