/**
 * Markdown pasted as plain text (a wiki's raw postmortem, a README) becomes headings, lists, code
 * and links, read by the same reader as imports (app/domain/documents/markdown-read.ts).
 *
 * The paste first lands as the literal text, as any plain-text paste would; the conversion then
 * replaces it as a separate step in the history, so the undo that follows gives the literal text
 * back, and a second undo removes the paste.
 */
import { Extension } from "@tiptap/core";
import { closeHistory } from "@tiptap/pm/history";
import { Plugin, PluginKey, Selection } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import { collapseTrackedMarkers, guidanceFromComments, loadMarkdownReader, looksLikeMarkdown } from "~/domain/documents/rules";

/** Rich HTML (a web page, a document) keeps the editor's own paste; code editors' styled spans do not count. */
const MEANINGFUL_HTML = /<(h[1-6]|ul|ol|li|p|table|pre|blockquote|a)[\s>]/i;

export const MarkdownPaste = Extension.create<{ liveBlocks: boolean }>({
  name: "markdownPaste",
  addOptions: () => ({ liveBlocks: false }),
  addProseMirrorPlugins() {
    const { liveBlocks } = this.options;
    return [
      new Plugin({
        key: new PluginKey("markdownPaste"),
        props: {
          handlePaste(view, event, slice) {
            const data = event.clipboardData;
            const text = data?.getData("text/plain") ?? "";
            if (!text || !looksLikeMarkdown(text)) return false;
            if (MEANINGFUL_HTML.test(data?.getData("text/html") ?? "")) return false;
            if (view.state.selection.$from.parent.type.spec.code) return false;
            const before = view.state.selection.from;
            const literal = view.state.tr.replaceSelection(slice).scrollIntoView().setMeta("paste", true).setMeta("uiEvent", "paste");
            view.dispatch(literal);
            const range = { from: literal.mapping.map(before, -1), to: view.state.selection.to };
            void convert(view, view.state.doc, range, text, liveBlocks);
            return true;
          },
        },
      }),
    ];
  },
  onFocus() {
    // Fetch the reader's chunk ahead of the first paste.
    void loadMarkdownReader();
  },
});

async function convert(view: EditorView, pasted: EditorView["state"]["doc"], range: { from: number; to: number }, text: string, liveBlocks: boolean) {
  const { readMarkdown } = await loadMarkdownReader();
  // Someone typed meanwhile, or the editor is gone: the literal text stays.
  if (view.isDestroyed || view.state.doc !== pasted) return;
  const { state } = view;
  let blocks;
  try {
    // In a postmortem, an exported live block (markers around the rendered records) is the live block again.
    const { doc } = readMarkdown(text);
    blocks = ((liveBlocks ? collapseTrackedMarkers(guidanceFromComments(doc)) : doc).content ?? []).map((json) => state.schema.nodeFromJSON(json));
  } catch {
    return;
  }
  // Whole paragraphs of literal text are replaced whole, so no empty paragraph is left around the blocks.
  const $from = state.doc.resolve(range.from);
  const $to = state.doc.resolve(range.to);
  const from = $from.depth > 0 && $from.parent.isTextblock && $from.parentOffset === 0 ? $from.before() : range.from;
  const to = $to.depth > 0 && $to.parent.isTextblock && $to.parentOffset === $to.parent.content.size ? $to.after() : range.to;
  // Live editing keeps its own undo history (Yjs's): end its current step too.
  (yUndoPluginKey.getState(state) as { undoManager?: { stopCapturing: () => void } } | undefined)?.undoManager?.stopCapturing();
  const tr = closeHistory(state.tr).replaceWith(from, to, blocks);
  tr.setSelection(Selection.near(tr.doc.resolve(Math.min(tr.mapping.map(to), tr.doc.content.size)), -1)).scrollIntoView();
  view.dispatch(tr);
}
