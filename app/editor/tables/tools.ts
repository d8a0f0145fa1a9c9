/**
 * The table tools, loaded when a document has a table or someone inserts one (./index.ts):
 * prosemirror-tables' editing plugin (cell selection, arrows between cells, fixing a table two
 * people changed at once) and the commands of the toolbar and the keys, as
 * @tiptap/extension-table 3.35 has them.
 */
import { findParentNodeClosestToPos, getExtensionField, type Editor } from "@tiptap/core";
import { createTable, Table } from "@tiptap/extension-table";
import { TextSelection, type EditorState, type Plugin, type Transaction } from "@tiptap/pm/state";
import { addColumnAfter, addRowAfter, CellSelection, deleteColumn, deleteRow, deleteTable, goToNextCell } from "@tiptap/pm/tables";

type Command = (state: EditorState, dispatch?: (tr: Transaction) => void) => boolean;

/** The package's own plugins (tableEditing and keeping a cell selection on right-click), as it configures them. */
export function tablePlugins(editor: Editor): Plugin[] {
  const table = Table.configure({ resizable: false });
  const context = { name: table.name, options: table.options, storage: table.storage, editor, type: editor.schema.nodes.table, parent: undefined };
  const plugins = getExtensionField<(() => Plugin[]) | undefined>(table, "addProseMirrorPlugins", context);
  return plugins ? plugins() : [];
}

const tableAround = (state: EditorState) => findParentNodeClosestToPos(state.selection.$from, (node) => node.type.name === "table");

/** prosemirror-tables leaves the caret where the deleted row or column was, which can be below the table. */
function keepCursorInTable(command: Command): Command {
  return (state, dispatch) => {
    const table = tableAround(state);
    return command(
      state,
      dispatch &&
        ((tr) => {
          if (table) {
            const at = tr.mapping.map(table.pos);
            const still = findParentNodeClosestToPos(tr.selection.$from, (node) => node.type.name === "table");
            const node = tr.doc.nodeAt(at);
            if (still?.pos !== at && node) tr.setSelection(TextSelection.near(tr.doc.resolve(at + node.nodeSize - 1), -1));
          }
          dispatch(tr);
        }),
    );
  };
}

const COMMANDS = {
  addRowAfter,
  addColumnAfter,
  deleteRow: keepCursorInTable(deleteRow),
  deleteColumn: keepCursorInTable(deleteColumn),
  deleteTable,
} satisfies Record<string, Command>;

export type TableCommand = keyof typeof COMMANDS;

/** Runs a toolbar command on the text (or, with `dryRun`, says whether it can). */
export function runTableCommand(editor: Editor, command: TableCommand, dryRun = false): boolean {
  if (dryRun) return COMMANDS[command](editor.state);
  editor.commands.focus();
  return COMMANDS[command](editor.state, editor.view.dispatch);
}

/** A table of `rows` × `cols` in place of the selection, the caret in its first cell. */
export function insertTable(editor: Editor, rows = 3, cols = 3, withHeaderRow = true): boolean {
  editor.commands.focus();
  const tr = editor.state.tr;
  const offset = tr.selection.from + 1;
  tr.replaceSelectionWith(createTable(editor.schema, rows, cols, withHeaderRow))
    .scrollIntoView()
    .setSelection(TextSelection.near(tr.doc.resolve(offset)));
  editor.view.dispatch(tr);
  return true;
}

/** Tab: the next cell, or a new row after the last one. */
export function nextCell(editor: Editor): boolean {
  const { view } = editor;
  if (goToNextCell(1)(view.state, view.dispatch)) return true;
  if (!addRowAfter(view.state)) return false;
  addRowAfter(view.state, view.dispatch);
  return goToNextCell(1)(view.state, view.dispatch);
}

/** Shift+Tab: the cell before. */
export function previousCell(editor: Editor): boolean {
  return goToNextCell(-1)(editor.view.state, editor.view.dispatch);
}

/** Backspace or Delete with every cell of a table selected deletes the table. */
export function deleteTableWhenAllCellsSelected(editor: Editor): boolean {
  const { selection } = editor.state;
  if (!(selection instanceof CellSelection)) return false;
  let cells = 0;
  const table = findParentNodeClosestToPos(selection.ranges[0]!.$from, (node) => node.type.name === "table");
  table?.node.descendants((node) => {
    if (node.type.name === "table") return false;
    if (node.type.name === "tableCell" || node.type.name === "tableHeader") cells += 1;
  });
  if (cells !== selection.ranges.length) return false;
  return deleteTable(editor.state, editor.view.dispatch);
}
