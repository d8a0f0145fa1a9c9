/**
 * How the editor draws a table: @tiptap/extension-table's TableView (3.35), a scrolling wrapper
 * around the table and its column widths. Copied because that package's module would bring
 * prosemirror-tables with it (../tables/index.ts).
 */
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import type { NodeView, ViewMutationRecord } from "@tiptap/pm/view";
import { tableColumnStyle } from "~/domain/documents/rules";

function updateColumns(node: ProseMirrorNode, colgroup: HTMLTableColElement, table: HTMLTableElement, cellMinWidth: number) {
  let totalWidth = 0;
  let fixedWidth = true;
  let nextDOM = colgroup.firstChild;
  const row = node.firstChild;
  if (row !== null) {
    for (let i = 0; i < row.childCount; i += 1) {
      const { colspan, colwidth } = row.child(i).attrs as { colspan: number; colwidth: number[] | null };
      for (let j = 0; j < colspan; j += 1) {
        const width = colwidth?.[j];
        const cssWidth = width ? `${width}px` : "";
        totalWidth += width || cellMinWidth;
        if (!width) fixedWidth = false;
        const [property, value] = tableColumnStyle(cellMinWidth, width);
        if (!nextDOM) {
          const col = document.createElement("col");
          col.style.setProperty(property, value);
          colgroup.appendChild(col);
        } else {
          if ((nextDOM as HTMLTableColElement).style.width !== cssWidth) (nextDOM as HTMLTableColElement).style.setProperty(property, value);
          nextDOM = nextDOM.nextSibling;
        }
      }
    }
  }
  while (nextDOM) {
    const after = nextDOM.nextSibling;
    nextDOM.parentNode?.removeChild(nextDOM);
    nextDOM = after;
  }
  const userWidth = typeof node.attrs.style === "string" && /\bwidth\s*:/i.test(node.attrs.style);
  if (fixedWidth && !userWidth) {
    table.style.width = `${totalWidth}px`;
    table.style.minWidth = "";
  } else {
    table.style.width = "";
    table.style.minWidth = `${totalWidth}px`;
  }
}

export class TableView implements NodeView {
  node: ProseMirrorNode;
  cellMinWidth: number;
  dom: HTMLDivElement;
  table: HTMLTableElement;
  colgroup: HTMLTableColElement;
  contentDOM: HTMLTableSectionElement;

  constructor(node: ProseMirrorNode, cellMinWidth: number, HTMLAttributes: Record<string, unknown> = {}) {
    this.node = node;
    this.cellMinWidth = cellMinWidth;
    this.dom = document.createElement("div");
    this.dom.className = "tableWrapper";
    this.table = this.dom.appendChild(document.createElement("table"));
    for (const [key, value] of Object.entries(HTMLAttributes)) {
      if (value === undefined || value === null) continue;
      if (key === "style") this.table.style.cssText = String(value);
      else this.table.setAttribute(key, String(value));
    }
    if (node.attrs.style) this.table.style.cssText = String(node.attrs.style);
    this.colgroup = this.table.appendChild(document.createElement("colgroup"));
    updateColumns(node, this.colgroup, this.table, cellMinWidth);
    this.contentDOM = this.table.appendChild(document.createElement("tbody"));
  }

  update(node: ProseMirrorNode) {
    if (!node.sameMarkup(this.node)) return false;
    this.node = node;
    updateColumns(node, this.colgroup, this.table, this.cellMinWidth);
    return true;
  }

  ignoreMutation(mutation: ViewMutationRecord) {
    const target = mutation.target as Node;
    return mutation.type !== "selection" && this.dom.contains(target) && !this.contentDOM.contains(target);
  }
}
