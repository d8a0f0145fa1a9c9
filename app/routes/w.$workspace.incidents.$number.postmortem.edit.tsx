import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { WorkspaceRouteError } from "~/components/route-error";
import { renderDocumentHtml } from "~/domain/documents.server";
import { incidentReference } from "~/domain/incident-rules";
import { findIncident } from "~/domain/incidents.server";
import { findPostmortem } from "~/domain/postmortems.server";
import { listMembers } from "~/domain/workspaces.server";
import { DocumentEditor } from "~/editor/document-editor.client";
import type { DocumentJSON } from "~/editor/extensions";
import { readDraft, useAutosave, type SaveState } from "~/editor/use-autosave";
import { formatUtc } from "~/forms/fields";
import { database } from "~/http/db.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Editing ${data.postmortem.title} · Hindsight` : "Postmortem · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace, "editor");
  const number = requireNumberParam(params.number);
  const db = await database();
  const [postmortem, incident, members] = await Promise.all([
    findPostmortem(db, workspace.id, number),
    findIncident(db, workspace.id, number),
    listMembers(db, workspace.id),
  ]);
  if (!postmortem || !incident) throw notFound("This incident has no postmortem yet.");
  const base = `/w/${workspace.slug}/incidents/${number}/postmortem`;
  if (postmortem.status === "published") throw redirect(base);
  return {
    base,
    incident: { number, title: incident.title, timeline: incident.timeline.map((e) => ({ id: e.id, at: e.occurred_at, kind: e.kind, text: e.text })) },
    postmortem: {
      id: postmortem.id,
      title: postmortem.title,
      version: postmortem.version,
      status: postmortem.status,
      body: postmortem.body as unknown as DocumentJSON,
      html: renderDocumentHtml(postmortem.body),
      updatedByName: postmortem.updated_by_name,
      updatedAt: postmortem.updated_at,
    },
    // Names the blameless hints watch for as the subject of a failure.
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

export default function EditPostmortem() {
  const { base, incident, postmortem, names } = useLoaderData<typeof loader>();
  // Loader JSON types erase the document's shape; it is the DocumentJSON the server validated.
  const serverBody = postmortem.body as unknown as DocumentJSON;
  const [title, setTitle] = useState(postmortem.title);
  const [content, setContent] = useState<{ key: number; body: DocumentJSON }>({ key: 0, body: serverBody });
  const bodyRef = useRef(serverBody);
  const [hydrated, setHydrated] = useState(false);
  const [restored, setRestored] = useState(false);
  const autosave = useAutosave({ documentId: postmortem.id, saveUrl: `${base}/save`, version: postmortem.version, title: postmortem.title, body: serverBody });

  // After hydration: bring back text left unsaved in this browser, or show it as a conflict.
  useEffect(() => {
    setHydrated(true);
    const draft = readDraft(postmortem.id);
    if (!draft) return;
    const differs = draft.title !== postmortem.title || JSON.stringify(draft.body) !== JSON.stringify(serverBody);
    if (!differs) return;
    setTitle(draft.title);
    bodyRef.current = draft.body;
    setContent((c) => ({ key: c.key + 1, body: draft.body }));
    setRestored(true);
    if (draft.baseVersion === postmortem.version) {
      autosave.change({ title: draft.title, body: draft.body });
    } else {
      autosave.raiseConflict(
        {
          version: postmortem.version,
          title: postmortem.title,
          body: serverBody,
          html: postmortem.html,
          updatedByName: postmortem.updatedByName,
          updatedAt: new Date(postmortem.updatedAt).toISOString(),
        },
        draft.baseVersion,
      );
    }
    // Runs once per document; the autosave callbacks are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [postmortem.id]);

  const conflict = autosave.conflict;
  return (
    <>
      <header className="page-head">
        <div>
          {/* The title field below is the visible heading; the page still needs its one h1. */}
          <h1 className="visually-hidden">Editing {title || postmortem.title}</h1>
          <p className="muted">
            <Link to={base}>Back to the postmortem</Link> · {incidentReference(incident.number)} {incident.title}
          </p>
          <div className="field title-field">
            <label htmlFor="postmortem-title">Title</label>
            <input
              id="postmortem-title"
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
      <div>
        <div className="card">
          {hydrated ? (
            <DocumentEditor
              key={content.key}
              initialContent={content.body}
              label="Postmortem body"
              blamelessNames={names}
              onChange={(doc) => {
                bodyRef.current = doc;
                autosave.change({ title, body: doc });
              }}
            />
          ) : (
            <div className="prose editor-loading" aria-busy="true" dangerouslySetInnerHTML={{ __html: postmortem.html }} />
          )}
        </div>
        <aside className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Incident timeline</h2>
          {incident.timeline.length === 0 ? (
            <p className="muted">
              No events yet. <Link to={`/w/${base.split("/")[2]}/incidents/${incident.number}`}>Add them on the incident</Link>.
            </p>
          ) : (
            <ol className="timeline">
              {incident.timeline.map((e) => (
                <li key={e.id}>
                  <time dateTime={new Date(e.at).toISOString()}>{formatUtc(e.at)}</time> <span className="badge">{e.kind}</span>
                  <p className="pre-line">{e.text}</p>
                </li>
              ))}
            </ol>
          )}
        </aside>
      </div>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
