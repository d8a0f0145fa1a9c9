/**
 * The rich-text editor for postmortem and decision-record bodies. Browser only: the server never
 * renders it (immediatelyRender: false), and read pages use renderDocumentHtml instead.
 */
import type { Extensions } from "@tiptap/core";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { lazy, Suspense, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { blamelessHints, type BlamelessHint } from "~/domain/postmortems/rules";
import { documentExtensions, type DocumentJSON } from "~/domain/documents/rules";
import { linkTarget, type LinkTarget } from "./link-target";
import { loadLinkify } from "./linkify";
import { MarkdownPaste } from "./markdown-paste";
import { EditorTable, loadTableTools, tableTools } from "./tables";
import type { TableCommand } from "./tables/tools";
import { GuidancePlaceholder } from "./tracked-blocks/guidance";
import { TrackedRecordsView } from "./tracked-blocks/node-view";

export type DocumentEditorProps = {
  /** Read once when the editor starts; later changes are ignored (remount with a key to reset). */
  initialContent: DocumentJSON;
  onChange: (doc: DocumentJSON, text: string) => void;
  editable?: boolean;
  /** The accessible name of the writing area, e.g. "Postmortem body". */
  label: string;
  /** People who might be named in the text, so the hints can notice them as subjects of a failure. */
  blamelessNames?: string[];
  /** Shown in the side column under the hints, e.g. the incident's timeline. */
  side?: ReactNode;
  /** A postmortem's editor: pasted Markdown with live-block markers becomes live blocks again (ADR 25). */
  liveBlocks?: boolean;
  /** Live co-editing (./collaboration): extensions that bind the editor to a Y.Doc, which then holds the content and its undo history. */
  collaboration?: Extensions;
  /** Without collaboration: the undo history (the HTTP autosave page brings it, so the live page does not load it). */
  undoHistory?: Extensions;
};

/** The link panel, loaded the first time it opens (or the pointer or focus reaches its button). */
const loadLinkPopover = () => import("./link-popover");
const LinkPopover = lazy(() => loadLinkPopover().then((m) => ({ default: m.LinkPopover })));

/** Long enough not to flicker while someone types, short enough to feel attached to the words. */
const HINT_DELAY_MS = 400;

/**
 * The stored schema's extensions, with the live block drawn by its node view, tables with their
 * tools (loaded with the first table), and guidance shown in empty sections.
 */
const EDITOR_EXTENSIONS = [
  ...documentExtensions.filter((extension) => extension.name !== "trackedRecords").map((extension) => (extension.name === "table" ? EditorTable : extension)),
  TrackedRecordsView,
  GuidancePlaceholder,
];

export function DocumentEditor({
  initialContent,
  onChange,
  editable = true,
  label,
  blamelessNames,
  side,
  liveBlocks = false,
  collaboration,
  undoHistory = [],
}: DocumentEditorProps) {
  // The editor is created once; it reads the latest callback through this ref.
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  const [text, setText] = useState("");
  const editor = useEditor({
    // Live, the Y.Doc holds the text and the Collaboration extension brings its own undo history.
    extensions: [...EDITOR_EXTENSIONS, MarkdownPaste.configure({ liveBlocks }), ...(collaboration ?? undoHistory)],
    content: collaboration ? undefined : initialContent,
    editable,
    immediatelyRender: false,
    // Tiptap would add its base styles as an inline <style>, which the Content-Security-Policy refuses; prose.css carries them.
    injectCSS: false,
    editorProps: { attributes: areaAttributes(label, editable) },
    onCreate: ({ editor }) => setText(plainText(editor)),
    // Finding addresses in typed and pasted text needs linkifyjs, loaded once someone is about to write (./linkify.ts).
    onFocus: () => void loadLinkify(),
    onUpdate: ({ editor }) => {
      const current = plainText(editor);
      setText(current);
      onChangeRef.current(editor.getJSON() as DocumentJSON, current);
    },
  });

  useEffect(() => {
    if (!editor) return;
    // No update event: Tiptap emits one by default, which onChange would take for an edit, and
    // merely opening the editor would then save a new version.
    editor.setEditable(editable, false);
    editor.setOptions({ editorProps: { attributes: areaAttributes(label, editable) } });
  }, [editor, editable, label]);

  return (
    <div className="editor">
      <div className="editor-main">
        {editor && editable ? <DocumentToolbar editor={editor} label={label} /> : null}
        <EditorContent editor={editor} />
      </div>
      {editable || side ? (
        // Scrolls on its own beside a long document: a focusable, named region, so the keyboard can scroll it too.
        <div className="editor-side" role="region" aria-label="Beside the document" tabIndex={0}>
          {editable ? <BlamelessHintsPanel text={text} names={blamelessNames} /> : null}
          {side}
        </div>
      ) : null}
    </div>
  );
}

function areaAttributes(label: string, editable: boolean): Record<string, string> {
  return {
    class: "prose editor-content",
    role: "textbox",
    "aria-multiline": "true",
    "aria-label": label,
    "aria-readonly": String(!editable),
  };
}

/** Close to the server's documentText (one block per line); the server recomputes it on save. */
function plainText(editor: Editor): string {
  return editor
    .getText({ blockSeparator: "\n" })
    .replace(/\n{2,}/g, "\n")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Toolbar

type ToolbarButton = {
  key: string;
  /** The accessible name. */
  label: string;
  /** What the button shows; hidden from assistive technology, which reads the label. */
  glyph: string;
  shortcut?: string;
  /** A string it returns is a notice to announce (a refused link); other results are ignored. */
  run: (editor: Editor) => unknown;
  /** Only toggles have a pressed state. */
  isActive?: (editor: Editor) => boolean;
  isEnabled?: (editor: Editor) => boolean;
};

type ToolbarGroup = { label: string; buttons: ToolbarButton[]; onlyInTable?: boolean };

/**
 * A button's accessible name holds the words it shows (WCAG 2.5.3, "label in name"), so someone
 * who says "click H2" to voice control reaches it: "Heading 2 (H2)". Symbols alone ("B", "</>")
 * are not words; a label that already holds the words ("Insert table") stays as it is.
 */
function toolbarButtonName(button: Pick<ToolbarButton, "label" | "glyph">): string {
  const shown = button.glyph.replace(/[^\p{L}\p{N}\s.]/gu, "").trim();
  const words = shown.replace(/\./g, " ").split(/\s+/).filter((w) => w.length > 1 || /\d/.test(w));
  const label = button.label.toLowerCase();
  if (words.length === 0 || words.every((w) => label.includes(w.toLowerCase()))) return button.label;
  return `${button.label} (${shown})`;
}

const chain = (editor: Editor) => editor.chain().focus();
/** What the Link button's run returns: the toolbar opens the link panel. */
const OPEN_LINK = Symbol("open link panel");

const TOOLBAR: ToolbarGroup[] = [
  {
    label: "Text",
    buttons: [
      { key: "h2", label: "Heading 2", glyph: "H2", run: (e) => chain(e).toggleHeading({ level: 2 }).run(), isActive: (e) => e.isActive("heading", { level: 2 }) },
      { key: "h3", label: "Heading 3", glyph: "H3", run: (e) => chain(e).toggleHeading({ level: 3 }).run(), isActive: (e) => e.isActive("heading", { level: 3 }) },
      { key: "bold", label: "Bold", glyph: "B", shortcut: "Control+B Meta+B", run: (e) => chain(e).toggleBold().run(), isActive: (e) => e.isActive("bold") },
      { key: "italic", label: "Italic", glyph: "I", shortcut: "Control+I Meta+I", run: (e) => chain(e).toggleItalic().run(), isActive: (e) => e.isActive("italic") },
      { key: "code", label: "Inline code", glyph: "</>", shortcut: "Control+E Meta+E", run: (e) => chain(e).toggleCode().run(), isActive: (e) => e.isActive("code") },
      { key: "link", label: "Link", glyph: "Link", shortcut: "Control+K Meta+K", run: () => OPEN_LINK, isActive: (e) => e.isActive("link") },
    ],
  },
  {
    label: "Blocks",
    buttons: [
      { key: "bullets", label: "Bulleted list", glyph: "• List", run: (e) => chain(e).toggleBulletList().run(), isActive: (e) => e.isActive("bulletList") },
      { key: "numbers", label: "Numbered list", glyph: "1. List", run: (e) => chain(e).toggleOrderedList().run(), isActive: (e) => e.isActive("orderedList") },
      { key: "tasks", label: "Task list", glyph: "☐ Tasks", run: (e) => chain(e).toggleTaskList().run(), isActive: (e) => e.isActive("taskList") },
      { key: "codeBlock", label: "Code block", glyph: "{ }", run: (e) => chain(e).toggleCodeBlock().run(), isActive: (e) => e.isActive("codeBlock") },
      { key: "quote", label: "Quote", glyph: "“ ”", run: (e) => chain(e).toggleBlockquote().run(), isActive: (e) => e.isActive("blockquote") },
      {
        key: "table",
        label: "Insert table",
        glyph: "Table",
        run: (e) => void loadTableTools(e).then((tools) => tools.insertTable(e, 3, 3, true)),
        isEnabled: (e) => !e.isActive("table"),
      },
    ],
  },
  {
    label: "Table",
    onlyInTable: true,
    buttons: [
      { key: "rowAfter", label: "Add row below", glyph: "+ Row", run: (e) => tableCommand(e, "addRowAfter") },
      { key: "columnAfter", label: "Add column to the right", glyph: "+ Column", run: (e) => tableCommand(e, "addColumnAfter") },
      { key: "deleteRow", label: "Delete row", glyph: "− Row", run: (e) => tableCommand(e, "deleteRow"), isEnabled: (e) => canTableCommand(e, "deleteRow") },
      {
        key: "deleteColumn",
        label: "Delete column",
        glyph: "− Column",
        run: (e) => tableCommand(e, "deleteColumn"),
        isEnabled: (e) => canTableCommand(e, "deleteColumn"),
      },
      { key: "deleteTable", label: "Delete table", glyph: "Delete table", run: (e) => tableCommand(e, "deleteTable") },
    ],
  },
  {
    label: "History",
    buttons: [
      { key: "undo", label: "Undo", glyph: "Undo", shortcut: "Control+Z Meta+Z", run: (e) => chain(e).undo().run(), isEnabled: (e) => e.can().undo() },
      { key: "redo", label: "Redo", glyph: "Redo", shortcut: "Control+Shift+Z Meta+Shift+Z", run: (e) => chain(e).redo().run(), isEnabled: (e) => e.can().redo() },
    ],
  },
];

/** The table tools load with the first table (./tables); a button pressed before that waits for them. */
function tableCommand(editor: Editor, command: TableCommand) {
  const tools = tableTools();
  if (tools) return tools.runTableCommand(editor, command);
  void loadTableTools(editor).then((loaded) => loaded.runTableCommand(editor, command));
}

function canTableCommand(editor: Editor, command: TableCommand): boolean {
  return tableTools()?.runTableCommand(editor, command, true) ?? false;
}

type ToolbarState = { inTable: boolean; active: Record<string, boolean>; enabled: Record<string, boolean> };

function readToolbarState(editor: Editor): ToolbarState {
  const state: ToolbarState = { inTable: editor.isActive("table"), active: {}, enabled: {} };
  for (const group of TOOLBAR) {
    for (const button of group.buttons) {
      state.active[button.key] = button.isActive?.(editor) ?? false;
      state.enabled[button.key] = button.isEnabled?.(editor) ?? true;
    }
  }
  return state;
}

/** A single tab stop; arrow keys, Home and End move between buttons (the ARIA toolbar pattern). */
function DocumentToolbar({ editor, label }: { editor: Editor; label: string }) {
  const state = useEditorState({ editor, selector: ({ editor: current }) => readToolbarState(current) });
  const toolbarRef = useRef<HTMLDivElement>(null);
  const [focusKey, setFocusKey] = useState("h2");
  const [notice, setNotice] = useState("");
  const [link, setLink] = useState<LinkTarget | null>(null);
  const [, setTablesReady] = useState(tableTools() !== null);

  // The caret in a table before its tools have loaded (a moment after opening): read the buttons again once they have.
  useEffect(() => {
    if (state.inTable && !tableTools()) void loadTableTools(editor).then(() => setTablesReady(true));
  }, [state.inTable, editor]);

  // Control+K (or Command+K) in the text opens the link panel too.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        setLink(linkTarget(editor));
      }
    };
    const dom = editor.view.dom;
    dom.addEventListener("keydown", onKey);
    return () => dom.removeEventListener("keydown", onKey);
  }, [editor]);

  const groups = TOOLBAR.filter((group) => !group.onlyInTable || state.inTable);
  const enabledKeys = groups.flatMap((group) => group.buttons.filter((b) => state.enabled[b.key]).map((b) => b.key));
  const tabStop = enabledKeys.includes(focusKey) ? focusKey : enabledKeys[0];

  function press(button: ToolbarButton) {
    const result = button.run(editor);
    if (result === OPEN_LINK) {
      setLink(link ? null : linkTarget(editor));
      return;
    }
    setNotice(typeof result === "string" ? result : "");
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = Array.from(toolbarRef.current?.querySelectorAll<HTMLButtonElement>("button:not(:disabled)") ?? []);
    const at = buttons.findIndex((b) => b === document.activeElement);
    if (at < 0 || buttons.length === 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    buttons[(next + buttons.length) % buttons.length]!.focus();
  }

  return (
    <>
      <div ref={toolbarRef} className="editor-toolbar" role="toolbar" aria-label={`Formatting for ${label}`} onKeyDown={onKeyDown}>
        {groups.map((group) => (
          <div key={group.label} className="editor-toolbar-group" role="group" aria-label={group.label}>
            {group.buttons.map((button) => (
              <button
                key={button.key}
                type="button"
                className="editor-button"
                aria-label={toolbarButtonName(button)}
                aria-pressed={button.isActive ? state.active[button.key] : undefined}
                aria-expanded={button.key === "link" ? link !== null : undefined}
                aria-keyshortcuts={button.shortcut}
                title={button.label}
                disabled={!state.enabled[button.key]}
                tabIndex={button.key === tabStop ? 0 : -1}
                onFocus={() => {
                  setFocusKey(button.key);
                  if (button.key === "link") void loadLinkPopover();
                }}
                onPointerEnter={button.key === "link" ? () => void loadLinkPopover() : undefined}
                onClick={() => press(button)}
              >
                <span aria-hidden="true">{button.glyph}</span>
              </button>
            ))}
          </div>
        ))}
      </div>
      {link ? (
        <Suspense fallback={null}>
          <LinkPopover
            key={`${link.from}:${link.to}`}
            editor={editor}
            target={link}
            onClose={(message) => {
              setLink(null);
              setNotice(message ?? "");
            }}
          />
        </Suspense>
      ) : null}
      <p className="editor-notice" role="status">
        {notice}
      </p>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Blameless-language hints

/** Calm suggestions beside the text: never a block, never an error colour. */
function BlamelessHintsPanel({ text, names }: { text: string; names?: string[] }) {
  const [hints, setHints] = useState<BlamelessHint[]>([]);
  const titleId = useId();
  // A string key, so a new array with the same names does not restart the timer.
  const namesKey = (names ?? []).join("\n");

  useEffect(() => {
    const timer = setTimeout(() => {
      setHints(blamelessHints(text, { names: namesKey === "" ? [] : namesKey.split("\n") }));
    }, HINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, namesKey]);

  return (
    <aside className="editor-hints" aria-labelledby={titleId}>
      <p className="editor-hints-title" id={titleId}>
        Blameless language
      </p>
      <p className="editor-hints-summary" aria-live="polite">
        {hints.length === 0
          ? "No suggestions. Keep describing conditions and systems rather than people."
          : `${hints.length} ${hints.length === 1 ? "phrase" : "phrases"} you might reword. Suggestions only; saving is never blocked.`}
      </p>
      {hints.length > 0 ? (
        <ul className="editor-hints-list">
          {hints.map((hint) => (
            <li key={`${hint.index}:${hint.phrase}`} className="editor-hint">
              <p className="editor-hint-phrase">
                <q>{hint.phrase}</q>
              </p>
              <p className="editor-hint-message">{hint.message}</p>
              <p className="editor-hint-suggestion">
                <span className="editor-hint-label">Try:</span> {hint.suggestion}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </aside>
  );
}
