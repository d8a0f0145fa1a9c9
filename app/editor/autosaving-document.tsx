/**
 * The writing page of a versioned document (postmortem, decision record): title and body,
 * autosaved against the version they were loaded at, a local draft brought back after a reload,
 * and the conflict panel when someone else saved first. The editor itself loads only in the
 * browser; until then the server-rendered text stands in for it.
 */
import { UndoRedo } from "@tiptap/extensions/undo-redo";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { DocumentEditor } from "./document-editor.client";
import type { DocumentJSON } from "~/domain/documents/rules";
import { readDraft } from "./drafts";
import { useAutosave, type SaveState } from "./use-autosave";
import { When } from "~/components/when";
import { DocumentHead } from "./document-head";
import { LeaveGuard } from "./leave-guard";
import { TrackedBlocksContext, type RenderTracked } from "./tracked-blocks/context";

/** Live, Yjs keeps the undo history; here ProseMirror's does. */
const UNDO_HISTORY = [UndoRedo];

export type AutosavedDocument = {
  id: string;
  title: string;
  version: number;
  body: DocumentJSON;
  /** The stored body rendered on the server: shown before the editor loads. */
  html: string;
  updatedByName: string;
  updatedAt: string | Date;
};

const STATE_TEXT: Record<SaveState, string> = {
  saved: "All changes saved",
  unsaved: "Unsaved changes…",
  saving: "Saving…",
  offline: "Can't reach the server; your text is kept in this browser and will be saved when it answers",
  conflict: "Not saved: someone else saved a newer version",
  error: "Not saved",
};

export function AutosavingDocument({
  document,
  saveUrl,
  label,
  titleFieldId,
  context,
  names,
  side,
  tracked,
}: {
  document: AutosavedDocument;
  saveUrl: string;
  /** The accessible name of the writing area, e.g. "Postmortem body". */
  label: string;
  titleFieldId: string;
  /** The line above the title: a way back and what this document belongs to. */
  context: ReactNode;
  names: string[];
  side?: ReactNode;
  /** What the document's live blocks show (a postmortem's factors and actions; ADR 25). */
  tracked?: RenderTracked;
}) {
  const [title, setTitle] = useState(document.title);
  const [content, setContent] = useState<{ key: number; body: DocumentJSON }>({ key: 0, body: document.body });
  const bodyRef = useRef(document.body);
  const [hydrated, setHydrated] = useState(false);
  const [restored, setRestored] = useState(false);
  const autosave = useAutosave({ documentId: document.id, saveUrl, version: document.version, title: document.title, body: document.body });

  // After hydration: bring back text left unsaved in this browser, or show it as a conflict.
  useEffect(() => {
    setHydrated(true);
    const draft = readDraft(document.id);
    if (!draft) return;
    const differs = draft.title !== document.title || JSON.stringify(draft.body) !== JSON.stringify(document.body);
    if (!differs) return;
    setTitle(draft.title);
    bodyRef.current = draft.body;
    setContent((c) => ({ key: c.key + 1, body: draft.body }));
    setRestored(true);
    if (draft.baseVersion === document.version) {
      autosave.change({ title: draft.title, body: draft.body });
    } else {
      autosave.raiseConflict(
        {
          version: document.version,
          title: document.title,
          body: document.body,
          html: document.html,
          updatedByName: document.updatedByName,
          updatedAt: new Date(document.updatedAt).toISOString(),
        },
        draft.baseVersion,
      );
    }
    // Runs once per document; the autosave callbacks are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document.id]);

  const conflict = autosave.conflict;
  return (
    <>
      <LeaveGuard autosave={autosave} />
      <DocumentHead
        title={title}
        storedTitle={document.title}
        titleFieldId={titleFieldId}
        context={context}
        onTitleChange={(value) => {
          setTitle(value);
          autosave.change({ title: value, body: bodyRef.current });
        }}
        stateClass={`save-${autosave.state}`}
        state={
          <>
            {STATE_TEXT[autosave.state]}
            {autosave.state === "saved" ? ` · version ${autosave.version}` : ""}
            {autosave.state === "error" && autosave.error ? `: ${autosave.error}` : ""}
          </>
        }
      />

      {restored && !conflict ? (
        <div className="notice" role="status">
          Restored changes you had not saved in this browser. They are being saved now.
        </div>
      ) : null}

      {conflict ? (
        <section className="card conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{conflict.updatedByName} saved a newer version while you were writing</h2>
          <p>
            Version {conflict.version} was saved <When at={conflict.updatedAt} />. Your text is still in the editor below and in this
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

      <div className="card">
        {hydrated ? (
          <TrackedBlocksContext.Provider value={tracked ?? null}>
          <DocumentEditor
            key={content.key}
            initialContent={content.body}
            label={label}
            blamelessNames={names}
            side={side}
            liveBlocks={tracked !== undefined}
            undoHistory={UNDO_HISTORY}
            onChange={(doc) => {
              bodyRef.current = doc;
              autosave.change({ title, body: doc });
            }}
          />
          </TrackedBlocksContext.Provider>
        ) : (
          <div className="prose editor-loading" aria-busy="true" dangerouslySetInnerHTML={{ __html: document.html }} />
        )}
      </div>
    </>
  );
}
