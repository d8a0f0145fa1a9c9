import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { requestIssuesForPostmortem } from "~/domain/trackers/index.server";
import { PostmortemTrackerForm } from "~/domain/trackers/forms";
import { requireAbility } from "~/http/authorize.server";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { formProblem } from "~/http/outcomes.server";
import { methodNotAllowed } from "~/http/machine.server";
import { requireNumberParam } from "~/http/params.server";

/** POST /w/:workspace/incidents/:number/postmortem/trackers — "Create issues in …" for every action of the postmortem that has none. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "action.track");
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const parsed = parseForm(PostmortemTrackerForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await requestIssuesForPostmortem(await database(), user, workspace.id, number, parsed.data.connectionId);
  if (!result.ok) return formProblem(formData, result);
  return request.headers.get("accept")?.includes("text/html")
    ? redirect(`/w/${workspace.slug}/incidents/${number}/postmortem`)
    : data({ ok: true as const, requested: result.requested });
}

export const loader = () => methodNotAllowed(["POST"]);
