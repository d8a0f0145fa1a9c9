import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { AuthCard } from "~/components/auth-card";
import { Field, FormError, typedValue } from "~/components/form";
import { NewWorkspaceForm } from "~/domain/workspaces/forms";
import { slugFromName } from "~/domain/workspaces/rules";
import { createWorkspace, workspacesOf } from "~/domain/workspaces/index.server";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "New workspace · Hindsight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const workspaces = await workspacesOf(await database(), user.id);
  return { workspaces };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const formData = await request.formData();
  const parsed = parseForm(NewWorkspaceForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await createWorkspace(await database(), user, parsed.data);
  if (!result.ok) return formProblem(formData, result);
  return redirect(`/w/${result.workspace.slug}`);
}

export default function NewWorkspace() {
  const { workspaces } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [slug, setSlug] = useState(typedValue(state, "slug") ?? "");
  const [slugTouched, setSlugTouched] = useState(Boolean(typedValue(state, "slug")));
  return (
    <AuthCard title="Create a workspace">
      <p className="muted">
        A workspace holds one team&apos;s incidents, postmortems, guardrails and decisions. It starts with the four risk
        tiers (T0–T3) and five critical areas, which you can edit.
      </p>
      <Form method="post" className="form" noValidate>
        <FormError state={state} />
        <Field
          name="name"
          label="Workspace name"
          placeholder="Acme Platform"
          required
          state={state}
          onChange={(e) => {
            if (!slugTouched) setSlug(slugFromName(e.currentTarget.value));
          }}
        />
        <Field
          name="slug"
          label="Address"
          hint={
            <>
              Your workspace will live at <code>/w/{slug || "your-team"}</code>
            </>
          }
          required
          state={{ ...state, values: undefined }}
          value={slug}
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.currentTarget.value);
          }}
        />
        <button className="button" type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create workspace"}
        </button>
      </Form>
      {workspaces.length ? (
        <div className="auth-alt">
          <h2>Your workspaces</h2>
          <ul>
            {workspaces.map((w) => (
              <li key={w.id}>
                <Link to={`/w/${w.slug}`}>{w.name}</Link> <span className="badge">{w.role}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </AuthCard>
  );
}
