import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { RevisionHistory } from "~/components/revision-history";
import { WorkspaceRouteError } from "~/components/route-error";
import { parseDecisionReference } from "~/domain/decisions/rules";
import { findDecision, findDecisionRevision, listDecisionRevisions, restoreDecisionRevision } from "~/domain/decisions/index.server";
import { renderDocumentHtml } from "~/domain/documents/index.server";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { notFound } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Decision history · Hindsight" }];

function decisionKey(param: string | undefined) {
  const key = parseDecisionReference(param ?? "");
  if (!key) throw notFound("No such decision record.");
  return key;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const key = decisionKey(params.ref);
  const db = await database();
  const [record, revisions] = await Promise.all([findDecision(db, workspace.id, key), listDecisionRevisions(db, workspace.id, key)]);
  if (!record) throw notFound("No such decision record.");
  const wanted = new URL(request.url).searchParams.get("version");
  const selectedVersion = wanted ? Number(wanted) : null;
  const selected = selectedVersion && Number.isSafeInteger(selectedVersion) ? await findDecisionRevision(db, workspace.id, key, selectedVersion) : null;
  if (wanted && !selected) throw notFound("That version is not in the history.");
  return {
    base: `/w/${workspace.slug}/decisions/${record.ref}`,
    abilities: abilities(access),
    current: { ref: record.ref, version: record.version, title: record.title },
    revisions,
    selected: selected ? { version: selected.version, title: selected.title, author: selected.author_name, savedAt: selected.saved_at, html: renderDocumentHtml(selected.body) } : null,
  };
}

const RestoreForm = z.object({ version: z.coerce.number().int().positive(), baseVersion: z.coerce.number().int().positive() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.edit");
  const key = decisionKey(params.ref);
  const formData = await request.formData();
  const parsed = parseForm(RestoreForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await restoreDecisionRevision(await database(), user, workspace.id, key, parsed.data.version, parsed.data.baseVersion);
  if (result.ok) return redirect(`/w/${workspace.slug}/decisions/${params.ref}`);
  if (result.kind === "not-found") throw notFound("That version is not in the history.");
  if (result.kind === "conflict") {
    return formFailure(formData, { formError: `Someone saved version ${result.current.version} meanwhile. Look again before restoring.` }, 409);
  }
  return formFailure(formData, { formError: result.message }, 409);
}

export default function DecisionHistory() {
  const { base, abilities, current, revisions, selected } = useLoaderData<typeof loader>();
  const canRestore = abilities["decision.edit"] === true;
  const state = useActionData<typeof action>();
  return (
    <>
      <PageHead
        title="History"
        description={
          <Link to={base}>
            {current.ref} {current.title}
          </Link>
        }
      />
      <FormError state={state} />
      <RevisionHistory canRestore={canRestore} currentVersion={current.version} revisions={revisions} selected={selected} />
    </>
  );
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

export const ErrorBoundary = WorkspaceRouteError;
