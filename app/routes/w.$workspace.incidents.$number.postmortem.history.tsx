import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { RevisionHistory } from "~/components/revision-history";
import { WorkspaceRouteError } from "~/components/route-error";
import { findPostmortem, findRevision, listRevisions, restoreRevision } from "~/domain/postmortems/index.server";
import { database } from "~/http/db.server";
import { restoreFromHistory, shownRevision } from "~/http/document-history.server";
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
  const selected = await shownRevision(request, (version) => findRevision(db, workspace.id, number, version));
  return {
    slug: workspace.slug,
    number,
    abilities: abilities(access, { "postmortem.edit": { status: postmortem.status } }),
    current: { version: postmortem.version, title: postmortem.title },
    revisions,
    selected,
  };
}


export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "postmortem.edit");
  const number = requireNumberParam(params.number);
  const db = await database();
  return restoreFromHistory(request, (version, base) => restoreRevision(db, user, workspace.id, number, version, base), `/w/${workspace.slug}/incidents/${number}/postmortem`);
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
