/**
 * The schema's table node is @tiptap/extension-table's Table without its tools (split off for the
 * editing page's JavaScript budget, docs/benchmarks/collaboration.md): the same node types and the
 * same rendering, so an upgrade of that package that changes its node shows up here. (The linkifyjs
 * stand-in is the editor's: test/e2e/editor-workflow.spec.ts finds links in typed and pasted text.)
 */
import { getExtensionField, getSchema, type AnyExtension } from "@tiptap/core";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import { describe, expect, it } from "vitest";
import { documentExtensions, documentSchema, DocumentTable } from "~/domain/documents/rules";

const theirs = Table.configure({ resizable: false });

const paragraph = (text: string) => ({ type: "paragraph", content: [{ type: "text", text }] });
const cell = (attrs: Record<string, unknown> = {}) => ({ type: "tableCell", attrs, content: [paragraph("x")] });
const header = (attrs: Record<string, unknown> = {}) => ({ type: "tableHeader", attrs, content: [paragraph("h")] });
const tables = [
  { type: "table", content: [{ type: "tableRow", content: [header(), header({ colspan: 2 })] }, { type: "tableRow", content: [cell(), cell(), cell()] }] },
  { type: "table", content: [{ type: "tableRow", content: [cell({ colwidth: [120] }), cell({ colwidth: [10] })] }] },
  { type: "table", content: [{ type: "tableRow", content: [cell({ colwidth: [120] }), cell()] }] },
];

function rendered(extension: AnyExtension, json: unknown, HTMLAttributes: Record<string, unknown>) {
  const render = getExtensionField<(props: unknown) => unknown>(extension, "renderHTML", { name: "table", options: extension.options, storage: {}, parent: null });
  return render({ node: documentSchema.nodeFromJSON(json), HTMLAttributes });
}

describe("the schema's table node", () => {
  it("renders every table as @tiptap/extension-table's Table does", () => {
    for (const json of tables) {
      for (const attributes of [{}, { style: "width: 50%" }]) {
        expect(rendered(DocumentTable, json, attributes)).toEqual(rendered(theirs, json, attributes));
      }
    }
  });

  it("gives the same node types as the package's Table with its rows and cells", () => {
    const withPackage = getSchema([...documentExtensions.filter((e) => !/^table/.test(e.name)), theirs, TableRow, TableHeader, TableCell]);
    for (const name of ["table", "tableRow", "tableHeader", "tableCell"]) {
      const spec = (schema: typeof documentSchema) => {
        const { parseDOM, toDOM, ...rest } = schema.nodes[name]!.spec;
        return { ...rest, parseTags: parseDOM?.map((rule) => rule.tag), toDOM: typeof toDOM };
      };
      expect(spec(documentSchema)).toEqual(spec(withPackage));
    }
    expect(documentSchema.nodes.table!.spec.tableRole).toBe("table");
    expect(documentSchema.nodes.tableHeader!.spec.tableRole).toBe("header_cell");
  });
});
