/**
 * The one Tiptap extension list for postmortem and decision-record bodies.
 *
 * The editor builds its schema from it in the browser; the server builds the same schema to
 * validate saved JSON and to read Markdown. Importing this file must stay safe in Node: no React,
 * and nothing that touches the DOM until an editor is created.
 */
import { getSchema, type Extensions } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

// The stored shape is declared with the tables (db/schema.ts), so columns and editor agree.
export type { DocumentJSON, DocumentMarkJSON, DocumentNodeJSON } from "#db/schema";

export const HEADING_LEVELS = [1, 2, 3] as const;

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

export const documentExtensions: Extensions = [
  StarterKit.configure({
    heading: { levels: [...HEADING_LEVELS] },
    // Underline has no Markdown form, so documents would not survive export.
    underline: false,
    link: {
      openOnClick: false,
      autolink: true,
      defaultProtocol: "https",
      // No extra schemes for autolinking, and the same href rule as the server (Tiptap's default
      // also allows ftp:, tel:, sms: and others).
      protocols: [],
      isAllowedUri: (url) => isAllowedLinkHref(url),
    },
  }),
  Table.configure({ resizable: false }),
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
