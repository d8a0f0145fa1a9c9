/**
 * Document → Markdown, written by mdast-util-to-markdown (CommonMark and GFM) so escaping, list
 * indentation and fences follow the same rules the reader (markdown-read.ts) parses by:
 * readMarkdown(writeMarkdown(doc)) gives the document back.
 */
import type { BlockContent, ListItem, PhrasingContent, Root, RootContent, TableCell, TableRow } from "mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import type { DocumentMarkJSON, DocumentNodeJSON } from "./schema";
import { trackedKindOf, trackedMarker } from "./tracked-blocks";

/** Markers a text already uses; blocks written anew follow them. */
export type MarkdownStyle = {
  bullet?: "*" | "-" | "+";
  emphasis?: "*" | "_";
  strong?: "*" | "_";
  fence?: "`" | "~";
  rule?: "*" | "-" | "_";
  bulletOrdered?: "." | ")";
};

/**
 * Blocks as Markdown, ending without a newline ("" for nothing to write). `keepGuidance` writes an
 * empty section's guidance as its comment, for files meant to be imported again (decision logs).
 */
export function writeMarkdown(blocks: DocumentNodeJSON[], style: MarkdownStyle = {}, { keepGuidance = false } = {}): string {
  const root: Root = { type: "root", children: blocks.flatMap((node, i) => [...toFlow(node), ...(keepGuidance ? guidanceOf(blocks, i) : [])]) };
  const bullet = style.bullet ?? "-";
  return toMarkdown(root, {
    extensions: [gfmToMarkdown()],
    bullet,
    // Two lists in a row need different markers, or they read back as one.
    bulletOther: bullet === "-" ? "*" : "-",
    emphasis: style.emphasis ?? "*",
    strong: style.strong ?? "*",
    fence: style.fence ?? "`",
    rule: style.rule ?? "-",
    bulletOrdered: style.bulletOrdered ?? ".",
    listItemIndent: "one",
  }).trimEnd();
}

/**
 * A section still empty keeps its template's guidance as the comment templates are written with
 * (`<!-- guidance: … -->`, ADR 25), so an exported record reads back with its placeholders.
 */
function guidanceOf(blocks: DocumentNodeJSON[], index: number): RootContent[] {
  const heading = blocks[index]!;
  const guidance = heading.type === "heading" ? heading.attrs?.guidance : null;
  if (typeof guidance !== "string" || !guidance) return [];
  const next = blocks.findIndex((block, i) => i > index && block.type === "heading");
  const section = blocks.slice(index + 1, next === -1 ? undefined : next);
  if (section.some((block) => block.type !== "paragraph" || children(block).length > 0)) return [];
  return [{ type: "html", value: `<!-- guidance: ${guidance.replace(/--/g, "—")} -->` }];
}

function children(node: DocumentNodeJSON): DocumentNodeJSON[] {
  return Array.isArray(node.content) ? node.content : [];
}

function toFlow(node: DocumentNodeJSON): RootContent[] {
  switch (node.type) {
    case "paragraph": {
      const content = toPhrasing(children(node));
      return content.length > 0 ? [{ type: "paragraph", children: content }] : [];
    }
    case "heading": {
      const level = Number(node.attrs?.level);
      const depth = (Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2) as 1 | 2 | 3 | 4 | 5 | 6;
      return [{ type: "heading", depth, children: toPhrasing(children(node)) }];
    }
    case "blockquote":
      return [{ type: "blockquote", children: flowOf(node) }];
    case "bulletList":
    case "orderedList":
    case "taskList": {
      const ordered = node.type === "orderedList";
      const start = Number(node.attrs?.start);
      return [
        {
          type: "list",
          ordered,
          start: ordered ? (Number.isInteger(start) ? start : 1) : null,
          spread: false,
          children: children(node).map(toListItem),
        },
      ];
    }
    case "codeBlock": {
      const info = typeof node.attrs?.language === "string" ? node.attrs.language.trim() : "";
      const [lang, ...meta] = info.split(/\s+/);
      const value = children(node)
        .map((n) => n.text ?? "")
        .join("");
      return [{ type: "code", lang: lang || null, meta: meta.join(" ") || null, value }];
    }
    case "horizontalRule":
      return [{ type: "thematicBreak" }];
    case "table":
      return [toTable(node)];
    // A live block written without its records: the marker alone reads back as the block (ADR 25).
    case "trackedRecords":
      return [{ type: "html", value: trackedMarker(trackedKindOf(node) ?? "factors") }];
    case "htmlCommentBlock":
      return [{ type: "html", value: String(node.attrs?.text ?? "") }];
    default:
      // Inline content at block level, or an unknown block: its words survive as a paragraph.
      return children(node).length > 0 ? [{ type: "paragraph", children: toPhrasing(children(node)) }] : [];
  }
}

function flowOf(node: DocumentNodeJSON): BlockContent[] {
  return children(node).flatMap(toFlow) as BlockContent[];
}

function toListItem(item: DocumentNodeJSON): ListItem {
  const checked = item.type === "taskItem" ? item.attrs?.checked === true : null;
  return { type: "listItem", spread: false, checked, children: flowOf(item) };
}

function toTable(node: DocumentNodeJSON): RootContent {
  const rows = children(node).filter((row) => row.type === "tableRow");
  const align = children(rows[0] ?? { type: "" }).map((cell) => {
    const value = cell.attrs?.align;
    return value === "left" || value === "center" || value === "right" ? value : null;
  });
  return {
    type: "table",
    align,
    children: rows.map(
      (row): TableRow => ({
        type: "tableRow",
        children: children(row).map((cell): TableCell => ({ type: "tableCell", children: cellPhrasing(cell) })),
      }),
    ),
  };
}

/** A GFM cell holds one line: its paragraphs join with line breaks, and other blocks give their words. */
function cellPhrasing(cell: DocumentNodeJSON): PhrasingContent[] {
  const lines = children(cell).map((block) => (block.type === "paragraph" || block.type === "heading" ? toPhrasing(children(block)) : [{ type: "text" as const, value: wordsOf(block) }]));
  return lines.flatMap((line, i) => (i === 0 ? line : [{ type: "break" as const }, ...line]));
}

function wordsOf(node: DocumentNodeJSON): string {
  if (node.type === "text") return node.text ?? "";
  return children(node).map(wordsOf).join(" ");
}

// ---------------------------------------------------------------------------------------------
// Inline content: marks become nested mdast nodes, opened and closed like the read view's HTML

// Outermost first: a link wraps bold text; code is a leaf inside them all.
const CONTAINER_MARKS = ["link", "bold", "italic", "strike"] as const;
type Container = { mark: DocumentMarkJSON; node: { children: PhrasingContent[] } };

function toPhrasing(nodes: DocumentNodeJSON[]): PhrasingContent[] {
  const root: PhrasingContent[] = [];
  const open: Container[] = [];
  const target = () => (open.length > 0 ? open[open.length - 1]!.node.children : root);
  for (const node of nodes) {
    const marks = (node.marks ?? [])
      .filter((m) => (CONTAINER_MARKS as readonly string[]).includes(m.type))
      .sort((a, b) => CONTAINER_MARKS.indexOf(a.type as never) - CONTAINER_MARKS.indexOf(b.type as never));
    let keep = 0;
    while (keep < open.length && keep < marks.length && sameMark(open[keep]!.mark, marks[keep]!)) keep++;
    open.length = keep;
    for (const mark of marks.slice(keep)) {
      const container = containerFor(mark);
      target().push(container as PhrasingContent);
      open.push({ mark, node: container });
    }
    const leaf = toLeaf(node);
    if (leaf) target().push(leaf);
  }
  return root;
}

function containerFor(mark: DocumentMarkJSON): PhrasingContent & { children: PhrasingContent[] } {
  switch (mark.type) {
    case "link":
      return { type: "link", url: String(mark.attrs?.href ?? ""), title: typeof mark.attrs?.title === "string" && mark.attrs.title !== "" ? mark.attrs.title : null, children: [] };
    case "bold":
      return { type: "strong", children: [] };
    case "italic":
      return { type: "emphasis", children: [] };
    default:
      return { type: "delete", children: [] };
  }
}

function sameMark(a: DocumentMarkJSON, b: DocumentMarkJSON): boolean {
  return a.type === b.type && a.attrs?.href === b.attrs?.href && a.attrs?.title === b.attrs?.title;
}

function toLeaf(node: DocumentNodeJSON): PhrasingContent | null {
  switch (node.type) {
    case "text": {
      const value = node.text ?? "";
      if (value === "") return null;
      return node.marks?.some((m) => m.type === "code") ? { type: "inlineCode", value } : { type: "text", value };
    }
    case "hardBreak":
      return { type: "break" };
    case "image":
      return {
        type: "image",
        url: String(node.attrs?.src ?? ""),
        alt: typeof node.attrs?.alt === "string" ? node.attrs.alt : null,
        title: typeof node.attrs?.title === "string" && node.attrs.title !== "" ? node.attrs.title : null,
      };
    case "htmlComment":
      return { type: "html", value: String(node.attrs?.text ?? "") };
    default:
      return null;
  }
}
