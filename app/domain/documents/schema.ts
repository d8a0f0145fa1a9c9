/**
 * The one Tiptap extension list for postmortem and decision-record bodies.
 *
 * The editor builds its schema from it in the browser; the server builds the same schema to
 * validate saved JSON and to read Markdown. Importing this file must stay safe in Node: no React,
 * and nothing that touches the DOM until an editor is created.
 */
import { getSchema, Node, type Extensions } from "@tiptap/core";
import Code from "@tiptap/extension-code";
import Image from "@tiptap/extension-image";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Blockquote } from "@tiptap/extension-blockquote";
import { Bold } from "@tiptap/extension-bold";
import { CodeBlock } from "@tiptap/extension-code-block";
import { Document } from "@tiptap/extension-document";
import { HardBreak } from "@tiptap/extension-hard-break";
import { Heading } from "@tiptap/extension-heading";
import { HorizontalRule } from "@tiptap/extension-horizontal-rule";
import { Italic } from "@tiptap/extension-italic";
import { Link } from "@tiptap/extension-link";
import { BulletList, ListItem, ListKeymap, OrderedList } from "@tiptap/extension-list";
import { Paragraph } from "@tiptap/extension-paragraph";
import { Strike } from "@tiptap/extension-strike";
import { Text } from "@tiptap/extension-text";
// One file each: the package's index would also bring the undo history (prosemirror-history),
// which the live editor does not use (Yjs has its own); the HTTP autosave editor adds it.
import { Dropcursor } from "@tiptap/extensions/drop-cursor";
import { Gapcursor } from "@tiptap/extensions/gap-cursor";
import { TrailingNode } from "@tiptap/extensions/trailing-node";
import { DocumentTable, TableCell, TableHeader, TableRow } from "./table";
import { SectionGuidance, TrackedRecords } from "./tracked-blocks";

// The stored shape is declared with the tables (db/schema.ts), so columns and editor agree.
export type { DocumentJSON, DocumentMarkJSON, DocumentNodeJSON } from "#db/schema";

/** Markdown's six levels, so imported documents keep their outline; the toolbar offers two of them. */
export const HEADING_LEVELS = [1, 2, 3, 4, 5, 6] as const;

const LINK_SCHEMES = new Set(["http", "https", "mailto"]);
// ASCII control characters: browsers silently drop some of them inside a scheme ("java\tscript:"),
// and no honest link needs one.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Whether a link may point here: http:, https:, mailto:, or a path on this site.
 * Shared by the editor (typing, pasting, the link prompt), validation and the read-page renderer,
 * so the three can never disagree about what is safe.
 */
export function isAllowedLinkHref(href: unknown): href is string {
  if (typeof href !== "string") return false;
  const value = href.trim();
  if (value === "" || value.length > 2048 || CONTROL_CHARACTER.test(value)) return false;
  // A character reference ("&#106;", "&colon;") only hides a scheme from a later HTML decoder.
  if (/&(?:#|[a-z][a-z0-9]*;)/i.test(value)) return false;
  const scheme = SCHEME.exec(value);
  if (scheme) return LINK_SCHEMES.has(scheme[1]!.toLowerCase());
  // A relative reference. "//host" and "\" would leave the site; a ":" before the first "/", "?"
  // or "#" is how entity and spacing tricks ("java script:", "&#106;avascript:") show up.
  if (value.startsWith("//") || value.includes("\\")) return false;
  const firstSegment = value.split(/[/?#]/, 1)[0] ?? "";
  return !firstSegment.includes(":");
}

/**
 * Where an image may come from: http:, https: or a path (a file beside the Markdown). Never data:
 * or any other scheme. The server only stores the address; it never fetches an image.
 */
export function isAllowedImageSrc(src: unknown): src is string {
  if (!isAllowedLinkHref(src)) return false;
  return !/^mailto:/i.test(src.trim());
}

const ONE_COMMENT = "<!--(?:(?!-->)[\\s\\S])*-->";
const INLINE_COMMENT = new RegExp(`^${ONE_COMMENT}$`);
const BLOCK_OF_COMMENTS = new RegExp(`^(?:\\s*${ONE_COMMENT})+\\s*$`);

/** Whether `text` is nothing but HTML comments: one for an inline comment, one or more for a block. */
export function isHtmlComment(text: unknown, block: boolean): text is string {
  return typeof text === "string" && text.length <= 20_000 && (block ? BLOCK_OF_COMMENTS : INLINE_COMMENT).test(text);
}

/**
 * HTML comments in Markdown ("<!-- optional -->") are notes to the file's editors, not content:
 * kept as invisible atoms so an export writes them back verbatim, and never shown to a reader.
 * `text` is the whole comment, delimiters included.
 */
const commentAttributes = { text: { default: "<!---->" } };
export const HtmlComment = Node.create({
  name: "htmlComment",
  group: "inline",
  inline: true,
  atom: true,
  selectable: false,
  addAttributes: () => commentAttributes,
  parseHTML: () => [{ tag: "span[data-html-comment]", getAttrs: (el) => ({ text: el.getAttribute("data-html-comment") ?? "<!---->" }) }],
  renderHTML: ({ node }) => ["span", { "data-html-comment": String(node.attrs.text), hidden: "hidden" }],
});
export const HtmlCommentBlock = Node.create({
  name: "htmlCommentBlock",
  group: "block",
  atom: true,
  selectable: false,
  addAttributes: () => commentAttributes,
  parseHTML: () => [{ tag: "div[data-html-comment]", getAttrs: (el) => ({ text: el.getAttribute("data-html-comment") ?? "<!---->" }) }],
  renderHTML: ({ node }) => ["div", { "data-html-comment": String(node.attrs.text), hidden: "hidden" }],
});

/**
 * Tiptap's StarterKit, spelled out in its order (which decides the schema's), without what it
 * would add that the documents don't have or the editor adds itself: Tiptap's code mark (replaced
 * below: it excludes every other mark, so "[the `adr` tool](url)" could not be stored, though
 * Markdown allows code inside a link and inside emphasis), underline (no Markdown form, so
 * documents would not survive export) and the undo history (the editor's own choice: Yjs's undo
 * when live, prosemirror-history in the HTTP autosave editor).
 */
export const documentExtensions: Extensions = [
  Bold,
  Blockquote,
  BulletList,
  CodeBlock,
  Document,
  Dropcursor,
  Gapcursor,
  HardBreak,
  Heading.configure({ levels: [...HEADING_LEVELS] }),
  HorizontalRule,
  Italic,
  ListItem,
  ListKeymap,
  Link.configure({
    openOnClick: false,
    autolink: true,
    defaultProtocol: "https",
    // No extra schemes for autolinking, and the same href rule as the server (Tiptap's default
    // also allows ftp:, tel:, sms: and others).
    protocols: [],
    isAllowedUri: (url) => isAllowedLinkHref(url),
  }),
  OrderedList,
  Paragraph,
  Strike,
  Text,
  TrailingNode,
  Code.extend({ excludes: "code" }),
  Image.configure({ inline: true, allowBase64: false }),
  HtmlComment,
  HtmlCommentBlock,
  // A postmortem's tracked factors and actions, and the templates' section guidance (ADR 25).
  TrackedRecords,
  SectionGuidance,
  DocumentTable,
  TableRow,
  TableHeader,
  TableCell,
  TaskList,
  TaskItem.configure({
    nested: true,
    a11y: { checkboxLabel: (node, checked) => `${checked ? "Done" : "To do"}: ${node.textContent || "empty task"}` },
  }),
];

/** The ProseMirror schema the server validates saved documents against. */
export const documentSchema = getSchema(documentExtensions);
