/**
 * Live blocks and section guidance (docs/decisions/0025).
 *
 * A live block (`trackedRecords`, kind `factors` or `actions`) stands in a postmortem's body
 * where its tracked contributing factors or guardrail actions belong. It stores no text: the
 * editor shows the records through a node view, the read page and the exports render them from
 * the records as they are now. In Markdown it is written between two comment markers, with the
 * records rendered in between for people who read the file:
 *
 *     <!-- hindsight:factors -->
 *     - Missing test (T2): config changes skip the canary stage …
 *     <!-- /hindsight:factors -->
 *
 * Reading such Markdown back (a template, a paste into the postmortem editor) turns the markers
 * and what lies between them into the block again: the records are the truth, the rendered list
 * is not.
 *
 * Guidance is a template's sentence for a section ("In two or three sentences: what happened").
 * It is a heading's `guidance` attribute, never text: the editor shows it in the section while
 * the section is empty, and the read page, the exports and search never see it.
 *
 * Client-safe: the editor and the server share these rules.
 */
import { Extension, Node } from "@tiptap/core";
import type { DocumentJSON, DocumentNodeJSON } from "#db/schema";

export const TRACKED_KINDS = ["factors", "actions"] as const;
export type TrackedKind = (typeof TRACKED_KINDS)[number];

export const TRACKED_TITLES: Record<TrackedKind, string> = { factors: "Contributing factors", actions: "Guardrail actions" };

const isTrackedKind = (value: unknown): value is TrackedKind => (TRACKED_KINDS as readonly unknown[]).includes(value);

/** The stored node: a block atom that names which records it shows. */
export const TrackedRecords = Node.create({
  name: "trackedRecords",
  group: "block",
  atom: true,
  selectable: true,
  draggable: false,
  addAttributes: () => ({ kind: { default: "factors" } }),
  parseHTML: () => [{ tag: "div[data-tracked]", getAttrs: (el) => ({ kind: isTrackedKind(el.getAttribute("data-tracked")) ? el.getAttribute("data-tracked") : "factors" }) }],
  renderHTML: ({ node }) => ["div", { "data-tracked": String(node.attrs.kind) }],
});

/** Headings carry the template's guidance for their section; it is never rendered as HTML. */
export const SectionGuidance = Extension.create({
  name: "sectionGuidance",
  addGlobalAttributes: () => [{ types: ["heading"], attributes: { guidance: { default: null, rendered: false } } }],
});

export function trackedKindOf(node: DocumentNodeJSON): TrackedKind | null {
  return node.type === "trackedRecords" ? (isTrackedKind(node.attrs?.kind) ? node.attrs.kind : "factors") : null;
}

// ---------------------------------------------------------------------------------------------
// Markdown markers

const START = /^<!--\s*hindsight:(factors|actions)\s*-->$/;
const END = /^<!--\s*\/hindsight:(factors|actions)\s*-->$/;

export const trackedMarker = (kind: TrackedKind, end = false) => `<!-- ${end ? "/" : ""}hindsight:${kind} -->`;

const commentText = (node: DocumentNodeJSON | undefined) =>
  node?.type === "htmlCommentBlock" && typeof node.attrs?.text === "string" ? node.attrs.text.trim() : null;

/**
 * Markdown read back: each start marker becomes a live block, swallowing what follows up to its
 * end marker (the records as they were rendered). A start marker with no end marker (a template)
 * becomes the block alone. Only top-level blocks are looked at.
 */
export function collapseTrackedMarkers<T extends { type: string; content?: DocumentNodeJSON[] }>(doc: T): T {
  const blocks = doc.content ?? [];
  if (!blocks.some((b) => START.test(commentText(b) ?? ""))) return doc;
  const out: DocumentNodeJSON[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const start = START.exec(commentText(blocks[i]) ?? "");
    if (!start) {
      out.push(blocks[i]!);
      continue;
    }
    const kind = start[1] as TrackedKind;
    const end = blocks.findIndex((b, j) => j > i && END.exec(commentText(b) ?? "")?.[1] === kind);
    out.push({ type: "trackedRecords", attrs: { kind } });
    if (end > i) i = end;
  }
  return { ...doc, content: out };
}

/**
 * A postmortem body with its live blocks replaced by the records they show (as document blocks,
 * between the markers), for the read page, Markdown and print. `render` gives a kind's blocks.
 */
export function expandTrackedBlocks(doc: DocumentJSON, render: (kind: TrackedKind) => DocumentNodeJSON[]): DocumentJSON {
  const blocks = doc.content ?? [];
  if (!blocks.some((b) => b.type === "trackedRecords")) return doc;
  return {
    ...doc,
    content: blocks.flatMap((block) => {
      const kind = trackedKindOf(block);
      if (!kind) return [block];
      return [
        { type: "htmlCommentBlock", attrs: { text: trackedMarker(kind) } },
        ...render(kind),
        { type: "htmlCommentBlock", attrs: { text: trackedMarker(kind, true) } },
      ];
    }),
  };
}

/** Which live blocks a body holds. */
export function trackedKindsIn(doc: DocumentJSON): TrackedKind[] {
  return (doc.content ?? []).map(trackedKindOf).filter((k): k is TrackedKind => k !== null);
}

// ---------------------------------------------------------------------------------------------
// Guidance

const GUIDANCE = /^<!--\s*guidance:\s*([\s\S]*?)\s*-->$/i;

/**
 * A template as written: a `<!-- guidance: … -->` comment right after a heading becomes that
 * heading's guidance, and the section gets the empty paragraph the editor shows it in.
 */
export function guidanceFromComments(doc: DocumentJSON): DocumentJSON {
  const out: DocumentNodeJSON[] = [];
  for (const block of doc.content ?? []) {
    const guidance = GUIDANCE.exec(commentText(block) ?? "");
    const heading = out.at(-1);
    if (guidance && heading?.type === "heading") {
      out[out.length - 1] = { ...heading, attrs: { ...heading.attrs, guidance: guidance[1]!.replace(/\s+/g, " ") } };
      out.push({ type: "paragraph" });
      continue;
    }
    out.push(block);
  }
  return { ...doc, content: out };
}

function plainText(node: DocumentNodeJSON): string {
  if (node.type === "text") return node.text ?? "";
  return (node.content ?? []).map(plainText).join(" ");
}

const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

export type Section = { heading: string; level: number; guidance: string | null; blocks: DocumentNodeJSON[] };

/** The body cut at its headings: each heading with the blocks up to the next heading. */
export function sectionsOf(doc: DocumentJSON): Section[] {
  const sections: Section[] = [];
  for (const block of doc.content ?? []) {
    if (block.type === "heading") {
      const guidance = typeof block.attrs?.guidance === "string" ? block.attrs.guidance : null;
      sections.push({ heading: normalise(plainText(block)), level: Number(block.attrs?.level) || 2, guidance, blocks: [] });
    } else {
      sections.at(-1)?.blocks.push(block);
    }
  }
  return sections;
}

/**
 * Sections that still hold only a template's guidance: empty under a heading with guidance, or
 * holding nothing but a guidance sentence as text (postmortems started before guidance became
 * placeholders). `knownGuidance` lists every template's guidance sentences by heading.
 * A section with sub-sections, or with a live block, is not empty.
 */
export function sectionsOnlyGuidance(doc: DocumentJSON, knownGuidance: ReadonlyMap<string, readonly string[]> = new Map()): string[] {
  const sections = sectionsOf(doc);
  return sections
    .filter((section, i) => {
      const next = sections[i + 1];
      if (next && next.level > section.level) return false;
      if (section.blocks.some((b) => b.type === "trackedRecords")) return false;
      const text = normalise(section.blocks.filter((b) => b.type !== "htmlCommentBlock").map(plainText).join(" "));
      if (text === "") return section.guidance !== null;
      const known = [section.guidance, ...(knownGuidance.get(section.heading.toLowerCase()) ?? [])].filter((g): g is string => Boolean(g));
      return known.some((g) => normalise(g) === text);
    })
    .map((section) => section.heading);
}
