import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { GateFields } from "~/components/gate-fields";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { createGate } from "~/domain/guardrails/index.server";
import { GateForm } from "~/domain/guardrails/forms";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";

export const meta: MetaFunction = () => [{ title: "New gate · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "gate.create");
  return { slug: workspace.slug };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "gate.create");
  const formData = await request.formData();
  const parsed = parseForm(GateForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await createGate(await database(), user, workspace.id, parsed.data);
  if (result.ok) return redirect(`/w/${workspace.slug}/gates/${result.id}`);
  return formProblem(formData, result);
}

export default function NewGate() {
  const { slug } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHead title="New gate" description="A check that stops a risky change: where it runs, what it is called, which tiers it guards." />
      <Form method="post" className="form card guardrail-form" noValidate>
        <FormError state={state} />
        <GateFields state={state} defaults={{}} />
        <div className="inline-form">
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Saving…" : "Create gate"}
          </button>
          <Link to={`/w/${slug}/gates`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
