import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { RevisionHistory } from "~/components/revision-history";
import { WorkspaceRouteError } from "~/components/route-error";
import { renderDocumentHtml } from "~/domain/documents/index.server";
import { findPostmortem, findRevision, listRevisions, restoreRevision } from "~/domain/postmortems/index.server";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Postmortem history · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const number = requireNumberParam(params.number);
  const db = await database();
  const [postmortem, revisions] = await Promise.all([findPostmortem(db, workspace.id, number), listRevisions(db, workspace.id, number)]);
  if (!postmortem) throw notFound("This incident has no postmortem yet.");
  const wanted = new URL(request.url).searchParams.get("version");
  const selectedVersion = wanted ? Number(wanted) : null;
  const selected = selectedVersion && Number.isSafeInteger(selectedVersion) ? await findRevision(db, workspace.id, number, selectedVersion) : null;
  if (wanted && !selected) throw notFound("That version is not in the history.");
  return {
    slug: workspace.slug,
    number,
    abilities: abilities(access, { "postmortem.edit": { status: postmortem.status } }),
    current: { version: postmortem.version, title: postmortem.title },
    revisions,
    selected: selected ? { version: selected.version, title: selected.title, author: selected.author_name, savedAt: selected.saved_at, html: renderDocumentHtml(selected.body) } : null,
  };
}

const RestoreForm = z.object({ version: z.coerce.number().int().positive(), baseVersion: z.coerce.number().int().positive() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "postmortem.edit");
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const parsed = parseForm(RestoreForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await restoreRevision(await database(), user, workspace.id, number, parsed.data.version, parsed.data.baseVersion);
  if (result.ok) return redirect(`/w/${workspace.slug}/incidents/${number}/postmortem`);
  if (result.kind === "not-found") throw notFound("That version is not in the history.");
  if (result.kind === "conflict") {
    return formFailure(formData, { formError: `Someone saved version ${result.current.version} meanwhile. Look again before restoring.` }, 409);
  }
  return formFailure(formData, { formError: "message" in result ? result.message : "Could not restore." }, 409);
}

export default function PostmortemHistory() {
  const { slug, number, abilities, current, revisions, selected } = useLoaderData<typeof loader>();
  const canRestore = abilities["postmortem.edit"] === true;
  const state = useActionData<typeof action>();
  const base = `/w/${slug}/incidents/${number}/postmortem`;
  return (
    <>
      <PageHead title="History" description={<Link to={base}>{current.title}</Link>} />
      <FormError state={state} />
      <RevisionHistory canRestore={canRestore} currentVersion={current.version} revisions={revisions} selected={selected} />
    </>
  );
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

export const ErrorBoundary = WorkspaceRouteError;
