import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WorkspaceRouteError } from "~/components/route-error";
import { DECISION_STATUS_LABELS, parseDecisionReference } from "~/domain/decisions/rules";
import { findDecision } from "~/domain/decisions/index.server";
import { renderDocumentHtml } from "~/domain/documents/index.server";
import { listMembers } from "~/domain/workspaces/index.server";
import { CollaborativeDocument } from "~/editor/collaboration/collaborative-document";
import { liveSession, type DocumentJSON } from "~/domain/documents/rules";
import { database } from "~/http/db.server";
import { notFound } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Editing ${data.record.ref} ${data.record.title} · Hindsight` : "Decision · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.edit");
  const key = parseDecisionReference(params.ref ?? "");
  if (!key) throw notFound("No such decision record.");
  const db = await database();
  const [record, members] = await Promise.all([findDecision(db, workspace.id, key), listMembers(db, workspace.id)]);
  if (!record) throw notFound("No such decision record.");
  return {
    base: `/w/${workspace.slug}/decisions/${record.ref}`,
    record: {
      id: record.id,
      ref: record.ref,
      title: record.title,
      status: record.status,
      version: record.version,
      body: record.body as unknown as DocumentJSON,
      html: renderDocumentHtml(record.body),
      updatedByName: record.updated_by_name,
      updatedAt: record.updated_at,
    },
    // The live room of this text, and who you are in it (docs/decisions/0029).
    live: liveSession({ store: "decision", recordId: record.id }, user),
    names: [...new Set(members.flatMap((m) => [m.display_name, m.display_name.split(" ")[0] ?? ""]).filter((n) => n.length > 1))],
  };
}

export default function EditDecision() {
  const { base, record, names, live } = useLoaderData<typeof loader>();
  return (
    <CollaborativeDocument
      // Loader JSON types erase the document's shape; it is the DocumentJSON the server validated.
      document={{ ...record, body: record.body as unknown as DocumentJSON }}
      saveUrl={`${base}/save`}
      label="Decision record body"
      titleFieldId="decision-title"
      context={
        <>
          <Link to={base}>Back to {record.ref}</Link> ·{" "}
          <span className={`status-pill small decision-${record.status}`}>{DECISION_STATUS_LABELS[record.status]}</span> · status, tags and
          links are on the record&apos;s page
        </>
      }
      names={names}
      live={live}
    />
  );
}

export const ErrorBoundary = WorkspaceRouteError;
