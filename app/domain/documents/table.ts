/**
 * The table node, as @tiptap/extension-table 3.35 defines it (same name, content, roles, parsing
 * and rendering: the schema is unchanged), without its editing tools. Those (prosemirror-tables:
 * cell selection, Tab between cells, adding and deleting rows and columns) are in the package's
 * `Table`, whose module imports them all; the editor loads them when a document has a table or
 * someone inserts one (app/editor/tables). A document with a table opens without them: the node
 * types are all the schema needs.
 *
 * Rows and cells are the package's own (their modules import nothing else).
 */
import { callOrReturn, getExtensionField, mergeAttributes, Node } from "@tiptap/core";
import type { DOMOutputSpec, Node as ProseMirrorNode } from "@tiptap/pm/model";

// (Their type declarations also add `tableRole` to Tiptap's node config.)
export { TableCell } from "@tiptap/extension-table/cell";
export { TableHeader } from "@tiptap/extension-table/header";
export { TableRow } from "@tiptap/extension-table/row";

export type TableNodeOptions = { HTMLAttributes: Record<string, unknown>; cellMinWidth: number };

/** A column's width, or its minimum when it has none (the package's getColStyleDeclaration). */
export function tableColumnStyle(minWidth: number, width: number | undefined): [string, string] {
  return width ? ["width", `${Math.max(width, minWidth)}px`] : ["min-width", `${minWidth}px`];
}

/** The package's createColGroup: one <col> per column, and the table's width or minimum width. */
function colGroup(node: ProseMirrorNode, cellMinWidth: number) {
  let totalWidth = 0;
  let fixedWidth = true;
  const cols: DOMOutputSpec[] = [];
  const row = node.firstChild;
  if (!row) return null;
  for (let i = 0; i < row.childCount; i += 1) {
    const { colspan, colwidth } = row.child(i).attrs as { colspan: number; colwidth: number[] | null };
    for (let j = 0; j < colspan; j += 1) {
      const width = colwidth?.[j];
      totalWidth += width || cellMinWidth;
      if (!width) fixedWidth = false;
      const [property, value] = tableColumnStyle(cellMinWidth, width);
      cols.push(["col", { style: `${property}: ${value}` }]);
    }
  }
  return { colgroup: ["colgroup", {}, ...cols] as DOMOutputSpec, tableWidth: fixedWidth ? `${totalWidth}px` : "", tableMinWidth: fixedWidth ? "" : `${totalWidth}px` };
}

export const DocumentTable = Node.create<TableNodeOptions>({
  name: "table",
  addOptions: () => ({ HTMLAttributes: {}, cellMinWidth: 25 }),
  content: "tableRow+",
  tableRole: "table",
  isolating: true,
  group: "block",
  parseHTML: () => [{ tag: "table" }],
  renderHTML({ node, HTMLAttributes }) {
    const group = colGroup(node, this.options.cellMinWidth);
    const userStyle = HTMLAttributes.style as string | undefined;
    const style = userStyle || (group?.tableWidth ? `width: ${group.tableWidth}` : `min-width: ${group?.tableMinWidth}`);
    const attributes = mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, { style });
    return group ? ["table", attributes, group.colgroup, ["tbody", 0]] : ["table", attributes, ["tbody", 0]];
  },
  // Every node's tableRole goes into its schema, where prosemirror-tables looks for it.
  extendNodeSchema(extension) {
    const context = { name: extension.name, options: extension.options, storage: extension.storage };
    return { tableRole: callOrReturn(getExtensionField(extension, "tableRole", context)) };
  },
});
