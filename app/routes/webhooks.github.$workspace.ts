import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/http/machine.server";
import { githubIngest } from "~/http/webhook-ingest.server";

/** POST /webhooks/github/:workspace — GitHub's webhook, signed with the workspace's secret. */
export function action({ request, params }: ActionFunctionArgs) {
  return githubIngest(request, params.workspace);
}

export const loader = () => methodNotAllowed(["POST"]);
