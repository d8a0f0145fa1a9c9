import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { submitForm } from "~/http/outcomes.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConflictPanel, VersionedEditForm } from "~/components/conflict-panel";
import { GateFields } from "~/components/gate-fields";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { findGate, updateGate } from "~/domain/guardrails/index.server";
import { GATE_KINDS, GATE_STATUSES } from "~/domain/guardrails/rules";
import { EditGateForm } from "~/domain/guardrails/forms";
import { database } from "~/http/db.server";
import { notFound, requireUuidParam } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { When } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.gate.name} · Hindsight` : "Edit gate · Hindsight" }];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "gate.edit");
  const gateId = requireUuidParam(params.gateId);
  const found = await findGate(await database(), workspace.id, gateId);
  if (!found) throw notFound("Gate not found");
  const { factors: _factors, actions: _actions, ...gate } = found;
  return { slug: workspace.slug, gate };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "gate.edit");
  const gateId = requireUuidParam(params.gateId);
  const db = await database();
  return submitForm(request, EditGateForm, ({ version, ...input }) => updateGate(db, user, workspace.id, gateId, version, input), `/w/${workspace.slug}/gates/${gateId}`);
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

export default function EditGate() {
  const { slug, gate } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const conflict = state && "conflict" in state ? state.conflict : null;
  const mine = (name: string) => String(state?.values[name] ?? "");
  return (
    <>
      <PageHead title={`Edit ${gate.name}`} description={<Link to={`/w/${slug}/gates/${gate.id}`}>Back to the gate</Link>} />
      {conflict ? (
        <ConflictPanel
          thing="gate"
          saved={
            <>
              Version {gate.version} was saved at <When at={gate.updated_at} />.
            </>
          }
          discardTo={`/w/${slug}/gates/${gate.id}`}
          rows={[
            { label: "Name", theirs: gate.name, mine: mine("name") },
            {
              label: "Kind · status",
              theirs: `${GATE_KINDS[gate.kind]} · ${GATE_STATUSES[gate.status]}`,
              mine: `${GATE_KINDS[mine("kind") as keyof typeof GATE_KINDS] ?? mine("kind")} · ${GATE_STATUSES[mine("status") as keyof typeof GATE_STATUSES] ?? mine("status")}`,
            },
            {
              label: "Repository · check",
              theirs: `${gate.repository || "—"} · ${gate.check_name || "—"}`,
              mine: `${mine("repository") || "—"} · ${mine("checkName") || "—"}`,
            },
          ]}
        />
      ) : null}
      <VersionedEditForm version={gate.version} state={state} conflict={Boolean(conflict)} cancelTo={`/w/${slug}/gates/${gate.id}`} className="form card guardrail-form">
        <GateFields state={state} defaults={gate} />
      </VersionedEditForm>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
