import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/http/machine.server";
import { pagerDutyIngest } from "~/http/webhook-ingest.server";

/** POST /webhooks/pagerduty/:workspace — a PagerDuty v3 webhook subscription, signed (X-PagerDuty-Signature). */
export function action({ request, params }: ActionFunctionArgs) {
  return pagerDutyIngest(request, params.workspace);
}

export const loader = () => methodNotAllowed(["POST"]);
