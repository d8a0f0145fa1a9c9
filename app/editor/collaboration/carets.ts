/**
 * Other people's carets and selections, each with their name and colour. Tiptap's
 * extension-collaboration-caret has no release matching the rest of the @tiptap set (it stops at
 * 3.31.3, docs/decisions/0029), so this is the same thing in a few lines: y-tiptap's cursor plugin
 * (the one the caret extension wraps) inside a Tiptap extension.
 */
import { Extension } from "@tiptap/core";
import { yCursorPlugin } from "@tiptap/y-tiptap";
import type { Awareness } from "y-protocols/awareness";

export type CaretUser = { id: string; name: string; color: string };

/** A caret: a coloured bar with the person's name above it (styles in app/styles/collaboration.css). */
function caret(user: Partial<CaretUser>): HTMLElement {
  const bar = document.createElement("span");
  bar.className = "collab-caret";
  bar.style.borderColor = user.color ?? "#555";
  bar.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "collab-caret-name";
  label.style.backgroundColor = user.color ?? "#555";
  label.textContent = user.name ?? "Someone";
  // Word joiners keep the caret from breaking a line in the middle of a word.
  bar.append("\u2060", label, "\u2060");
  return bar;
}

function selection(user: Partial<CaretUser>) {
  return { class: "collab-selection", "data-colour": user.color ?? "", style: `background-color: ${user.color ?? "#555"}33` };
}

export const LiveCarets = Extension.create<{ awareness: Awareness | null }>({
  name: "liveCarets",
  addOptions: () => ({ awareness: null }),
  addProseMirrorPlugins() {
    const awareness = this.options.awareness;
    return awareness ? [yCursorPlugin(awareness, { cursorBuilder: caret, selectionBuilder: selection })] : [];
  },
});
