import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { DECISION_STATUS_LABELS } from "~/domain/decisions/rules";
import { importDecisionBatch, previewDecisionImport } from "~/domain/decisions/index.server";
import { ImportForm } from "~/domain/decisions/forms";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { notFound } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { When } from "~/components/when";
import { ColumnHeads } from "~/components/column-heads";

export const meta: MetaFunction = () => [{ title: "Import preview · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.import");
  const preview = await previewDecisionImport(await database(), user, workspace.id, params.batch ?? "");
  if (!preview) throw notFound("This upload is not here: it was removed after a day, or it is someone else's.");
  const { plan, batch } = preview;
  return {
    slug: workspace.slug,
    batch,
    files: plan.files,
    counts: plan.counts,
    supersedesExisting: plan.supersedesExisting,
    hash: plan.hash,
  };
}


export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.import");
  const formData = await request.formData();
  const parsed = parseForm(ImportForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await importDecisionBatch(await database(), user, workspace.id, params.batch ?? "", parsed.data.planHash);
  if (result.ok) return redirect(`/w/${workspace.slug}/decisions?imported=${result.created.length}`);
  switch (result.kind) {
    case "not-found":
      throw notFound("This upload is not here: it was removed after a day, or it is someone else's.");
    case "already-imported":
      return redirect(`/w/${workspace.slug}/decisions/import/${params.batch}`);
    case "changed":
    case "nothing":
      return formFailure(formData, { formError: result.message }, 409);
  }
}

const OUTCOME_LABELS = { create: "Create", duplicate: "Duplicate", error: "Not imported", ignored: "Skipped" } as const;

export default function ImportPreview() {
  const { slug, batch, files, counts, supersedesExisting, hash } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const imported = batch.importedAt !== null;
  const result = batch.result as { created?: string[] } | null;
  const createdRefs = new Set(result?.created ?? []);
  return (
    <>
      <PageHead
        title="Import preview"
        description={
          <>
            {batch.source}, uploaded <When at={batch.createdAt} /> · <Link to={`/w/${slug}/decisions/import`}>Upload different files</Link>
          </>
        }
      />
      <FormError state={state} />
      {imported ? (
        <div className="notice" role="status">
          Imported <When at={batch.importedAt} />: {result?.created?.length ?? 0} records created. <Link to={`/w/${slug}/decisions`}>Open the decision log</Link>
        </div>
      ) : null}
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title">{imported ? "What this upload held" : "What the import will do"}</h2>
        <ul className="import-summary">
          <li>
            <strong>{counts.create}</strong> {counts.create === 1 ? "record" : "records"} to create
          </li>
          <li>
            <strong>{counts.links}</strong> typed {counts.links === 1 ? "link" : "links"}
          </li>
          <li>
            <strong>{counts.duplicate}</strong> {counts.duplicate === 1 ? "duplicate" : "duplicates"} skipped
          </li>
          <li>
            <strong>{counts.error}</strong> {counts.error === 1 ? "file" : "files"} with errors, not imported
          </li>
          <li>
            <strong>{counts.ignored}</strong> other {counts.ignored === 1 ? "file" : "files"} skipped
          </li>
        </ul>
        {supersedesExisting.length > 0 ? (
          <p>
            Records already here that become superseded:{" "}
            {supersedesExisting.map((s, i) => (
              <span key={s.id}>
                {i > 0 ? ", " : null}
                <Link to={`/w/${slug}/decisions/${s.ref}`}>{s.ref}</Link> {s.title} (now {DECISION_STATUS_LABELS[s.from].toLowerCase()})
              </span>
            ))}
            .
          </p>
        ) : null}
        {!imported ? (
          <Form method="post" className="actions-row">
            <input type="hidden" name="planHash" value={hash} />
            <button type="submit" className="button" disabled={busy || (counts.create === 0 && counts.links === 0)}>
              {counts.create > 0 ? `Import ${counts.create} ${counts.create === 1 ? "record" : "records"}` : "Import the links"}
            </button>
            <span className="muted">
              All at once or not at all.{counts.error > 0 ? " Files with errors are left out; fix them and import again later." : ""}
            </span>
          </Form>
        ) : null}
      </section>
      <div className="card table-wrap">
        <table>
          <caption className="visually-hidden">Every uploaded file and what the import does with it</caption>
          <ColumnHeads labels={["File", "Becomes", "Title", "Status", "Date", "Links", "Problems"]} />
          <tbody>
            {files.map((f) => (
              <tr key={f.path} data-outcome={f.outcome}>
                <td>
                  <code>{f.path}</code>
                </td>
                <td>
                  <span className={`outcome outcome-${f.outcome}`}>{OUTCOME_LABELS[f.outcome]}</span>{" "}
                  {f.outcome === "create" && f.ref ? (
                    imported && createdRefs.has(f.ref) ? (
                      <Link to={`/w/${slug}/decisions/${f.ref}`}>{f.ref}</Link>
                    ) : (
                      <span>{f.ref}</span>
                    )
                  ) : null}
                  {f.outcome === "duplicate" ? <span className="muted">of {f.duplicateOf}</span> : null}
                  {f.sourceRef ? <div className="muted">was {f.sourceRef}</div> : null}
                </td>
                <td>{f.title ?? "—"}</td>
                <td>{f.status ? DECISION_STATUS_LABELS[f.status] : "—"}</td>
                <td className="nowrap">{f.decidedOn ?? "—"}</td>
                <td>{f.links.length ? f.links.join(", ") : "—"}</td>
                <td>
                  {f.errors.length || f.warnings.length ? (
                    <ul className="problems">
                      {f.errors.map((e) => (
                        <li key={e} className="error">
                          {e}
                        </li>
                      ))}
                      {f.warnings.map((w) => (
                        <li key={w} className={f.outcome === "ignored" ? "muted" : "warning"}>
                          {w}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
