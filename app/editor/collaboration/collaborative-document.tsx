/**
 * The writing page of a versioned document, live: everybody on the page edits one Yjs document
 * (docs/decisions/0029). Title and body merge as people type; each person's caret carries their
 * name and colour; the people here are listed above the text.
 *
 * When live editing can't start (a proxy blocks WebSockets, the server refuses), or the writer
 * asks for it after losing the connection, the page turns into the HTTP autosave page
 * (../autosaving-document), whose version check never overwrites anybody: a newer save shows the
 * conflict panel.
 */
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import "~/styles/collaboration.css";
import type { Extensions } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { BODY_FIELD, replaceText, TITLE_FIELD, type DocumentJSON } from "~/domain/documents/rules";
import type { AutosavedDocument } from "../autosaving-document";
import { DocumentHead } from "../document-head";
import { DocumentEditor } from "../document-editor.client";
import { LeaveGuard } from "../leave-guard";
import { TrackedBlocksContext, type RenderTracked } from "../tracked-blocks/context";
import { writeDraft } from "../drafts";
import type { ServerConflict } from "../use-autosave";
import { LiveCarets, type CaretUser } from "./carets";
import { useLiveDocument, type LivePhase, type Presence } from "./use-live-document";

export type LiveSession = { name: string; user: CaretUser };

type PageProps = {
  document: AutosavedDocument;
  saveUrl: string;
  label: string;
  titleFieldId: string;
  context: ReactNode;
  names: string[];
  side?: ReactNode;
  /** Draws the live factor and action blocks (ADR 25); only the postmortem editor has them. */
  tracked?: RenderTracked;
};

type Fallback = { document: AutosavedDocument; notice: string };

/** The HTTP autosave page, with its conflict panel: loaded only when live editing can't go on. */
const AutosavingDocument = lazy(() => import("../autosaving-document").then((m) => ({ default: m.AutosavingDocument })));

export function CollaborativeDocument(props: PageProps & { live: LiveSession }) {
  const [fallback, setFallback] = useState<Fallback | null>(null);
  if (fallback) {
    return (
      <>
        <div className="notice live-fallback" role="status">
          {fallback.notice}
        </div>
        <Suspense fallback={<LoadingText html={fallback.document.html} />}>
          <AutosavingDocument {...props} document={fallback.document} />
        </Suspense>
      </>
    );
  }
  return <LiveWriting {...props} onFallback={setFallback} />;
}

const PHASE_TEXT: Record<LivePhase, string> = {
  connecting: "Connecting…",
  live: "",
  offline: "Offline: your changes are kept in this browser",
  unavailable: "Live editing unavailable",
  revoked: "Read-only",
};

function LiveWriting({ live, onFallback, ...props }: PageProps & { live: LiveSession; onFallback: (f: Fallback) => void }) {
  const { document: initial, label, titleFieldId, context, names, side, saveUrl, tracked } = props;
  const doc = useLiveDocument({ name: live.name, user: live.user, version: initial.version });
  const { ydoc, provider, phase, readOnly, pending, version, people } = doc;
  const [title, setTitle] = useState(initial.title);
  const [hydrated, setHydrated] = useState(false);
  const [offlineSave, setOfflineSave] = useState<string | null>(null);

  useEffect(() => setHydrated(true), []);

  // The title field shows the shared Y.Text.
  useEffect(() => {
    const text = ydoc.getText(TITLE_FIELD);
    const show = () => setTitle(text.toString());
    text.observe(show);
    if (text.length > 0) show();
    return () => text.unobserve(show);
  }, [ydoc]);

  // Live editing could not start: the HTTP autosave takes over, from the text as the server sent it.
  useEffect(() => {
    if (phase !== "unavailable") return;
    onFallback({
      document: initial,
      notice: doc.problem
        ? `Live editing is not available for you here (${doc.problem}). Changes are saved the usual way.`
        : "Live editing could not connect (a network or proxy may block it). Your changes are saved the usual way; if someone saved meanwhile, you will be asked to compare.",
    });
  }, [phase, doc.problem, initial, onFallback]);

  const writable = !readOnly && phase !== "revoked" && phase !== "unavailable";
  const current = () => ({ title: ydoc.getText(TITLE_FIELD).toString().trim() || initial.title, body: bodyOf(ydoc) });

  /** Offline too long: save what is here over HTTP on the last version seen live, as the fallback path. */
  async function saveWithoutLive() {
    setOfflineSave("Saving…");
    const content = current();
    try {
      const response = await fetch(saveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ baseVersion: version, ...content }),
        credentials: "same-origin",
      });
      const json = (await response.json().catch(() => ({}))) as { version?: number; conflict?: ServerConflict; error?: string };
      if (response.ok && json.version) {
        onFallback({
          document: { ...initial, ...content, version: json.version, html: initial.html },
          notice: "Saved without live editing. Reload the page to write live again.",
        });
      } else if (response.status === 409 && json.conflict) {
        // Someone saved after the last version seen here: keep this text as a draft on that version,
        // and let the autosave page show both to compare.
        writeDraft(initial.id, { baseVersion: version, ...content, at: new Date().toISOString() });
        const c = json.conflict;
        onFallback({
          document: { ...initial, version: c.version, title: c.title, body: c.body, html: c.html, updatedByName: c.updatedByName, updatedAt: c.updatedAt },
          notice: "Saving without live editing. Someone saved a newer version meanwhile: compare below, nothing has been overwritten.",
        });
      } else {
        setOfflineSave(json.error ?? `Not saved: the server answered ${response.status}.`);
      }
    } catch {
      setOfflineSave("Can't reach the server either. Keep writing: nothing is lost, and it merges when the connection is back.");
    }
  }

  return (
    <>
      <DocumentHead
        title={title}
        storedTitle={initial.title}
        titleFieldId={titleFieldId}
        context={context}
        readOnly={!writable || phase === "connecting"}
        onTitleChange={(value) => {
          setTitle(value);
          replaceText(ydoc.getText(TITLE_FIELD), value);
        }}
        stateClass={`live-${phase}`}
        state={
          <>
            {PHASE_TEXT[phase]}
            {phase === "live" ? (pending ? "Saving…" : `All changes saved · version ${version}`) : ""}
          </>
        }
      />

      {phase === "offline" ? (
        <div className="notice live-offline" role="alert">
          <p>
            The live connection is lost. Keep writing: your changes are kept in this browser and merge with everybody else&rsquo;s when the connection comes
            back.
          </p>
          <p>
            <button type="button" className="button secondary" onClick={() => void saveWithoutLive()}>
              Save without live editing
            </button>{" "}
            {offlineSave ? <span role="status">{offlineSave}</span> : null}
          </p>
        </div>
      ) : null}
      {phase === "revoked" ? (
        <div className="notice live-offline" role="alert">
          You can no longer edit this document{doc.problem ? ` (${doc.problem})` : ""}. Your last changes are kept in this browser.
        </div>
      ) : null}

      <PresenceList people={people} />
      {/* Leaving stores what was typed first, so the next page shows it (or asks, offline). */}
      <LeaveGuard autosave={{ pending: () => pending, flush: doc.flush }} />

      <div className="card">
        {hydrated && provider && phase !== "connecting" ? (
          <TrackedBlocksContext.Provider value={tracked ?? null}>
            <DocumentEditor
              initialContent={initial.body}
              label={label}
              blamelessNames={names}
              side={side}
              editable={writable}
              liveBlocks={tracked !== undefined}
              collaboration={liveExtensions(ydoc, provider)}
              onChange={() => {}}
            />
          </TrackedBlocksContext.Provider>
        ) : (
          <EditorStandIn html={initial.html} />
        )}
      </div>
    </>
  );
}

/** The text as the server rendered it, where the editor will be once it has loaded. */
function EditorStandIn({ html }: { html: string }) {
  return <div className="prose editor-loading" aria-busy="true" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** The autosave page while its code loads: its place, with the text. */
function LoadingText({ html }: { html: string }) {
  return (
    <div className="card">
      <EditorStandIn html={html} />
    </div>
  );
}

const extensionsCache = new WeakMap<object, Extensions>();

/** The extensions that make the editor live; the same array for one provider, so the editor is made once. */
function liveExtensions(ydoc: Y.Doc, provider: NonNullable<ReturnType<typeof useLiveDocument>["provider"]>): Extensions {
  let extensions = extensionsCache.get(provider);
  if (!extensions) {
    extensions = [Collaboration.configure({ document: ydoc, field: BODY_FIELD }), LiveCarets.configure({ awareness: provider.awareness })];
    extensionsCache.set(provider, extensions);
  }
  return extensions;
}

function bodyOf(ydoc: Y.Doc): DocumentJSON {
  const body = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(BODY_FIELD)) as DocumentJSON;
  if (!body.content || body.content.length === 0) body.content = [{ type: "paragraph" }];
  return body;
}

/** Who is here: one entry per person (several tabs count once), you first. */
function PresenceList({ people }: { people: Presence[] }) {
  if (people.length === 0) return null;
  return (
    <section className="presence" aria-label="Who is here">
      <h2 className="visually-hidden">Who is here</h2>
      <ul className="presence-list">
        {people.map((person) => (
          <li key={person.id} className="presence-person" data-testid="presence-person">
            <span className="presence-dot" style={{ backgroundColor: person.color }} aria-hidden="true" />
            {person.name}
            {person.self ? <span className="muted"> (you)</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
