import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { parseDecisionReference } from "~/domain/decision-rules";
import { findDecision, findDecisionRevision, listDecisionRevisions, restoreDecisionRevision } from "~/domain/decisions.server";
import { renderDocumentHtml } from "~/domain/documents.server";
import { roleAllows } from "~/domain/roles";
import { formatUtc } from "~/forms/fields";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { notFound } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Decision history · Hindsight" }];

function decisionKey(param: string | undefined) {
  const key = parseDecisionReference(param ?? "");
  if (!key) throw notFound("No such decision record.");
  return key;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.workspace);
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
    canRestore: roleAllows(role, "editor"),
    current: { ref: record.ref, version: record.version, title: record.title },
    revisions,
    selected: selected ? { version: selected.version, title: selected.title, author: selected.author_name, savedAt: selected.saved_at, html: renderDocumentHtml(selected.body) } : null,
  };
}

const RestoreForm = z.object({ version: z.coerce.number().int().positive(), baseVersion: z.coerce.number().int().positive() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.workspace, "editor");
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
  const { base, canRestore, current, revisions, selected } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
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
      <div className="layout-side">
        <section className="card" aria-labelledby="revision-title">
          {selected ? (
            <>
              <h2 id="revision-title">
                Version {selected.version} · {selected.author} · {formatUtc(selected.savedAt)}
              </h2>
              {canRestore && selected.version !== current.version ? (
                <Form method="post" className="actions-row">
                  <input type="hidden" name="version" value={selected.version} />
                  <input type="hidden" name="baseVersion" value={current.version} />
                  <button type="submit" className="button" disabled={busy}>
                    Restore this version
                  </button>
                  <span className="muted">Restoring saves it as a new version; nothing is deleted.</span>
                </Form>
              ) : null}
              <article className="prose auth-alt" dangerouslySetInnerHTML={{ __html: selected.html }} />
            </>
          ) : (
            <>
              <h2 id="revision-title">Choose a version</h2>
              <p className="muted">Saves by one person within ten minutes are kept as one version.</p>
            </>
          )}
        </section>
        <nav className="card" aria-label="Versions">
          <ol className="list-plain reviews">
            {revisions.map((r) => (
              <li key={r.version}>
                <Link to={`?version=${r.version}`} aria-current={selected?.version === r.version ? "page" : undefined}>
                  Version {r.version}
                </Link>
                {r.version === current.version ? <span className="badge">current</span> : null}
                <div className="muted">
                  {r.author_name} · {formatUtc(r.saved_at)}
                  {r.restored_from ? ` · restored from ${r.restored_from}` : ""}
                </div>
              </li>
            ))}
          </ol>
        </nav>
      </div>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
