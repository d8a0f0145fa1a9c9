import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { WorkspaceRouteError } from "~/components/route-error";
import { DECISION_STATUS_LABELS, parseDecisionReference } from "~/domain/decision-rules";
import { findDecision } from "~/domain/decisions.server";
import { renderDocumentHtml } from "~/domain/documents.server";
import { listMembers } from "~/domain/workspaces.server";
import { DocumentEditor } from "~/editor/document-editor.client";
import type { DocumentJSON } from "~/editor/extensions";
import { readDraft, useAutosave, type SaveState } from "~/editor/use-autosave";
import { formatUtc } from "~/forms/fields";
import { database } from "~/http/db.server";
import { notFound } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Editing ${data.record.ref} ${data.record.title} · Hindsight` : "Decision · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace, "editor");
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
    names: [...new Set(members.flatMap((m) => [m.display_name, m.display_name.split(" ")[0] ?? ""]).filter((n) => n.length > 1))],
  };
}

const STATE_TEXT: Record<SaveState, string> = {
  saved: "All changes saved",
  unsaved: "Unsaved changes…",
  saving: "Saving…",
  offline: "Can't reach the server; your text is kept in this browser and will be saved when it answers",
  conflict: "Not saved: someone else saved a newer version",
  error: "Not saved",
};

export default function EditDecision() {
  const { base, record, names } = useLoaderData<typeof loader>();
  // Loader JSON types erase the document's shape; it is the DocumentJSON the server validated.
  const serverBody = record.body as unknown as DocumentJSON;
  const [title, setTitle] = useState(record.title);
  const [content, setContent] = useState<{ key: number; body: DocumentJSON }>({ key: 0, body: serverBody });
  const bodyRef = useRef(serverBody);
  const [hydrated, setHydrated] = useState(false);
  const [restored, setRestored] = useState(false);
  const autosave = useAutosave({ documentId: record.id, saveUrl: `${base}/save`, version: record.version, title: record.title, body: serverBody });

  // After hydration: bring back text left unsaved in this browser, or show it as a conflict.
  useEffect(() => {
    setHydrated(true);
    const draft = readDraft(record.id);
    if (!draft) return;
    const differs = draft.title !== record.title || JSON.stringify(draft.body) !== JSON.stringify(serverBody);
    if (!differs) return;
    setTitle(draft.title);
    bodyRef.current = draft.body;
    setContent((c) => ({ key: c.key + 1, body: draft.body }));
    setRestored(true);
    if (draft.baseVersion === record.version) {
      autosave.change({ title: draft.title, body: draft.body });
    } else {
      autosave.raiseConflict(
        {
          version: record.version,
          title: record.title,
          body: serverBody,
          html: record.html,
          updatedByName: record.updatedByName,
          updatedAt: new Date(record.updatedAt).toISOString(),
        },
        draft.baseVersion,
      );
    }
    // Runs once per document; the autosave callbacks are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [record.id]);

  const conflict = autosave.conflict;
  return (
    <>
      <header className="page-head">
        <div>
          {/* The title field below is the visible heading; the page still needs its one h1. */}
          <h1 className="visually-hidden">
            Editing {record.ref} {title || record.title}
          </h1>
          <p className="muted">
            <Link to={base}>Back to {record.ref}</Link> · <span className={`status-pill small decision-${record.status}`}>{DECISION_STATUS_LABELS[record.status]}</span>{" "}
            · status, tags and links are on the record&apos;s page
          </p>
          <div className="field title-field">
            <label htmlFor="decision-title">Title</label>
            <input
              id="decision-title"
              type="text"
              value={title}
              maxLength={200}
              onChange={(e) => {
                setTitle(e.currentTarget.value);
                autosave.change({ title: e.currentTarget.value, body: bodyRef.current });
              }}
            />
          </div>
        </div>
        <p className={`save-state save-${autosave.state}`} role="status" aria-live="polite" data-testid="save-state">
          {STATE_TEXT[autosave.state]}
          {autosave.state === "saved" ? ` · version ${autosave.version}` : ""}
          {autosave.state === "error" && autosave.error ? `: ${autosave.error}` : ""}
        </p>
      </header>

      {restored && !conflict ? (
        <div className="notice" role="status">
          Restored changes you had not saved in this browser. They are being saved now.
        </div>
      ) : null}

      {conflict ? (
        <section className="card conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{conflict.updatedByName} saved a newer version while you were writing</h2>
          <p>
            Version {conflict.version} was saved {formatUtc(conflict.updatedAt)}. Your text is still in the editor below and in this
            browser; nothing has been overwritten. Compare, then choose.
          </p>
          <details open>
            <summary>Their version ({conflict.title})</summary>
            <div className="prose conflict-theirs" dangerouslySetInnerHTML={{ __html: conflict.html }} />
          </details>
          <div className="actions-row auth-alt">
            <button type="button" className="button" onClick={() => autosave.keepMine()}>
              Keep mine (save over theirs)
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                const theirs = autosave.takeTheirs();
                if (!theirs) return;
                setTitle(theirs.title);
                bodyRef.current = theirs.body;
                setContent((c) => ({ key: c.key + 1, body: theirs.body }));
                setRestored(false);
              }}
            >
              Take theirs (discard mine)
            </button>
          </div>
        </section>
      ) : null}

      {/* Stacked, not side by side: the editor has its own hints column and needs the width. */}
      <div className="card">
        {hydrated ? (
          <DocumentEditor
            key={content.key}
            initialContent={content.body}
            label="Decision record body"
            blamelessNames={names}
            onChange={(doc) => {
              bodyRef.current = doc;
              autosave.change({ title, body: doc });
            }}
          />
        ) : (
          <div className="prose editor-loading" aria-busy="true" dangerouslySetInnerHTML={{ __html: record.html }} />
        )}
      </div>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
