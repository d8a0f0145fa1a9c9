import {
  findWebhookTarget,
  receiveGithubDelivery,
  receivePagerDutyDelivery,
  verifyGithubSignature,
  verifyPagerDutySignature,
} from "~/domain/integrations/index.server";
import { database } from "./db.server";
import { methodNotAllowed, parseJsonBody, readBody, refuse, refused } from "./machine.server";
import { storableText } from "./text-input";
import { deliveryResponse, SIGNATURE_MESSAGES } from "./webhooks.server";

/**
 * The GitHub and PagerDuty webhook endpoints (routes/webhooks.*.$workspace.ts), here so that
 * Settings → Integrations' test delivery goes through exactly the checks a real delivery meets.
 */
export function githubIngest(request: Request, slug: string | undefined): Promise<Response> {
  const deliveryId = request.headers.get("x-github-delivery");
  const context = { source: "github", workspace: slug, deliveryId };
  return refused(context, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const body = await readBody(request);
    const db = await database();
    const target = await findWebhookTarget(db, slug ?? "", "github");
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

export function pagerDutyIngest(request: Request, slug: string | undefined): Promise<Response> {
  const context = { source: "pagerduty", workspace: slug };
  return refused(context, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const body = await readBody(request);
    const db = await database();
    const target = await findWebhookTarget(db, slug ?? "", "pagerduty");
    if (!target) return refuse(404, "No PagerDuty webhook is set up at this address.", context);
    const signature = verifyPagerDutySignature(target.keys, body, request.headers.get("x-pagerduty-signature"));
    if (signature !== "ok") return refuse(401, SIGNATURE_MESSAGES[signature], context);
    const payload = storableText(parseJsonBody(body));
    const result = await receivePagerDutyDelivery(db, { workspaceId: target.workspaceId, payload });
    return deliveryResponse(result, context);
  });
}
