/**
 * Tables in the editor. The schema's table node (~/domain/documents/table) is here from the
 * start, so every document opens; the tools (prosemirror-tables, ./tools.ts) load the first time
 * the editor holds a table: one in the document when it opens, one pasted, inserted with the
 * toolbar, or arriving from another person's editor. Until then there is no table to work in,
 * so nothing waits for them; the toolbar's table buttons load them if they are not there yet.
 */
import { mergeAttributes, type Editor } from "@tiptap/core";
import type { Node as ProseMirrorNode, Slice } from "@tiptap/pm/model";
import type { Transaction } from "@tiptap/pm/state";
import { DocumentTable } from "~/domain/documents/rules";
import { TableView } from "./table-view";
import type * as ToolsModule from "./tools";

type Tools = typeof ToolsModule;

let tools: Tools | null = null;
let loading: Promise<Tools> | null = null;
const equipped = new WeakSet<Editor>();

/** The tools if they have loaded. */
export function tableTools(): Tools | null {
  return tools;
}

/** Loads the tools (once) and gives this editor their plugins (once). */
export async function loadTableTools(editor: Editor): Promise<Tools> {
  loading ??= import("./tools").then((module) => (tools = module));
  const loaded = await loading;
  if (!editor.isDestroyed && !equipped.has(editor)) {
    equipped.add(editor);
    // First: where the package's Table extension would have them, before the other handlers of
    // pastes and keys (they act only inside a table).
    for (const plugin of loaded.tablePlugins(editor).reverse()) editor.registerPlugin(plugin, (added, plugins) => [added, ...plugins]);
  }
  return loaded;
}

function holdsTable(node: ProseMirrorNode | Slice): boolean {
  let found = false;
  node.content.descendants((child) => {
    if (child.type.name === "table") found = true;
    return !found && !child.isTextblock;
  });
  return found;
}

/** Whether a transaction puts a table into the document (its steps' inserted content). */
function insertsTable(tr: Transaction): boolean {
  return tr.steps.some((step) => {
    const slice = (step as { slice?: Slice }).slice;
    return slice !== undefined && slice.size > 0 && holdsTable(slice);
  });
}

export const EditorTable = DocumentTable.extend({
  addNodeView() {
    return ({ node, HTMLAttributes }) => new TableView(node, this.options.cellMinWidth, mergeAttributes(this.options.HTMLAttributes, HTMLAttributes));
  },

  // The package's keys; without the tools there is no table to act in.
  addKeyboardShortcuts() {
    const allSelected = () => tools?.deleteTableWhenAllCellsSelected(this.editor) ?? false;
    return {
      Tab: () => tools?.nextCell(this.editor) ?? false,
      "Shift-Tab": () => tools?.previousCell(this.editor) ?? false,
      Backspace: allSelected,
      "Mod-Backspace": allSelected,
      Delete: allSelected,
      "Mod-Delete": allSelected,
    };
  },

  onCreate() {
    if (holdsTable(this.editor.state.doc)) void loadTableTools(this.editor);
  },

  onTransaction({ transaction }) {
    if (!equipped.has(this.editor) && transaction.docChanged && insertsTable(transaction)) void loadTableTools(this.editor);
  },
});
