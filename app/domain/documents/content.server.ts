/**
 * Postmortem and decision-record bodies: the editor's JSON checked against the schema, rendered
 * to HTML for read pages, converted to and from Markdown. Pure functions, no database, no DOM.
 */
import { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { readMarkdown, type ReadMarkdown } from "./markdown-read";
import { writeMarkdown, type MarkdownStyle } from "./markdown-write";
import {
  documentSchema,
  HEADING_LEVELS,
  isAllowedImageSrc,
  isAllowedLinkHref,
  isHtmlComment,
  type DocumentJSON,
  type DocumentMarkJSON,
  type DocumentNodeJSON,
} from "./schema";
import { TRACKED_KINDS, trackedKindOf, type TrackedKind } from "./tracked-blocks";

export type { DocumentJSON } from "./schema";
export { writeMarkdown, type MarkdownStyle } from "./markdown-write";
export { parseMarkdown, type SourceRange } from "./markdown-read";

/** Larger than any real postmortem; small enough that one save cannot hog the server. */
const MAX_DOCUMENT_BYTES = 512 * 1024;
/** JSON nesting (each node adds two levels): about 50 nested blocks, far past any real list. */
const MAX_NESTING = 100;

export type DocumentValidation = { ok: true; doc: DocumentJSON; text: string } | { ok: false; error: string };

/** Thrown inside the checks below and turned into an error value at the boundary. */
class InvalidDocument extends Error {}

/**
 * Checks a document sent by the editor before it is stored.
 *
 * Refused: non-objects, oversize or deeply nested JSON, node or mark types the schema does not
 * know, attribute values of the wrong kind, link hrefs other than http:, https:, mailto: or a
 * path, and anything ProseMirror's own structure check rejects.
 * Dropped: attributes the schema does not define (say `onclick`) and unknown keys on nodes. They
 * can carry nothing to a reader, because the renderer writes out only the attributes it knows,
 * and dropping them keeps older documents saveable after the schema loses an attribute.
 */
export function validateDocument(input: unknown): DocumentValidation {
  if (!isRecord(input)) return { ok: false, error: "A document must be a JSON object." };
  const shapeProblem = measure(input);
  if (shapeProblem) return { ok: false, error: shapeProblem };
  if (Buffer.byteLength(JSON.stringify(input), "utf8") > MAX_DOCUMENT_BYTES) {
    return { ok: false, error: tooLarge() };
  }
  try {
    const cleaned = cleanNode(input);
    if (cleaned.type !== "doc") throw new InvalidDocument("A document must start with a doc node.");
    const node = ProseMirrorNode.fromJSON(documentSchema, cleaned);
    node.check();
    const doc = node.toJSON() as DocumentJSON;
    return { ok: true, doc, text: documentText(doc) };
  } catch (error) {
    if (error instanceof InvalidDocument) return { ok: false, error: error.message };
    // ProseMirror reports structure problems (a list item outside a list) as RangeError.
    if (error instanceof RangeError) return { ok: false, error: `The document's structure is not valid: ${error.message}` };
    throw error;
  }
}

function tooLarge() {
  return `The document is larger than ${MAX_DOCUMENT_BYTES / 1024} KB.`;
}

/** Walks the raw input without recursion, so depth and size are known before anything recurses. */
function measure(input: unknown): string | null {
  const stack: Array<[unknown, number]> = [[input, 1]];
  let budget = MAX_DOCUMENT_BYTES; // roughly one unit per JSON character; also bounds shared references
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    budget -= typeof value === "string" ? value.length + 2 : 1;
    if (budget < 0) return tooLarge();
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_NESTING) return "The document is nested too deeply.";
    for (const [key, child] of Object.entries(value)) {
      budget -= key.length;
      stack.push([child, depth + 1]);
    }
  }
  return null;
}

function cleanNode(value: unknown): DocumentNodeJSON {
  if (!isRecord(value)) throw new InvalidDocument("Every part of a document must be an object.");
  const type = value.type;
  if (typeof type !== "string" || !Object.hasOwn(documentSchema.nodes, type)) {
    throw new InvalidDocument(`The editor does not support ${describe(type)} content.`);
  }
  const node: DocumentNodeJSON = { type };
  const attrs = cleanAttrs(type, documentSchema.nodes[type]!.spec.attrs, value.attrs);
  if (attrs) node.attrs = attrs;
  if (type === "text") {
    if (typeof value.text !== "string" || value.text === "") throw new InvalidDocument("A text node needs text.");
    node.text = value.text;
  }
  if (value.content !== undefined) node.content = listOf(value.content, "content").map(cleanNode);
  if (value.marks !== undefined) node.marks = listOf(value.marks, "marks").map(cleanMark);
  return node;
}

function cleanMark(value: unknown): DocumentMarkJSON {
  if (!isRecord(value)) throw new InvalidDocument("Every mark must be an object.");
  const type = value.type;
  if (typeof type !== "string" || !Object.hasOwn(documentSchema.marks, type)) {
    throw new InvalidDocument(`The editor does not support ${describe(type)} formatting.`);
  }
  const mark: DocumentMarkJSON = { type };
  const attrs = cleanAttrs(type, documentSchema.marks[type]!.spec.attrs, value.attrs);
  if (attrs) mark.attrs = attrs;
  return mark;
}

type AttrRule = (value: unknown) => boolean;
const isNullOr = (rule: AttrRule): AttrRule => (v) => v === null || rule(v);
const isShortString: AttrRule = (v) => typeof v === "string" && v.length <= 2048;
const isIntegerIn = (min: number, max: number): AttrRule => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isCellWidths: AttrRule = (v) => Array.isArray(v) && v.length <= 1000 && v.every(isIntegerIn(0, 100_000));
const cellRules = { colspan: isIntegerIn(1, 1000), rowspan: isIntegerIn(1, 1000), colwidth: isNullOr(isCellWidths), align: isNullOr(isShortString) };

/**
 * Kinds of value each known attribute may hold. Only href is judged for safety: the renderer
 * writes no other attribute value verbatim (languages and alignments pass its own whitelist).
 */
const ATTR_RULES: Record<string, Record<string, AttrRule>> = {
  heading: { level: (v) => (HEADING_LEVELS as readonly unknown[]).includes(v) },
  orderedList: { start: isIntegerIn(0, 1_000_000_000), type: isNullOr(isShortString) },
  codeBlock: { language: isNullOr(isShortString) },
  taskItem: { checked: (v) => typeof v === "boolean" },
  tableCell: cellRules,
  tableHeader: cellRules,
  image: { src: isAllowedImageSrc, alt: isNullOr(isShortString), title: isNullOr(isShortString), width: isNullOr(isShortString), height: isNullOr(isShortString) },
  htmlComment: { text: (v) => isHtmlComment(v, false) },
  htmlCommentBlock: { text: (v) => isHtmlComment(v, true) },
  trackedRecords: { kind: (v) => (TRACKED_KINDS as readonly unknown[]).includes(v) },
  link: { href: isAllowedLinkHref, target: isNullOr(isShortString), rel: isNullOr(isShortString), class: isNullOr(isShortString), title: isNullOr(isShortString) },
};
const isPlainValue: AttrRule = (v) => v === null || typeof v === "boolean" || Number.isFinite(v) || isShortString(v);

function cleanAttrs(type: string, known: Record<string, unknown> | undefined, raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw new InvalidDocument(`The attributes of ${describe(type)} must be an object.`);
  const attrs: Record<string, unknown> = {};
  for (const name of Object.keys(known ?? {})) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = raw[name];
    const rule = ATTR_RULES[type]?.[name] ?? isPlainValue;
    if (!rule(value)) {
      throw new InvalidDocument(
        type === "link" && name === "href"
          ? "Links must start with http://, https:// or mailto:, or be a path on this site."
          : type === "image" && name === "src"
            ? "Images must come from an http:// or https:// address, or a path."
            : `The ${name} of ${describe(type)} has a value the editor cannot use.`,
      );
    }
    attrs[name] = value;
  }
  return attrs;
}

function listOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidDocument(`A node's ${what} must be a list.`);
  return value;
}

function describe(type: unknown): string {
  return typeof type === "string" ? `"${type.slice(0, 40)}"` : "untyped";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Plain text

const TEXT_BLOCKS = new Set(["paragraph", "heading", "codeBlock"]);

/** The words of a document, one block per line: for search and for the blameless-language check. */
export function documentText(doc: DocumentJSON): string {
  const lines: string[] = [];
  const visit = (node: DocumentNodeJSON, depth: number) => {
    if (depth > MAX_NESTING) return;
    if (TEXT_BLOCKS.has(node.type)) {
      const line = inlineText(node.content);
      if (line.trim() !== "") lines.push(line);
      return;
    }
    for (const child of childrenOf(node)) visit(child, depth + 1);
  };
  visit(doc, 0);
  return lines.join("\n");
}

/** A copy of the document with link hrefs replaced where `replace` returns a new one. */
export function rewriteLinks(doc: DocumentJSON, replace: (href: string) => string | null): DocumentJSON {
  const visit = (node: DocumentNodeJSON): DocumentNodeJSON => {
    const copy: DocumentNodeJSON = { ...node };
    if (node.marks) {
      copy.marks = node.marks.map((mark) => {
        const href = mark.type === "link" ? mark.attrs?.href : undefined;
        const next = typeof href === "string" ? replace(href) : null;
        return next ? { ...mark, attrs: { ...mark.attrs, href: next } } : mark;
      });
    }
    if (node.content) copy.content = node.content.map(visit);
    return copy;
  };
  return visit(doc) as DocumentJSON;
}

function inlineText(content: DocumentNodeJSON[] | undefined): string {
  return childrenOf({ type: "", content })
    .map((n) => (n.type === "text" && typeof n.text === "string" ? n.text : n.type === "hardBreak" ? "\n" : ""))
    .join("");
}

function childrenOf(node: DocumentNodeJSON): DocumentNodeJSON[] {
  return Array.isArray(node.content) ? node.content.filter(isRecord).map((n) => n as DocumentNodeJSON) : [];
}

// ---------------------------------------------------------------------------------------------
// HTML for read pages

/**
 * Renders a document to HTML for read pages, which ship no editor code. Put the result inside an
 * element with class "prose". Only the node and mark types below are written; everything else is
 * skipped, every text and attribute value is escaped, and link hrefs are checked again, so even a
 * document that bypassed validation cannot inject markup.
 */
export function renderDocumentHtml(doc: DocumentJSON): string {
  return isRecord(doc) ? renderBlocks(belowPageTitle(doc), 0) : "";
}

export type DocumentSegment = { html: string } | { tracked: TrackedKind; heading: { text: string; level: number } | null };

/**
 * A document rendered in pieces around its live blocks (ADR 25), for a page that draws those
 * blocks itself: HTML for the runs of ordinary blocks, and each live block by its kind with the
 * heading it stands under (when nothing but empty paragraphs lies between), so the page can draw
 * the heading and the block as one section.
 */
export function renderDocumentSegments(doc: DocumentJSON): DocumentSegment[] {
  if (!isRecord(doc)) return [];
  const segments: DocumentSegment[] = [];
  let run: DocumentNodeJSON[] = [];
  const flush = () => {
    if (run.length) segments.push({ html: renderBlocks({ type: "doc", content: run }, 0) });
    run = [];
  };
  const isEmpty = (b: DocumentNodeJSON) => b.type === "paragraph" && childrenOf(b).length === 0;
  for (const block of childrenOf(belowPageTitle(doc))) {
    const kind = trackedKindOf(block);
    if (!kind) {
      run.push(block);
      continue;
    }
    let at = run.length - 1;
    while (at >= 0 && isEmpty(run[at]!)) at--;
    const above = at >= 0 && run[at]!.type === "heading" ? run[at]! : null;
    if (above) run = run.slice(0, at);
    flush();
    segments.push({ tracked: kind, heading: above ? { text: inlineText(above.content), level: headingLevel(above.attrs?.level) } : null });
  }
  flush();
  return segments;
}

/**
 * The page around a document has its own h1: a document with level-1 headings (pasted or
 * imported Markdown, "# Title") is shown one level down, so its outline sits under the page title.
 */
function belowPageTitle(doc: DocumentJSON): DocumentJSON {
  if (!childrenOf(doc).some((block) => block.type === "heading" && block.attrs?.level === 1)) return doc;
  const lower = (node: DocumentNodeJSON): DocumentNodeJSON => {
    if (node.type === "heading") return { ...node, attrs: { ...node.attrs, level: Math.min(6, headingLevel(node.attrs?.level) + 1) } };
    return Array.isArray(node.content) ? { ...node, content: childrenOf(node).map(lower) } : node;
  };
  return lower(doc) as DocumentJSON;
}

type BlockRenderer = (node: DocumentNodeJSON, depth: number) => string;

const BLOCK_RENDERERS: Record<string, BlockRenderer> = {
  paragraph: (n) => `<p>${renderInline(n)}</p>`,
  heading: (n) => {
    const level = headingLevel(n.attrs?.level);
    return `<h${level}>${renderInline(n)}</h${level}>`;
  },
  blockquote: (n, d) => `<blockquote>${renderBlocks(n, d)}</blockquote>`,
  bulletList: (n, d) => `<ul>${renderBlocks(n, d)}</ul>`,
  orderedList: (n, d) => {
    const start = n.attrs?.start;
    const startAttr = Number.isInteger(start) && start !== 1 ? ` start="${start as number}"` : "";
    return `<ol${startAttr}>${renderBlocks(n, d)}</ol>`;
  },
  listItem: (n, d) => `<li>${renderBlocks(n, d)}</li>`,
  taskList: (n, d) => `<ul class="task-list">${renderBlocks(n, d)}</ul>`,
  taskItem: renderTaskItem,
  codeBlock: (n) => {
    // The info string's first word names the language ("ts title=x.ts").
    const language = typeof n.attrs?.language === "string" ? n.attrs.language.trim().split(/\s+/)[0] : undefined;
    const cls = typeof language === "string" && /^[\w+#.-]{1,32}$/.test(language) ? ` class="language-${escapeHtml(language)}"` : "";
    return `<pre><code${cls}>${escapeHtml(inlineText(n.content))}</code></pre>`;
  },
  horizontalRule: () => "<hr>",
  // Comments are notes to a file's editors: kept for the export, never shown.
  htmlCommentBlock: () => "",
  // A live block rendered without its records (history, a conflict): say what stands there.
  trackedRecords: (n) =>
    `<div class="tracked-block" data-tracked="${escapeHtml(trackedKindOf(n) ?? "factors")}"><p class="tracked-empty">The postmortem's tracked ${trackedKindOf(n) === "actions" ? "guardrail actions" : "contributing factors"} are shown here.</p></div>`,
  table: renderTable,
};

function renderBlocks(parent: DocumentNodeJSON, depth: number): string {
  if (depth > MAX_NESTING) return "";
  return childrenOf(parent)
    .map((child) => (Object.hasOwn(BLOCK_RENDERERS, child.type) ? BLOCK_RENDERERS[child.type]!(child, depth + 1) : ""))
    .join("");
}

function headingLevel(level: unknown): number {
  return typeof level === "number" && Number.isInteger(level) ? Math.min(6, Math.max(1, level)) : 2;
}

/** A read-only checkbox labelled by the task's first line; later blocks (nested tasks) follow. */
function renderTaskItem(node: DocumentNodeJSON, depth: number): string {
  const checked = node.attrs?.checked === true;
  const [first, ...rest] = childrenOf(node);
  const labelText = first?.type === "paragraph" ? renderInline(first) : "";
  const label = labelText || `<span class="visually-hidden">Empty task</span>`;
  const restHtml = renderBlocks({ type: "taskItem", content: first?.type === "paragraph" ? rest : childrenOf(node) }, depth);
  return (
    `<li class="task-item" data-checked="${checked}">` +
    `<label><input type="checkbox" disabled${checked ? " checked" : ""}> <span>${label}</span></label>` +
    restHtml +
    `</li>`
  );
}

function renderTable(node: DocumentNodeJSON, depth: number): string {
  const rows = childrenOf(node).filter((row) => row.type === "tableRow");
  const first = rows[0];
  const firstCells = first ? childrenOf(first) : [];
  const hasHeaderRow = firstCells.length > 0 && firstCells.every((cell) => cell.type === "tableHeader");
  const bodyRows = hasHeaderRow ? rows.slice(1) : rows;
  const head = hasHeaderRow && first ? `<thead>${renderRow(first, "col", depth)}</thead>` : "";
  const body = bodyRows.length > 0 ? `<tbody>${bodyRows.map((row) => renderRow(row, "row", depth)).join("")}</tbody>` : "";
  return `<div class="table-wrap"><table>${head}${body}</table></div>`;
}

function renderRow(row: DocumentNodeJSON, headerScope: "col" | "row", depth: number): string {
  const cells = childrenOf(row)
    .filter((cell) => cell.type === "tableHeader" || cell.type === "tableCell")
    .map((cell) => {
      const tag = cell.type === "tableHeader" ? "th" : "td";
      const scope = tag === "th" ? ` scope="${headerScope}"` : "";
      return `<${tag}${scope}${cellAttributes(cell)}>${renderCellContent(cell, depth)}</${tag}>`;
    });
  return `<tr>${cells.join("")}</tr>`;
}

function cellAttributes(cell: DocumentNodeJSON): string {
  let html = "";
  for (const name of ["colspan", "rowspan"] as const) {
    const value = cell.attrs?.[name];
    if (Number.isInteger(value) && (value as number) > 1 && (value as number) <= 1000) html += ` ${name}="${value as number}"`;
  }
  const align = cell.attrs?.align;
  if (align === "left" || align === "center" || align === "right") html += ` class="align-${align}"`;
  return html;
}

/** A cell holding one paragraph renders as its text, so the table is not full of margins. */
function renderCellContent(cell: DocumentNodeJSON, depth: number): string {
  const blocks = childrenOf(cell);
  return blocks.length === 1 && blocks[0]!.type === "paragraph" ? renderInline(blocks[0]!) : renderBlocks(cell, depth);
}

// Outermost first, as ProseMirror ranks them: a link wraps bold text, code sits innermost.
const MARK_ORDER = ["link", "bold", "italic", "strike", "code"];
const MARK_TAGS: Record<string, string> = { bold: "strong", italic: "em", strike: "s", code: "code" };

/**
 * Inline content with marks opened and closed like ProseMirror's serializer: marks shared with
 * the previous text stay open, so "[**a** b](url)" is one link, not two.
 */
function renderInline(parent: DocumentNodeJSON): string {
  let html = "";
  const open: DocumentMarkJSON[] = [];
  for (const node of childrenOf(parent)) {
    const marks = renderableMarks(node.marks);
    let keep = 0;
    while (keep < open.length && keep < marks.length && sameMark(open[keep]!, marks[keep]!)) keep++;
    while (open.length > keep) html += closeTag(open.pop()!);
    for (const mark of marks.slice(keep)) {
      html += openTag(mark);
      open.push(mark);
    }
    if (node.type === "text" && typeof node.text === "string") html += escapeHtml(node.text);
    else if (node.type === "hardBreak") html += "<br>";
    else if (node.type === "image") html += renderImage(node);
  }
  while (open.length > 0) html += closeTag(open.pop()!);
  return html;
}

/** The address as written: the server never fetches it; the browser loads it under the page's image policy. */
function renderImage(node: DocumentNodeJSON): string {
  const src = node.attrs?.src;
  if (!isAllowedImageSrc(src)) return "";
  const alt = typeof node.attrs?.alt === "string" ? node.attrs.alt : "";
  const title = typeof node.attrs?.title === "string" && node.attrs.title !== "" ? ` title="${escapeHtml(node.attrs.title)}"` : "";
  return `<img src="${escapeHtml(src.trim())}" alt="${escapeHtml(alt)}"${title} loading="lazy" referrerpolicy="no-referrer">`;
}

function renderableMarks(marks: unknown): DocumentMarkJSON[] {
  if (!Array.isArray(marks)) return [];
  return marks
    .filter((m): m is DocumentMarkJSON => isRecord(m) && typeof m.type === "string" && MARK_ORDER.includes(m.type))
    .filter((m) => m.type !== "link" || isAllowedLinkHref(m.attrs?.href))
    .sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

function sameMark(a: DocumentMarkJSON, b: DocumentMarkJSON): boolean {
  return a.type === b.type && a.attrs?.href === b.attrs?.href && a.attrs?.title === b.attrs?.title;
}

function openTag(mark: DocumentMarkJSON): string {
  if (mark.type !== "link") return `<${MARK_TAGS[mark.type]}>`;
  const href = String(mark.attrs?.href).trim();
  const title = typeof mark.attrs?.title === "string" && mark.attrs.title !== "" ? ` title="${escapeHtml(mark.attrs.title)}"` : "";
  return `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow"${title}>`;
}

function closeTag(mark: DocumentMarkJSON): string {
  return mark.type === "link" ? "</a>" : `</${MARK_TAGS[mark.type]}>`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

// ---------------------------------------------------------------------------------------------
// Markdown (markdown-read.ts and markdown-write.ts; docs/decisions/0022)

/** Markdown for export and for reading a document outside the app (GFM tables and task lists). */
export function documentToMarkdown(doc: DocumentJSON, style?: MarkdownStyle, options?: { keepGuidance?: boolean }): string {
  return `${writeMarkdown(childrenOf(doc), style, options)}\n`;
}

export type ValidatedMarkdown = { doc: DocumentJSON; ranges: ReadMarkdown["ranges"]; style: MarkdownStyle };

/**
 * Reads Markdown into a valid document, with the source range of each top-level block. Throws a
 * RangeError when the result is still not a valid document (say, Markdown large enough to exceed
 * MAX_DOCUMENT_BYTES).
 */
export function readMarkdownDocument(source: string): ValidatedMarkdown {
  const read = readMarkdown(source);
  const result = validateDocument(read.doc);
  if (!result.ok) throw new RangeError(`Markdown did not make a valid document: ${result.error}`);
  return { doc: result.doc, ranges: read.ranges, style: read.style };
}

/** Reads Markdown (templates, imports, the demo story) into a document that passes validateDocument. */
export function markdownToDocument(source: string): DocumentJSON {
  return readMarkdownDocument(source).doc;
}
