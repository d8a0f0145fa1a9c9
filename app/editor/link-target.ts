/**
 * What the link panel (./link-popover) works on, read when it opens: the link under the caret
 * (whole), or the selection. Apart from the panel so the toolbar can read it before the panel's
 * code has loaded.
 */
import type { Editor } from "@tiptap/react";

export type LinkTarget = { from: number; to: number; href: string; text: string; existing: boolean };

/** What the panel edits: the link under the caret (whole), or the selection. */
export function linkTarget(editor: Editor): LinkTarget {
  const existing = editor.isActive("link");
  if (existing) editor.commands.extendMarkRange("link");
  const { from, to } = editor.state.selection;
  return {
    from,
    to,
    existing,
    href: existing ? String(editor.getAttributes("link").href ?? "") : "",
    text: editor.state.doc.textBetween(from, to, " "),
  };
}
