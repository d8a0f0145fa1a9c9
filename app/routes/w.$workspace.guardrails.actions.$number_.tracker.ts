import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { linkExistingIssue, requestIssue, retryLink, unlinkIssue } from "~/domain/trackers/index.server";
import { ActionTrackerForm } from "~/domain/trackers/forms";
import { requireAbility } from "~/http/authorize.server";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { formProblem } from "~/http/outcomes.server";
import { methodNotAllowed } from "~/http/machine.server";
import { requireNumberParam } from "~/http/params.server";

/**
 * POST /w/:workspace/guardrails/actions/:number/tracker — the action's issue: create it in a
 * tracker (queued, never waited for), link an existing one by URL, unlink it, retry failed calls.
 * The action page's tracker panel posts here and is shown the page again.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "action.track");
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const parsed = parseForm(ActionTrackerForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  let result;
  if (input.intent === "create-issue") result = await requestIssue(db, user, workspace.id, number, input.connectionId);
  else if (input.intent === "link-issue") result = await linkExistingIssue(db, user, workspace.id, number, input.issueUrl);
  else if (input.intent === "unlink-issue") result = await unlinkIssue(db, user, workspace.id, number);
  else if (input.intent === "retry-sync") result = await retryLink(db, user, workspace.id, number);
  else throw new Error(`unhandled intent ${(input satisfies never) as string}`);
  if (!result.ok) return formProblem(formData, result);
  const back = `/w/${workspace.slug}/guardrails/actions/${number}`;
  // A script-less form lands back on the action; the panel's fetcher just sees it done.
  return request.headers.get("accept")?.includes("text/html") ? redirect(back) : data({ ok: true as const });
}

export const loader = () => methodNotAllowed(["POST"]);
