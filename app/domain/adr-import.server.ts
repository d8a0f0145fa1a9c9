/**
 * Reads Markdown decision records in the shapes real repositories keep them, and plans their
 * import. Pure: no database. The caller passes what the workspace already holds.
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
import { createHash } from "node:crypto";
import path from "node:path/posix";
import { parseDocument as parseYaml } from "yaml";
import type { DecisionKind, DecisionStatus } from "#db/schema";
import {
  decisionReference,
  isCalendarDate,
  MAX_DECIDERS,
  MAX_TAGS,
  normalizeTags,
  parseDecisionReference,
  parseLinkTarget,
  splitList,
  type LinkTargetRef,
} from "./decision-rules";
import { reachable, type ResolvedTarget } from "./decisions.server";
import { documentText, markdownToDocument, type DocumentJSON } from "./documents.server";
import type { DocumentNodeJSON } from "~/editor/extensions";

// ---------------------------------------------------------------------------------------------
// Files

/** What an upload holds once unpacked: the text of a Markdown file, or why it can't be read or is skipped. */
export type StagedFile = { path: string; text?: string; error?: string; ignored?: string };

/** Files in an ADR folder that are not records: READMEs, indexes, templates, hidden and system files. */
export function ignoredReason(filePath: string): string | null {
  const segments = filePath.split("/").filter(Boolean);
  const name = (segments[segments.length - 1] ?? "").toLowerCase();
  if (segments.some((s) => s.startsWith(".") || s === "__MACOSX")) return "A hidden or system file.";
  if (!/\.(md|markdown)$/.test(name)) return "Not a Markdown file.";
  if (/^(readme|index|summary|toc|contents)\.(md|markdown)$/.test(name)) return "An index or README, not a decision record.";
  if (name.includes("template")) return "A template, not a decision record.";
  return null;
}

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
export function readStatusText(text: string): { status: DecisionStatus | null; links: RawLink[] } {
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

function squash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Planning an import

export type ExistingDecision = { id: string; kind: DecisionKind; number: number; title: string; bodyText: string; status: DecisionStatus };

export type ImportContext = {
  /** Kind of the records whose files don't say. */
  defaultKind: DecisionKind;
  existing: ExistingDecision[];
  /** Links already stored between records, newer → older, as record ids. */
  existingPairs: Array<{ kind: "supersedes" | "amends"; newer: string; older: string }>;
  /** The last number handed out per kind (workspace_counters). */
  counters: Record<DecisionKind, number>;
  /** Incidents, actions and gates the files name, resolved in the workspace (missing ones absent). */
  targets: Map<string, ResolvedTarget>;
};

/** A record the plan creates or one that is already in the workspace. */
export type Endpoint = { type: "new"; index: number } | { type: "existing"; id: string };

export type PlannedRecord = {
  path: string;
  kind: DecisionKind;
  number: number;
  ref: string;
  title: string;
  status: DecisionStatus;
  priorStatus: Exclude<DecisionStatus, "superseded"> | null;
  decidedOn: string | null;
  deciders: string[];
  tags: string[];
  body: DocumentJSON;
  bodyText: string;
  frontMatter: Record<string, unknown>;
};

export type PlannedPair = { kind: "supersedes" | "amends"; newer: Endpoint; older: Endpoint; newerRef: string; olderRef: string };
export type PlannedExternal = { index: number; kind: ExternalLinkKind; target: ResolvedTarget };

export type FileReport = {
  path: string;
  outcome: "create" | "duplicate" | "error" | "ignored";
  ref?: string;
  /** The number the file gave itself, when it is not the one it gets here. */
  sourceRef?: string;
  title?: string;
  status?: DecisionStatus;
  decidedOn?: string | null;
  tags?: string[];
  duplicateOf?: string;
  links: string[];
  errors: string[];
  warnings: string[];
};

export type ImportPlan = {
  files: FileReport[];
  records: PlannedRecord[];
  pairs: PlannedPair[];
  externals: PlannedExternal[];
  /** Records already in the workspace that this import marks superseded. */
  supersedesExisting: Array<{ id: string; ref: string; title: string; from: DecisionStatus }>;
  counts: { create: number; duplicate: number; error: number; ignored: number; links: number; warnings: number };
  /** Changes when anything the import would do changes: the import step compares it with the preview's. */
  hash: string;
};

/** The kinds of target a file names outside the decision log, for the caller to look up first. */
export function externalReferences(files: ParsedFile[]): ExternalTargetRef[] {
  const refs: ExternalTargetRef[] = [];
  for (const file of files) {
    if (file.outcome !== "parsed") continue;
    for (const link of file.adr.links) {
      if (link.kind === "informed_by" || link.kind === "implements" || link.kind === "pull_request") {
        const parsed = parseLinkTarget(link.kind, link.href ?? link.text);
        if (parsed.ok && parsed.target.type !== "decision") refs.push(parsed.target);
      }
    }
  }
  return refs;
}
export type ExternalTargetRef = Exclude<LinkTargetRef, { type: "decision" }>;

const VERB: Record<PairLinkKind, string> = { supersedes: "supersedes", superseded_by: "is superseded by", amends: "amends", amended_by: "is amended by" };

/**
 * Decides what an import does, file by file: which records are created and with which numbers,
 * which files duplicate records already here, which typed links are written, and what each file's
 * problems are. Imported records keep their own numbers when those are free, so "ADR-7" in commit
 * messages still means the same record; a taken number moves the record past the highest in use.
 */
export function planImport(parsedFiles: ParsedFile[], ctx: ImportContext): ImportPlan {
  const files = [...parsedFiles].sort((a, b) => a.path.localeCompare(b.path));
  const reports: FileReport[] = files.map((f) =>
    f.outcome === "parsed"
      ? { path: f.path, outcome: "create", title: f.adr.title, status: f.adr.status, decidedOn: f.adr.decidedOn, tags: f.adr.tags, links: [], errors: [], warnings: [...f.adr.warnings] }
      : f.outcome === "error"
        ? { path: f.path, outcome: "error", links: [], errors: [f.error], warnings: [] }
        : { path: f.path, outcome: "ignored", links: [], errors: [], warnings: [f.reason] },
  );
  const adrs = files.map((f) => (f.outcome === "parsed" ? f.adr : null));
  const kindOf = (i: number) => adrs[i]!.kind ?? ctx.defaultKind;
  const existingByNumber = new Map(ctx.existing.map((e) => [`${e.kind}-${e.number}`, e]));
  const existingByTitle = new Map<string, ExistingDecision>();
  for (const e of ctx.existing) existingByTitle.set(`${e.kind}|${squash(e.title)}|${squash(e.bodyText)}`, e);

  // 1. Duplicates: of a record already here (same number and title, or same title and text), or of an earlier file.
  const endpointOf = new Map<number, Endpoint>();
  const duplicateTarget = new Map<number, number>(); // file index → file index it repeats
  const seen = new Map<string, number>();
  adrs.forEach((adr, i) => {
    if (!adr) return;
    const kind = kindOf(i);
    const byNumber = adr.sourceNumber !== null ? existingByNumber.get(`${kind}-${adr.sourceNumber}`) : undefined;
    const existing =
      byNumber && squash(byNumber.title) === squash(adr.title) ? byNumber : existingByTitle.get(`${kind}|${squash(adr.title)}|${squash(adr.bodyText)}`);
    if (existing) {
      endpointOf.set(i, { type: "existing", id: existing.id });
      Object.assign(reports[i]!, { outcome: "duplicate", duplicateOf: decisionReference(existing.kind, existing.number), ref: undefined });
      return;
    }
    const keys = [adr.sourceNumber !== null ? `${kind}#${adr.sourceNumber}|${squash(adr.title)}` : null, `${kind}|${squash(adr.title)}|${squash(adr.bodyText)}`];
    const earlier = keys.map((k) => (k ? seen.get(k) : undefined)).find((v) => v !== undefined);
    if (earlier !== undefined) {
      duplicateTarget.set(i, earlier);
      Object.assign(reports[i]!, { outcome: "duplicate", duplicateOf: files[earlier]!.path });
      return;
    }
    for (const k of keys) if (k) seen.set(k, i);
  });

  // 2. Numbers: a file's own number when it is free, otherwise the next past everything in use.
  const claimed: Record<DecisionKind, Map<number, string>> = { adr: new Map(), rfc: new Map() };
  for (const e of ctx.existing) claimed[e.kind].set(e.number, `"${e.title}"`);
  const creating = adrs.map((adr, i) => (adr && reports[i]!.outcome === "create" ? i : -1)).filter((i) => i >= 0);
  const numberOf = new Map<number, number>();
  for (const i of creating) {
    const n = adrs[i]!.sourceNumber;
    if (n !== null && !claimed[kindOf(i)].has(n)) {
      numberOf.set(i, n);
      claimed[kindOf(i)].set(n, files[i]!.path);
    }
  }
  const unnumbered = creating.filter((i) => !numberOf.has(i)).sort((a, b) => adrs[a]!.sortKey.localeCompare(adrs[b]!.sortKey));
  for (const i of unnumbered) {
    const kind = kindOf(i);
    const next = Math.max(ctx.counters[kind], 0, ...claimed[kind].keys()) + 1;
    const wanted = adrs[i]!.sourceNumber;
    if (wanted !== null) {
      reports[i]!.sourceRef = decisionReference(kind, wanted);
      reports[i]!.warnings.push(`${decisionReference(kind, wanted)} is already used by ${claimed[kind].get(wanted)}; this record becomes ${decisionReference(kind, next)}.`);
    }
    numberOf.set(i, next);
    claimed[kind].set(next, files[i]!.path);
  }

  const records: PlannedRecord[] = [];
  for (const i of creating) {
    const adr = adrs[i]!;
    const kind = kindOf(i);
    const number = numberOf.get(i)!;
    endpointOf.set(i, { type: "new", index: records.length });
    reports[i]!.ref = decisionReference(kind, number);
    records.push({
      path: adr.path,
      kind,
      number,
      ref: decisionReference(kind, number),
      title: adr.title,
      status: adr.status,
      priorStatus: null,
      decidedOn: adr.decidedOn,
      deciders: adr.deciders,
      tags: adr.tags,
      body: adr.body,
      bodyText: adr.bodyText,
      frontMatter: adr.frontMatter,
    });
  }
  for (const [i, earlier] of duplicateTarget) {
    const target = endpointOf.get(earlier);
    if (target) endpointOf.set(i, target);
  }

  // 3. Finding the record a link names: a file of this import, or a record already here.
  const byPath = new Map<string, number>();
  const byBase = new Map<string, number | null>();
  const bySource = new Map<string, number>();
  files.forEach((f, i) => {
    if (!adrs[i]) return;
    byPath.set(f.path.toLowerCase(), i);
    const base = path.basename(f.path).toLowerCase();
    byBase.set(base, byBase.has(base) ? null : i);
    const n = adrs[i]!.sourceNumber;
    if (n !== null && !bySource.has(`${kindOf(i)}-${n}`)) bySource.set(`${kindOf(i)}-${n}`, i);
  });
  const refOf = (e: Endpoint): string => {
    if (e.type === "new") return records[e.index]!.ref;
    const found = ctx.existing.find((x) => x.id === e.id)!;
    return decisionReference(found.kind, found.number);
  };
  const fileFor = (fromPath: string, href: string): number | undefined => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return undefined;
    const clean = decodeSafely(href.split(/[?#]/)[0]!);
    if (!/\.(md|markdown)$/i.test(clean)) return undefined;
    const joined = path.normalize(path.join(path.dirname(fromPath), clean)).replace(/^(\.\.\/)+/, "").replace(/^\.\//, "");
    return byPath.get(joined.toLowerCase()) ?? byBase.get(path.basename(clean).toLowerCase()) ?? undefined;
  };
  const resolveRecord = (i: number, link: RawLink): Endpoint | null => {
    if (link.href) {
      const file = fileFor(files[i]!.path, link.href);
      if (file !== undefined) return endpointOf.get(file) ?? null;
    }
    const ref = /^\d{1,9}$/.test(link.text) ? { kind: kindOf(i), number: Number(link.text) } : parseDecisionReference(link.text);
    if (!ref) return null;
    const file = bySource.get(`${ref.kind}-${ref.number}`);
    if (file !== undefined) return endpointOf.get(file) ?? null;
    const existing = existingByNumber.get(`${ref.kind}-${ref.number}`);
    return existing ? { type: "existing", id: existing.id } : null;
  };

  // 4. Typed links. Pairs from every readable file (a duplicate may name a new record); outside links from new records only.
  const key = (e: Endpoint) => (e.type === "new" ? `new:${e.index}` : e.id);
  const edges: Array<[string, string]> = ctx.existingPairs.filter((p) => p.kind === "supersedes").map((p) => [p.newer, p.older]);
  const pairKeys = new Set(ctx.existingPairs.map((p) => `${p.kind}|${p.newer}|${p.older}`));
  const pairs: PlannedPair[] = [];
  const externals: PlannedExternal[] = [];
  const externalKeys = new Set<string>();
  const createdReports = new Map(creating.map((i) => [key(endpointOf.get(i)!), reports[i]!]));
  const reportOf = (e: Endpoint) => createdReports.get(key(e));
  adrs.forEach((adr, i) => {
    if (!adr) return;
    const self = endpointOf.get(i);
    if (!self) return;
    for (const link of adr.links) {
      const label = link.text || link.href || "?";
      if (link.kind === "supersedes" || link.kind === "superseded_by" || link.kind === "amends" || link.kind === "amended_by") {
        const other = resolveRecord(i, link);
        if (!other) {
          reports[i]!.warnings.push(`This record ${VERB[link.kind]} "${clip(label)}", which is neither in this import nor in the workspace; that link was left out.`);
          continue;
        }
        if (key(other) === key(self)) continue;
        const reversed = link.kind === "superseded_by" || link.kind === "amended_by";
        const [newer, older] = reversed ? [other, self] : [self, other];
        const forward = link.kind === "supersedes" || link.kind === "superseded_by" ? "supersedes" : "amends";
        const pairKey = `${forward}|${key(newer)}|${key(older)}`;
        if (pairKeys.has(pairKey)) continue;
        if (forward === "supersedes" && reachable(edges, key(older), key(newer))) {
          reports[i]!.warnings.push(`${refOf(older)} already leads to ${refOf(newer)} through supersede links; "${clip(label)}" would make a loop and was left out.`);
          continue;
        }
        pairKeys.add(pairKey);
        if (forward === "supersedes") edges.push([key(newer), key(older)]);
        pairs.push({ kind: forward, newer, older, newerRef: refOf(newer), olderRef: refOf(older) });
        reportOf(newer)?.links.push(`${forward === "supersedes" ? "Supersedes" : "Amends"} ${refOf(older)}`);
        reportOf(older)?.links.push(`${forward === "supersedes" ? "Superseded by" : "Amended by"} ${refOf(newer)}`);
        continue;
      }
      if (self.type !== "new" || reports[i]!.outcome !== "create") continue;
      const parsed = parseLinkTarget(link.kind, link.href ?? link.text);
      if (!parsed.ok || parsed.target.type === "decision") {
        reports[i]!.warnings.push(`"${clip(label)}" is not something a ${link.kind.replace("_", " ")} link can point at; it was left out.`);
        continue;
      }
      const target = ctx.targets.get(parsed.target.ref);
      if (!target) {
        reports[i]!.warnings.push(`${parsed.target.ref} is not in this workspace; that link was left out.`);
        continue;
      }
      const externalKey = `${self.index}|${link.kind}|${target.type}|${target.id}`;
      if (externalKeys.has(externalKey)) continue;
      externalKeys.add(externalKey);
      externals.push({ index: self.index, kind: link.kind, target });
      reports[i]!.links.push(`${link.kind === "informed_by" ? "Informed by" : link.kind === "implements" ? "Implements" : "Pull request"} ${target.ref}`);
    }
  });

  // 5. Superseding sets the older record's status, for new records and ones already here.
  const supersedesExisting: ImportPlan["supersedesExisting"] = [];
  for (const pair of pairs) {
    if (pair.kind !== "supersedes") continue;
    if (pair.older.type === "new") {
      const record = records[pair.older.index]!;
      if (record.status !== "superseded") {
        record.priorStatus = record.status;
        record.status = "superseded";
        const report = reportOf(pair.older);
        if (report) {
          report.status = "superseded";
          report.warnings.push(`It becomes superseded: ${pair.newerRef} supersedes it.`);
        }
      }
    } else {
      const id = pair.older.id;
      const existing = ctx.existing.find((e) => e.id === id)!;
      if (existing.status !== "superseded" && !supersedesExisting.some((s) => s.id === id)) {
        supersedesExisting.push({ id, ref: decisionReference(existing.kind, existing.number), title: existing.title, from: existing.status });
      }
    }
  }

  // 6. Links in the text to other imported files point at their records here.
  records.forEach((record) => {
    record.body = rewriteLinks(record.body, (href) => {
      const file = fileFor(record.path, href);
      const target = file !== undefined ? endpointOf.get(file) : undefined;
      return target ? refOf(target) : null;
    });
  });

  const counts = {
    create: records.length,
    duplicate: reports.filter((r) => r.outcome === "duplicate").length,
    error: reports.filter((r) => r.outcome === "error").length,
    ignored: reports.filter((r) => r.outcome === "ignored").length,
    links: pairs.length + externals.length,
    warnings: reports.filter((r) => r.warnings.length > 0 && r.outcome !== "ignored").length,
  };
  const hash = createHash("sha256")
    .update(
      JSON.stringify({
        records: records.map((r) => [r.path, r.kind, r.number, r.title, r.status]),
        pairs: pairs.map((p) => [p.kind, key(p.newer), key(p.older)]),
        externals: externals.map((e) => [e.index, e.kind, e.target.id]),
        supersedesExisting: supersedesExisting.map((s) => s.id),
      }),
    )
    .digest("hex");
  return { files: reports, records, pairs, externals, supersedesExisting, counts, hash };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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

