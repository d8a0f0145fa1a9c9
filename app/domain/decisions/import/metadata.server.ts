/**
 * Metadata written in a decision file's text rather than its front matter: MADR 2 and Nygard
 * lines ("- Status: accepted", "Date: 2018-02-15"), a metadata table at the top, and a
 * "## Status" section with its typed links. Lines read as metadata are blanked in place (spaces,
 * same length), so every block of the body keeps its offset in the file (docs/decisions/0022).
 */
import type { DecisionStatus } from "#db/schema";
import { isOwnStatusWord, nearestStatus } from "../status-words";

export type PairLinkKind = "supersedes" | "superseded_by" | "amends" | "amended_by";
export type ExternalLinkKind = "informed_by" | "implements" | "pull_request";
/** A link as written in the file: the words and, for a Markdown link, its address. */
export type RawLink = { kind: PairLinkKind | ExternalLinkKind; text: string; href: string | null };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const META_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?(status|date|deciders|decision[- _]makers|tags|consulted|informed)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$/i;

const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;

/** The heading that starts at line `index`: "## Status", or a setext "Status" over "------". */
export function headingAt(lines: string[], index: number): { level: number; text: string; lineCount: 1 | 2 } | null {
  const atx = HEADING.exec(lines[index]!);
  if (atx) return { level: atx[1]!.length, text: atx[2]!, lineCount: 1 };
  const line = lines[index]!;
  const underline = SETEXT_UNDERLINE.exec(lines[index + 1] ?? "");
  if (underline && line.trim() !== "" && /^ {0,3}\S/.test(line) && !/^ {0,3}([-*+>|]|\d+[.)])\s/.test(line) && (index === 0 || lines[index - 1]!.trim() === "")) {
    return { level: underline[1]![0] === "=" ? 1 : 2, text: line.trim(), lineCount: 2 };
  }
  return null;
}

/** Replaces a line by spaces: it leaves the Markdown, every later offset stays. */
export function blank(lines: string[], index: number) {
  lines[index] = " ".repeat(lines[index]!.length);
}

/** Calls `visit` for each line outside fenced code, with its index; stops when `visit` returns false. */
function eachProseLine(lines: string[], visit: (line: string, index: number) => boolean | void) {
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const marker = FENCE.exec(lines[i]!)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    if (visit(lines[i]!, i) === false) return;
  }
}

export type Preamble = { status: string | null; date: string | null; deciders: string | null; tags: string | null; extra: Record<string, string> };

/**
 * MADR 2 and Nygard metadata between the title and the first section: "- Status: accepted",
 * "Date: 2018-02-15". Those lines leave the body; everything else stays.
 */
export function readPreamble(lines: string[]): Preamble {
  const found: Preamble = { status: null, date: null, deciders: null, tags: null, extra: {} };
  eachProseLine(lines, (line, i) => {
    if (headingAt(lines, i)) return false;
    const meta = META_LINE.exec(line);
    if (!meta) return;
    const key = meta[1]!.toLowerCase().replace(/[ _]/g, "-");
    const value = meta[2]!.replace(/(\*\*|__)$/, "").trim();
    if (key === "status") found.status ??= value;
    else if (key === "date") found.date ??= value;
    else if (key === "deciders" || key === "decision-makers") found.deciders ??= value;
    else if (key === "tags") found.tags ??= value.replace(/\]\s*\[/g, ", ").replace(/[[\]]/g, "");
    else found.extra[key] = value;
    blank(lines, i);
  });
  return found;
}

export type MetadataTable = { status: string | null; date: string | null; deciders: string | null };

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
const TABLE_KEYS: Array<[keyof MetadataTable, RegExp]> = [
  ["status", /^status$/],
  ["date", /^(date|decided|decision date|decided on|accepted on|created|created on|last updated|updated)$/],
  ["deciders", /^(deciders|decision[- ]makers|author\(?s\)?|authors?|owners?|drivers?|approvers?)$/],
];

/**
 * A metadata table before the first section, as many teams write it:
 * "| Status | Date | Author(s) |" over one row of values, or a two-column "| Status | Accepted |"
 * key-value table. The table stays in the body.
 */
export function readMetadataTable(lines: string[]): MetadataTable {
  const found: MetadataTable = { status: null, date: null, deciders: null };
  let header = -1;
  eachProseLine(lines, (line, i) => {
    if (headingAt(lines, i)) return false;
    if (TABLE_ROW.test(line) && DELIMITER_ROW.test(lines[i + 1] ?? "")) {
      header = i;
      return false;
    }
  });
  if (header < 0) return found;
  const rows: string[][] = [];
  for (let i = header; i < lines.length && TABLE_ROW.test(lines[i]!); i++) if (i !== header + 1) rows.push(cells(lines[i]!));
  const keyOf = (cell: string) => TABLE_KEYS.find(([, pattern]) => pattern.test(cell.toLowerCase().replace(/[*_`]/g, "").trim()))?.[0];
  const take = (key: keyof MetadataTable | undefined, value: string | undefined) => {
    const clean = value?.replace(/[*_`]/g, "").trim();
    if (key && clean && found[key] === null) found[key] = clean;
  };
  const head = rows[0] ?? [];
  // "| Status | Accepted |": keys down the first column, the header row included.
  const keysDown = head.length === 2 && keyOf(head[0]!) !== undefined && keyOf(head[1]!) === undefined;
  if (keysDown) for (const row of rows) take(keyOf(row[0] ?? ""), row[1]);
  else if (head.some((cell) => keyOf(cell))) head.forEach((cell, c) => take(keyOf(cell), rows[1]?.[c]));
  return found;
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

export type StatusSection = { status: string | null; links: RawLink[] };

/**
 * A "## Status" section (Nygard, adr-tools): its status line and link lines leave the body. Lines
 * it does not read (notes, a second status) stay under the heading. When the front matter already
 * gave the status, the section's status words stay as text and only its link lines are read.
 */
export function readStatusSection(lines: string[], statusKnown: boolean): StatusSection {
  let start = -1;
  let level = 0;
  let headingLines = 1;
  eachProseLine(lines, (_line, i) => {
    const heading = headingAt(lines, i);
    if (heading && /^status:?$/i.test(heading.text.trim())) {
      [start, level, headingLines] = [i, heading.level, heading.lineCount];
      return false;
    }
  });
  if (start < 0) return { status: null, links: [] };
  let end = start + headingLines;
  while (end < lines.length) {
    const heading = headingAt(lines, end);
    if (heading && heading.level <= level) break;
    end++;
  }
  let status: string | null = null;
  const links: RawLink[] = [];
  let notes = 0;
  for (let i = start + headingLines; i < end; i++) {
    const line = lines[i]!.replace(/^\s*[-*+]\s+/, "").trim();
    if (!line) continue;
    const read = readStatusText(line);
    const isStatusLine = !statusKnown && status === null && read.status !== null;
    if (read.links.length === 0 && !isStatusLine) {
      notes++;
      continue;
    }
    // The status line's own links are read again with it (parse.server.ts reads every status text).
    if (isStatusLine) status = line;
    else links.push(...read.links);
    blank(lines, i);
  }
  if (notes === 0) for (let i = start; i < start + headingLines; i++) blank(lines, i);
  return { status, links };
}

const LINK_PHRASE = /\b(supersedes|superseded\s+by|superceded\s+by|replaced\s+by|amends|amended\s+by)\b\s*:?\s*/gi;

export type StatusText = {
  status: DecisionStatus | null;
  /** The status as written, when it is not simply a status's own name ("On hold", "Approved"). */
  word: string | null;
  /** Whether the words matched a known status (false: "proposed" is a fallback). */
  known: boolean;
  links: RawLink[];
};

/**
 * "Accepted", "superseded by [ADR-0005](0005-example.md)", "On hold", "Accepted. Supersedes ADR-2":
 * the status, the words it was written with, and any typed links in a status line.
 */
export function readStatusText(text: string): StatusText {
  const clean = text.trim();
  const phrases = [...clean.matchAll(LINK_PHRASE)];
  const links: RawLink[] = [];
  phrases.forEach((phrase, i) => {
    const from = phrase.index + phrase[0].length;
    const to = phrases[i + 1]?.index ?? clean.length;
    const words = phrase[1]!.toLowerCase().replace(/\s+/g, " ");
    const kind: PairLinkKind =
      words === "supersedes" ? "supersedes" : words === "amends" ? "amends" : words === "amended by" ? "amended_by" : "superseded_by";
    links.push(...targetsIn(clean.slice(from, to)).map((t) => ({ kind, ...t })));
  });
  const before = clean
    .slice(0, phrases[0]?.index ?? clean.length)
    .replace(/^[^\p{L}\p{N}]+|[\s.,;:!()[\]*_-]+$/gu, "")
    .trim();
  if (!before) {
    // "Superseded by [ADR-5](…)" says superseded through its link phrase.
    const superseded = phrases.some((p) => /^(superseded|superceded|replaced)/i.test(p[1]!));
    return { status: superseded ? "superseded" : null, word: null, known: superseded, links };
  }
  const nearest = nearestStatus(before);
  const word = isOwnStatusWord(before) ? null : before.slice(0, 60);
  return { status: nearest.status, word, known: nearest.known, links };
}

const MD_LINK = /\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_WORD = /\b(?:adr|rfc|inc|act)[-_ ]?\d{1,9}\b|\bgate:[0-9a-f-]{36}\b|https?:\/\/[^\s,;)]+|[\w./-]+\.(?:md|markdown)\b/gi;

/** The targets named in a bit of text: Markdown links, ADR-n / INC-n / ACT-n / GATE:<id>, URLs, file names, bare numbers. */
export function targetsIn(value: unknown): Array<{ text: string; href: string | null }> {
  if (typeof value === "number" && Number.isInteger(value)) return [{ text: String(value), href: null }];
  if (typeof value !== "string") return [];
  const out: Array<{ text: string; href: string | null }> = [];
  const rest = value.replace(MD_LINK, (_m, label: string, href: string) => {
    out.push({ text: label.trim(), href: href.trim() || null });
    return " ";
  });
  for (const match of rest.matchAll(REFERENCE_WORD)) {
    const word = match[0];
    const isPath = /\.(md|markdown)$/i.test(word) && !/^https?:/i.test(word);
    out.push(isPath ? { text: word, href: word } : { text: word, href: null });
  }
  if (out.length === 0 && /^\s*#?\d{1,9}\s*$/.test(rest)) out.push({ text: rest.trim().replace(/^#/, ""), href: null });
  return out;
}
