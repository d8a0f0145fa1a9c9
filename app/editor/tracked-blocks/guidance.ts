/**
 * Section guidance as a placeholder (ADR 25): while a section is empty, its heading's guidance is
 * shown in the section's first empty paragraph, in grey. It is a decoration, so it is never part
 * of the document and never saved.
 */
import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

function decorate(doc: ProseMirrorNode): DecorationSet {
  const decorations: Decoration[] = [];
  const blocks: { node: ProseMirrorNode; pos: number }[] = [];
  doc.forEach((node, pos) => blocks.push({ node, pos }));
  blocks.forEach(({ node }, i) => {
    const guidance = node.type.name === "heading" ? node.attrs.guidance : null;
    if (typeof guidance !== "string" || guidance === "") return;
    const section: typeof blocks = [];
    for (let j = i + 1; j < blocks.length && blocks[j]!.node.type.name !== "heading"; j++) section.push(blocks[j]!);
    const filled = section.some(({ node: b }) => b.type.name !== "trackedRecords" && !(b.type.name === "paragraph" && b.content.size === 0));
    const target = section.find(({ node: b }) => b.type.name === "paragraph" && b.content.size === 0);
    if (filled || !target) return;
    decorations.push(Decoration.node(target.pos, target.pos + target.node.nodeSize, { class: "section-guidance", "data-guidance": guidance }));
  });
  return DecorationSet.create(doc, decorations);
}

export const GuidancePlaceholder = Extension.create({
  name: "guidancePlaceholder",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("guidancePlaceholder"),
        state: {
          init: (_, state) => decorate(state.doc),
          apply: (tr, old) => (tr.docChanged ? decorate(tr.doc) : old),
        },
        props: {
          decorations(state) {
            return this.getState(state);
          },
        },
      }),
    ];
  },
});
