/**
 * Reads Markdown decision records in the shapes real repositories keep them. Pure: no database;
 * plan.server.ts decides what an import of the parsed files does.
 *
 *
 * Shapes understood (see test/unit/adr-import.test.ts for each):
 * - MADR 4 and 3: YAML front matter (status, date, decision-makers or deciders, consulted,
 *   informed, tags), then "# Title". MADR 3's status may read "superseded by [ADR-0005](0005-x.md)".
 * - MADR 2 and log4brains: "# Title" then a list "- Status: …", "- Deciders: …", "- Date: …",
 *   "- Tags: [a] [b]" before the first section.
 * - Nygard and adr-tools: "# 1. Title", "Date: …", a "## Status" section whose lines may say
 *   "Supersedes [2. X](0002-x.md)", "Superseded by …" (also adr-tools' "Superceded by"),
 *   "Amends …", "Amended by …".
 * - Hindsight's own export: MADR 4 front matter plus id, tags and typed links.
 * File names: "0007-title.md", "ADR-0007-title.md", "adr_7_title.md", "2021-03-04-title.md",
 * "20210304-title.md" (log4brains). Links between files (relative paths or ADR-n references)
 * become typed links; links in the body to other imported files become links to their records.
 */
import { parseDocument as parseYaml } from "yaml";
import type { DecisionKind, DecisionStatus } from "#db/schema";
import { documentText, markdownToDocument, type DocumentJSON } from "~/domain/documents/index.server";
import { ignoredReason } from "./files.server";
import { isCalendarDate, MAX_DECIDERS, MAX_TAGS, normalizeTags, parseDecisionReference, splitList } from "../rules";

// ---------------------------------------------------------------------------------------------
// Parsing one file

export type PairLinkKind = "supersedes" | "superseded_by" | "amends" | "amended_by";
export type ExternalLinkKind = "informed_by" | "implements" | "pull_request";
/** A link as written in the file: the words and, for a Markdown link, its address. */
export type RawLink = { kind: PairLinkKind | ExternalLinkKind; text: string; href: string | null };

export type ParsedAdr = {
  path: string;
  /** From the front matter, file name, title or folder; null means "use the import's default". */
  kind: DecisionKind | null;
  /** The number the source gave the record (front matter id, file name or title), if any. */
  sourceNumber: number | null;
  title: string;
  status: DecisionStatus;
  decidedOn: string | null;
  deciders: string[];
  tags: string[];
  body: DocumentJSON;
  bodyText: string;
  /** Front-matter fields the app does not model, kept for the export. */
  frontMatter: Record<string, unknown>;
  links: RawLink[];
  warnings: string[];
  /** Orders unnumbered files: their date, then their path. */
  sortKey: string;
};

export type ParsedFile =
  | { path: string; outcome: "parsed"; adr: ParsedAdr }
  | { path: string; outcome: "error"; error: string }
  | { path: string; outcome: "ignored"; reason: string };

const MAX_TITLE = 200;
const MAX_LINKS = 100;

/** Known front-matter keys; everything else is kept as it was. */
const KNOWN_KEYS = new Set([
  "id",
  "kind",
  "title",
  "status",
  "date",
  "decision-makers",
  "decision_makers",
  "deciders",
  "tags",
  "supersedes",
  "superseded-by",
  "superseded_by",
  "amends",
  "amended-by",
  "amended_by",
  "incidents",
  "informed-by",
  "implements",
  "pull-requests",
  "pull_requests",
]);

const LINK_KEYS: Record<string, RawLink["kind"]> = {
  supersedes: "supersedes",
  "superseded-by": "superseded_by",
  superseded_by: "superseded_by",
  amends: "amends",
  "amended-by": "amended_by",
  amended_by: "amended_by",
  incidents: "informed_by",
  "informed-by": "informed_by",
  implements: "implements",
  "pull-requests": "pull_request",
  pull_requests: "pull_request",
};

class FileError extends Error {}

/** Reads one file. Never throws for bad input: a file that can't be read is an error value. */
export function parseAdrFile(filePath: string, source: string): ParsedFile {
  const ignored = ignoredReason(filePath);
  if (ignored) return { path: filePath, outcome: "ignored", reason: ignored };
  try {
    return { path: filePath, outcome: "parsed", adr: parse(filePath, source) };
  } catch (error) {
    if (error instanceof FileError) return { path: filePath, outcome: "error", error: error.message };
    throw error;
  }
}

function parse(filePath: string, source: string): ParsedAdr {
  const warnings: string[] = [];
  let text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new FileError("This is not a text file: it holds control characters.");
  if (!text.trim()) throw new FileError("The file is empty.");

  const { fields, rest } = readFrontMatter(text);
  text = rest;
  const file = fileNameFacts(filePath);
  const lines = text.split("\n");

  // "# Title" (or a setext title) on the first line with text.
  let h1: string | null = null;
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first >= 0) {
    const atx = /^#[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(lines[first]!);
    if (atx) {
      h1 = atx[1]!;
      lines.splice(first, 1);
    } else if (/^=+\s*$/.test(lines[first + 1] ?? "")) {
      h1 = lines[first]!.trim();
      lines.splice(first, 2);
    }
  }
  const fromTitle = h1 ? titleFacts(h1) : null;

  const preamble = readPreamble(lines);
  const statusSection = readStatusSection(lines);

  // Status: front matter, then the preamble list, then a "## Status" section.
  const links: RawLink[] = [...statusSection.links];
  let status: DecisionStatus | null = null;
  let statusWords: string | null = null;
  const fmStatus = fields.status === undefined || fields.status === null ? null : String(fields.status);
  for (const candidate of [fmStatus, preamble.status, statusSection.status]) {
    if (candidate === null) continue;
    const read = readStatusText(candidate);
    links.push(...read.links);
    if (!status && read.status) status = read.status;
    statusWords ??= read.status ? null : candidate;
  }
  if (!status && links.some((l) => l.kind === "superseded_by")) status = "superseded";
  if (!status) {
    if (statusWords) warnings.push(`The status "${clip(statusWords)}" is not one of proposed, accepted, rejected, deprecated, superseded; it was imported as proposed.`);
    else warnings.push("No status was found; it was imported as proposed.");
    status = "proposed";
  }

  // Kind and number: front matter id, then the file name, then the title, then the folder.
  const fmId = fields.id;
  let kind: DecisionKind | null = null;
  let sourceNumber: number | null = null;
  if (fmId !== undefined && fmId !== null) {
    const id = parseDecisionReference(String(fmId));
    if (id) ({ kind, number: sourceNumber } = id);
    else if (/^\d{1,9}$/.test(String(fmId))) sourceNumber = Number(fmId);
    else warnings.push(`The id "${clip(String(fmId))}" is not like ADR-7 or RFC-2; it was left out.`);
  }
  if (typeof fields.kind === "string" && /^(adr|rfc)$/i.test(fields.kind)) kind ??= fields.kind.toLowerCase() as DecisionKind;
  kind ??= file.kind ?? fromTitle?.kind ?? file.folderKind;
  if (sourceNumber !== null && file.number !== null && file.number !== sourceNumber) {
    warnings.push(`The file name says ${file.number}, the front matter says ${sourceNumber}; ${sourceNumber} is used.`);
  }
  sourceNumber ??= file.number ?? fromTitle?.number ?? null;

  // Title: front matter, then the heading, then the file name.
  let title = typeof fields.title === "string" && fields.title.trim() ? fields.title.trim() : (fromTitle?.title ?? "");
  const fmTitle = typeof fields.title === "string" ? squash(fields.title) : "";
  if (h1 !== null && fmTitle && squash(fromTitle!.title) !== fmTitle && squash(h1) !== fmTitle) {
    // The heading says something else than the front matter's title: keep it in the body.
    lines.unshift(`# ${h1}`, "");
  }
  if (!title) {
    title = file.titleFromName;
    if (!title) throw new FileError("There is no title: no front-matter title, no # heading, and nothing in the file name.");
    warnings.push("No # heading was found; the title comes from the file name.");
  }
  title = title.replace(/\s+/g, " ").trim();
  if (title.length > MAX_TITLE) {
    warnings.push(`The title is longer than ${MAX_TITLE} characters and was shortened.`);
    title = `${title.slice(0, MAX_TITLE - 1)}…`;
  }

  // Date: front matter, then the preamble, then a date in the file name.
  let decidedOn: string | null = null;
  for (const [value, where] of [
    [fields.date, "front matter"],
    [preamble.date, "file"],
  ] as const) {
    if (decidedOn || value === undefined || value === null || value === "") continue;
    decidedOn = readDate(value);
    if (!decidedOn) warnings.push(`The date "${clip(String(value))}" in the ${where} is not a calendar date (YYYY-MM-DD); it was left out.`);
  }
  decidedOn ??= file.date;

  let deciders = splitList(itemsOf(fields["decision-makers"] ?? fields["decision_makers"] ?? fields.deciders ?? preamble.deciders ?? []));
  deciders = deciders.map((d) => d.slice(0, 100));
  if (deciders.length > MAX_DECIDERS) {
    warnings.push(`More than ${MAX_DECIDERS} deciders; the first ${MAX_DECIDERS} were kept.`);
    deciders = deciders.slice(0, MAX_DECIDERS);
  }
  let tags = normalizeTags(itemsOf(fields.tags ?? preamble.tags ?? []));
  if (tags.length > MAX_TAGS) {
    warnings.push(`More than ${MAX_TAGS} tags; the first ${MAX_TAGS} were kept.`);
    tags = tags.slice(0, MAX_TAGS);
  }

  for (const [key, kindOfLink] of Object.entries(LINK_KEYS)) {
    for (const item of listOf(fields[key] ?? [])) links.push(...targetsIn(item).map((t) => ({ kind: kindOfLink, ...t })));
  }
  if (links.length > MAX_LINKS) {
    warnings.push(`More than ${MAX_LINKS} links; the first ${MAX_LINKS} were kept.`);
    links.length = MAX_LINKS;
  }

  const frontMatter: Record<string, unknown> = { ...preamble.extra };
  for (const [key, value] of Object.entries(fields)) if (!KNOWN_KEYS.has(key.toLowerCase())) frontMatter[key] = value;

  let body: DocumentJSON;
  try {
    body = markdownToDocument(lines.join("\n").trim());
  } catch (error) {
    if (error instanceof RangeError) throw new FileError(`The Markdown could not be read: ${error.message}`);
    throw error;
  }
  return {
    path: filePath,
    kind,
    sourceNumber,
    title,
    status,
    decidedOn,
    deciders,
    tags,
    body,
    bodyText: documentText(body),
    frontMatter,
    links,
    warnings,
    sortKey: `${decidedOn ?? file.date ?? "9999-99-99"} ${filePath}`,
  };
}

function readFrontMatter(text: string): { fields: Record<string, unknown>; rest: string } {
  if (!/^---[ \t]*\n/.test(text)) return { fields: {}, rest: text };
  const match = /^---[ \t]*\n([\s\S]*?)\n?(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (!match) throw new FileError("The front matter starts with --- but has no closing --- line.");
  const doc = parseYaml(match[1]!, { uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const where = problem.linePos?.[0] ? ` (front matter line ${problem.linePos[0].line})` : "";
    throw new FileError(`The front matter is not valid YAML${where}: ${problem.message.split("\n")[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 20 });
  } catch (error) {
    throw new FileError(`The front matter could not be read: ${error instanceof Error ? error.message.split("\n")[0] : "unknown problem"}`);
  }
  if (value === null || value === undefined) return { fields: {}, rest: text.slice(match[0].length) };
  if (typeof value !== "object" || Array.isArray(value)) throw new FileError("The front matter must be a list of key: value lines.");
  const fields: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) fields[key.trim()] = v;
  // Known keys are matched case-insensitively ("Status:" in some hand-written files).
  for (const key of Object.keys(fields)) {
    const lower = key.toLowerCase();
    if (lower !== key && KNOWN_KEYS.has(lower) && !(lower in fields)) {
      fields[lower] = fields[key];
      delete fields[key];
    }
  }
  return { fields, rest: text.slice(match[0].length) };
}

type FileNameFacts = { kind: DecisionKind | null; folderKind: DecisionKind | null; number: number | null; date: string | null; titleFromName: string };

function fileNameFacts(filePath: string): FileNameFacts {
  const segments = filePath.split("/").filter(Boolean);
  const base = (segments.pop() ?? "").replace(/\.(md|markdown)$/i, "");
  const folder = segments.map((s) => s.toLowerCase());
  const folderKind: DecisionKind | null = folder.some((s) => /^rfcs?$/.test(s)) ? "rfc" : folder.some((s) => /^(adrs?|decisions?)$/.test(s)) ? "adr" : null;
  let rest = base;
  let date: string | null = null;
  let number: number | null = null;
  let kind: DecisionKind | null = null;
  const dated = /^(\d{4})-?(\d{2})-?(\d{2})(?=[-_ ]|$)[-_ ]*/.exec(rest);
  if (dated && isCalendarDate(`${dated[1]}-${dated[2]}-${dated[3]}`)) {
    date = `${dated[1]}-${dated[2]}-${dated[3]}`;
    rest = rest.slice(dated[0].length);
  } else {
    const numbered = /^(?:(adr|rfc)[-_ ]?)?0*(\d{1,6})(?=[-_ .]|$)[-_ .]*/i.exec(rest);
    if (numbered && Number(numbered[2]) > 0) {
      number = Number(numbered[2]);
      kind = numbered[1] ? (numbered[1].toLowerCase() as DecisionKind) : null;
      rest = rest.slice(numbered[0].length);
    }
  }
  const words = rest.replace(/[-_]+/g, " ").trim();
  return { kind, folderKind, number, date, titleFromName: words ? words[0]!.toUpperCase() + words.slice(1) : "" };
}

/** "1. Record architecture decisions", "ADR-0007: Use Postgres", "RFC 2 - Retire the monolith". */
function titleFacts(heading: string): { kind: DecisionKind | null; number: number | null; title: string } {
  const text = heading.trim();
  const prefixed = /^(adr|rfc)[-_ ]?0*(\d{1,6})\s*[:.\-–—)]?\s+(.+)$/i.exec(text);
  if (prefixed) return { kind: prefixed[1]!.toLowerCase() as DecisionKind, number: Number(prefixed[2]), title: prefixed[3]!.trim() };
  const numbered = /^0*(\d{1,6})\s*[.:)\-–—]\s+(.+)$/.exec(text);
  if (numbered && Number(numbered[1]) > 0) return { kind: null, number: Number(numbered[1]), title: numbered[2]!.trim() };
  return { kind: null, number: null, title: text };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const META_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?(status|date|deciders|decision[- _]makers|tags|consulted|informed)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$/i;

type Preamble = { status: string | null; date: string | null; deciders: string | null; tags: string | null; extra: Record<string, string> };

/**
 * MADR 2 and Nygard metadata between the title and the first section: "- Status: accepted",
 * "Date: 2018-02-15". Those lines leave the body; everything else stays.
 */
function readPreamble(lines: string[]): Preamble {
  const found: Preamble = { status: null, date: null, deciders: null, tags: null, extra: {} };
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    if (HEADING.test(line)) break;
    const meta = META_LINE.exec(line);
    if (!meta) continue;
    const key = meta[1]!.toLowerCase().replace(/[ _]/g, "-");
    const value = meta[2]!.replace(/(\*\*|__)$/, "").trim();
    if (key === "status") found.status ??= value;
    else if (key === "date") found.date ??= value;
    else if (key === "deciders" || key === "decision-makers") found.deciders ??= value;
    else if (key === "tags") found.tags ??= value.replace(/\]\s*\[/g, ", ").replace(/[[\]]/g, "");
    else found.extra[key] = value;
    lines.splice(i, 1);
    i--;
  }
  return found;
}

/** A "## Status" section (Nygard, adr-tools): its status word and link lines leave the body. */
function readStatusSection(lines: string[]): { status: DecisionStatus | null; links: RawLink[] } {
  let fence: string | null = null;
  let start = -1;
  let level = 0;
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
    const heading = HEADING.exec(lines[i]!);
    if (heading && /^status:?$/i.test(heading[2]!.trim())) {
      start = i;
      level = heading[1]!.length;
      break;
    }
  }
  if (start < 0) return { status: null, links: [] };
  let end = start + 1;
  while (end < lines.length) {
    const heading = HEADING.exec(lines[end]!);
    if (heading && heading[1]!.length <= level) break;
    end++;
  }
  let status: DecisionStatus | null = null;
  const links: RawLink[] = [];
  const notes: string[] = [];
  for (const raw of lines.slice(start + 1, end)) {
    const line = raw.replace(/^\s*[-*+]\s+/, "").trim();
    if (!line) continue;
    const read = readStatusText(line);
    // A line that says nothing we read, or a second status, stays in the text as a note.
    if (read.links.length === 0 && (!read.status || status !== null)) {
      notes.push(raw);
      continue;
    }
    links.push(...read.links);
    status ??= read.status;
  }
  const replacement = notes.length > 0 ? [`${"#".repeat(level)} Status notes`, "", ...notes, ""] : [];
  lines.splice(start, end - start, ...replacement);
  return { status, links };
}

const STATUS_WORDS: Record<string, DecisionStatus> = {
  proposed: "proposed",
  draft: "proposed",
  open: "proposed",
  pending: "proposed",
  review: "proposed",
  discussion: "proposed",
  accepted: "accepted",
  approved: "accepted",
  adopted: "accepted",
  decided: "accepted",
  active: "accepted",
  implemented: "accepted",
  rejected: "rejected",
  declined: "rejected",
  withdrawn: "rejected",
  deprecated: "deprecated",
  obsolete: "deprecated",
  retired: "deprecated",
  superseded: "superseded",
  superceded: "superseded",
  replaced: "superseded",
};

const LINK_PHRASE = /\b(supersedes|superseded\s+by|superceded\s+by|replaced\s+by|amends|amended\s+by)\b\s*:?\s*/gi;

/**
 * "Accepted", "superseded by [ADR-0005](0005-example.md)", "Accepted. Supersedes ADR-2": the
 * status and any typed links in a status line.
 */
function readStatusText(text: string): { status: DecisionStatus | null; links: RawLink[] } {
  const clean = text.trim();
  const word = /^[^\p{L}]*(\p{L}+)/u.exec(clean)?.[1]?.toLowerCase() ?? "";
  const status = STATUS_WORDS[word] ?? null;
  const links: RawLink[] = [];
  const phrases = [...clean.matchAll(LINK_PHRASE)];
  phrases.forEach((phrase, i) => {
    const from = phrase.index! + phrase[0].length;
    const to = phrases[i + 1]?.index ?? clean.length;
    const words = phrase[1]!.toLowerCase().replace(/\s+/g, " ");
    const kind: PairLinkKind =
      words === "supersedes" ? "supersedes" : words === "amends" ? "amends" : words === "amended by" ? "amended_by" : "superseded_by";
    links.push(...targetsIn(clean.slice(from, to)).map((t) => ({ kind, ...t })));
  });
  return { status, links };
}

const MD_LINK = /\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_WORD = /\b(?:adr|rfc|inc|act)[-_ ]?\d{1,9}\b|\bgate:[0-9a-f-]{36}\b|https?:\/\/[^\s,;)]+|[\w./-]+\.(?:md|markdown)\b/gi;

/** The targets named in a bit of text: Markdown links, ADR-n / INC-n / ACT-n / GATE:<id>, URLs, file names, bare numbers. */
function targetsIn(value: unknown): Array<{ text: string; href: string | null }> {
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

/** A YAML list as it is, or one string still to be split on commas ("Ana, Ben"). */
function itemsOf(value: unknown): string | string[] {
  return typeof value === "string" ? value : listOf(value);
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === "string" || typeof v === "number" ? [String(v)] : []));
  if (typeof value === "string") return [value];
  if (typeof value === "number") return [String(value)];
  return [];
}

/** "2021-03-04", "2021/03/04", "2021-03-04T10:00:00Z" → "2021-03-04"; null otherwise. */
function readDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== "string") return null;
  const match = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!match) return null;
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  return isCalendarDate(date) ? date : null;
}

export function squash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

export function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
