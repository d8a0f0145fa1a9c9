/**
 * Markdown → document, read with micromark (CommonMark and GFM) through mdast. Client-safe: the
 * editor's paste handling loads this same module, so pasted and imported Markdown read alike.
 *
 * What is kept: headings 1–6, paragraphs, emphasis, strong, strikethrough, inline code (also
 * inside links), links (inline, autolinks and reference links, resolved against the file's
 * definitions), images (address, alt text, title; never fetched), lists, task lists, tables,
 * code blocks (language and info string), quotes, rules, hard breaks, and HTML comments as
 * invisible nodes. Other raw HTML stays literal text. Links and images to other schemes keep their
 * words but lose the address.
 */
import type { Definition, Nodes, Parents, PhrasingContent, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { isAllowedImageSrc, isAllowedLinkHref, isHtmlComment, type DocumentJSON, type DocumentMarkJSON, type DocumentNodeJSON } from "./schema";
import type { MarkdownStyle } from "./markdown-write";

/** Where a top-level block of the document came from in the Markdown text (UTF-16 offsets). */
export type SourceRange = { from: number; to: number };

export type ReadMarkdown = {
  doc: DocumentJSON;
  /** One entry per block of `doc.content`; null for a block the reader added (an empty document's paragraph). */
  ranges: Array<SourceRange | null>;
  /** How the text writes lists, emphasis, fences and rules, so re-written blocks match it. */
  style: MarkdownStyle;
};

/** Reads Markdown into editor JSON. Not yet validated: content.server.ts validates it on the server. */
export function readMarkdown(source: string): ReadMarkdown {
  const tree = parseMarkdown(source);
  const definitions = new Map<string, Definition>();
  collectDefinitions(tree, definitions);
  const reader = new Reader(definitions);
  const content: DocumentNodeJSON[] = [];
  const ranges: Array<SourceRange | null> = [];
  for (const child of tree.children) {
    const blocks = reader.block(child);
    const range = child.position ? { from: child.position.start.offset ?? 0, to: child.position.end.offset ?? 0 } : null;
    for (const block of blocks) {
      content.push(block);
      ranges.push(range);
    }
  }
  if (content.length === 0) {
    content.push({ type: "paragraph" });
    ranges.push(null);
  }
  return { doc: { type: "doc", content }, ranges, style: detectStyle(source, tree) };
}

export function parseMarkdown(source: string): Root {
  return fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>) {
  if (node.type === "definition") {
    // CommonMark: the first definition of a label wins.
    if (!into.has(node.identifier)) into.set(node.identifier, node);
    return;
  }
  if ("children" in node) for (const child of node.children) collectDefinitions(child, into);
}

class Reader {
  constructor(private readonly definitions: Map<string, Definition>) {}

  block(node: RootContent): DocumentNodeJSON[] {
    switch (node.type) {
      case "paragraph":
        return [withContent({ type: "paragraph" }, this.inline(node.children, []))];
      case "heading":
        return [withContent({ type: "heading", attrs: { level: node.depth } }, this.inline(node.children, []))];
      case "thematicBreak":
        return [{ type: "horizontalRule" }];
      case "blockquote":
        return [{ type: "blockquote", content: atLeastOneBlock(this.blocks(node.children)) }];
      case "code": {
        const language = [node.lang, node.meta].filter(Boolean).join(" ") || null;
        return [withContent({ type: "codeBlock", attrs: { language } }, node.value ? [{ type: "text", text: node.value }] : [])];
      }
      case "html":
        return isHtmlComment(node.value, true)
          ? [{ type: "htmlCommentBlock", attrs: { text: node.value } }]
          : [withContent({ type: "paragraph" }, textNode(node.value, []))];
      case "list":
        return [this.list(node)];
      case "table":
        return [this.table(node)];
      case "footnoteDefinition": {
        const blocks = this.blocks(node.children);
        const label = { type: "text", text: `[^${node.label ?? node.identifier}]: ` };
        const first = blocks[0];
        if (first?.type === "paragraph") return [{ ...first, content: [label, ...(first.content ?? [])] }, ...blocks.slice(1)];
        return [{ type: "paragraph", content: [label] }, ...blocks];
      }
      case "definition":
      case "yaml":
        return [];
      default:
        // Phrasing content at block level does not happen in mdast; keep any words, just in case.
        return "children" in node ? this.blocks(node.children as RootContent[]) : [];
    }
  }

  blocks(nodes: RootContent[]): DocumentNodeJSON[] {
    return nodes.flatMap((n) => this.block(n));
  }

  list(node: Extract<RootContent, { type: "list" }>): DocumentNodeJSON {
    const isTaskList = node.children.some((item) => typeof item.checked === "boolean");
    const items = node.children.map((item) => {
      const content = this.blocks(item.children);
      // A list item starts with a paragraph in the editor's schema.
      if (content[0]?.type !== "paragraph") content.unshift({ type: "paragraph" });
      return isTaskList ? { type: "taskItem", attrs: { checked: item.checked === true }, content } : { type: "listItem", content };
    });
    if (isTaskList) return { type: "taskList", content: items };
    if (node.ordered) return { type: "orderedList", attrs: { start: node.start ?? 1 }, content: items };
    return { type: "bulletList", content: items };
  }

  table(node: Extract<RootContent, { type: "table" }>): DocumentNodeJSON {
    const rows = node.children.map((row, r) => ({
      type: "tableRow",
      content: row.children.map((cell, c) => {
        const align = node.align?.[c] ?? null;
        return {
          type: r === 0 ? "tableHeader" : "tableCell",
          attrs: { align },
          content: [withContent({ type: "paragraph" }, this.inline(cell.children, []))],
        };
      }),
    }));
    return { type: "table", content: rows };
  }

  inline(nodes: PhrasingContent[], marks: DocumentMarkJSON[]): DocumentNodeJSON[] {
    return nodes.flatMap((n) => this.phrasing(n, marks));
  }

  phrasing(node: PhrasingContent, marks: DocumentMarkJSON[]): DocumentNodeJSON[] {
    switch (node.type) {
      case "text":
        return textNode(node.value, marks);
      case "emphasis":
        return this.inline(node.children, [...marks, { type: "italic" }]);
      case "strong":
        return this.inline(node.children, [...marks, { type: "bold" }]);
      case "delete":
        return this.inline(node.children, [...marks, { type: "strike" }]);
      case "inlineCode":
        return textNode(node.value, [...marks, { type: "code" }]);
      case "break":
        return [{ type: "hardBreak" }];
      case "html":
        return isHtmlComment(node.value, false) ? [{ type: "htmlComment", attrs: { text: node.value } }] : textNode(node.value, marks);
      case "link":
        return this.link(node.url, node.title ?? null, node.children, marks);
      case "linkReference": {
        const definition = this.definitions.get(node.identifier);
        if (definition) return this.link(definition.url, definition.title ?? null, node.children, marks);
        return [...textNode("[", marks), ...this.inline(node.children, marks), ...textNode("]", marks)];
      }
      case "image":
        return imageNode(node.url, node.alt ?? "", node.title ?? null, marks);
      case "imageReference": {
        const definition = this.definitions.get(node.identifier);
        return definition ? imageNode(definition.url, node.alt ?? "", definition.title ?? null, marks) : textNode(node.alt ?? "", marks);
      }
      case "footnoteReference":
        return textNode(`[^${node.label ?? node.identifier}]`, marks);
      default:
        return "children" in node ? this.inline((node as Parents).children as PhrasingContent[], marks) : [];
    }
  }

  link(url: string, title: string | null, children: PhrasingContent[], marks: DocumentMarkJSON[]): DocumentNodeJSON[] {
    if (!isAllowedLinkHref(url)) return this.inline(children, marks);
    return this.inline(children, [...marks, { type: "link", attrs: { href: url, title } }]);
  }
}

function textNode(text: string, marks: DocumentMarkJSON[]): DocumentNodeJSON[] {
  if (text === "") return [];
  return [marks.length > 0 ? { type: "text", text, marks: uniqueMarks(marks) } : { type: "text", text }];
}

function imageNode(src: string, alt: string, title: string | null, marks: DocumentMarkJSON[]): DocumentNodeJSON[] {
  if (!isAllowedImageSrc(src)) return textNode(alt, marks.filter((m) => m.type !== "code"));
  // An image takes its link (a badge) but no text formatting.
  const linkMarks = marks.filter((m) => m.type === "link");
  const image: DocumentNodeJSON = { type: "image", attrs: { src, alt: alt || null, title } };
  if (linkMarks.length > 0) image.marks = uniqueMarks(linkMarks);
  return [image];
}

/** Nested emphasis ("*a *b* c*") would repeat a mark; a link inside a link keeps the inner one. */
function uniqueMarks(marks: DocumentMarkJSON[]): DocumentMarkJSON[] {
  const byType = new Map<string, DocumentMarkJSON>();
  for (const mark of marks) byType.set(mark.type, mark);
  return [...byType.values()];
}

function withContent(node: DocumentNodeJSON, content: DocumentNodeJSON[]): DocumentNodeJSON {
  return content.length > 0 ? { ...node, content } : node;
}

function atLeastOneBlock(blocks: DocumentNodeJSON[]): DocumentNodeJSON[] {
  return blocks.length > 0 ? blocks : [{ type: "paragraph" }];
}

// ---------------------------------------------------------------------------------------------
// The text's own style, for blocks written anew

function detectStyle(source: string, tree: Root): MarkdownStyle {
  const style: MarkdownStyle = {};
  const at = (node: Nodes) => source[node.position?.start.offset ?? -1] ?? "";
  const visit = (node: Nodes) => {
    if (node.type === "list" && !node.ordered && !style.bullet) {
      const marker = at(node.children[0] ?? node);
      if (marker === "*" || marker === "-" || marker === "+") style.bullet = marker;
    } else if (node.type === "emphasis" && !style.emphasis) {
      const marker = at(node);
      if (marker === "*" || marker === "_") style.emphasis = marker;
    } else if (node.type === "strong" && !style.strong) {
      const marker = at(node);
      if (marker === "*" || marker === "_") style.strong = marker;
    } else if (node.type === "code" && !style.fence) {
      const marker = source.slice(node.position?.start.offset ?? 0).trimStart()[0];
      if (marker === "`" || marker === "~") style.fence = marker;
    } else if (node.type === "thematicBreak" && !style.rule) {
      const marker = at(node);
      if (marker === "*" || marker === "-" || marker === "_") style.rule = marker;
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return style;
}
