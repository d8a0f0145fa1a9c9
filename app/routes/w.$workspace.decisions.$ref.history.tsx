import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { RevisionHistory } from "~/components/revision-history";
import { WorkspaceRouteError } from "~/components/route-error";
import { parseDecisionReference } from "~/domain/decisions/rules";
import { findDecision, findDecisionRevision, listDecisionRevisions, restoreDecisionRevision } from "~/domain/decisions/index.server";
import { database } from "~/http/db.server";
import { restoreFromHistory, shownRevision } from "~/http/document-history.server";
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
  const selected = await shownRevision(request, (version) => findDecisionRevision(db, workspace.id, key, version));
  return {
    base: `/w/${workspace.slug}/decisions/${record.ref}`,
    abilities: abilities(access),
    current: { ref: record.ref, version: record.version, title: record.title },
    revisions,
    selected,
  };
}


export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.edit");
  const key = decisionKey(params.ref);
  const db = await database();
  return restoreFromHistory(request, (version, base) => restoreDecisionRevision(db, user, workspace.id, key, version, base), `/w/${workspace.slug}/decisions/${params.ref}`);
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
