/**
 * Reads Markdown decision records in the shapes real repositories keep them. Pure: no database;
 * plan.server.ts decides what an import of the parsed files does.
 *
 * Shapes understood (see test/unit/adr-import.test.ts and test/fixtures/markdown/ for each):
 * - MADR 4 and 3: YAML front matter (status, date, decision-makers or deciders, consulted,
 *   informed, tags), then "# Title". MADR 3's status may read "superseded by [ADR-0005](0005-x.md)".
 *   Front matter YAML refuses is read line by line, with a warning (front-matter.server.ts).
 * - MADR 2 and log4brains: "# Title" then a list "- Status: …", "- Deciders: …", "- Date: …",
 *   "- Tags: [a] [b]" before the first section.
 * - Nygard and adr-tools: "# 1. Title", "Date: …", a "## Status" section whose lines may say
 *   "Supersedes [2. X](0002-x.md)", "Superseded by …" (also adr-tools' "Superceded by"),
 *   "Amends …", "Amended by …".
 * - A metadata table at the top ("| Status | Date | Author(s) |"), kept in the body.
 * - Hindsight's own export: MADR 4 front matter plus id, tags and typed links.
 * File names: "0007-title.md", "ADR-0007-title.md", "adr_7_title.md", "2021-03-04-title.md",
 * "20210304-title.md" (log4brains); "0000-…" is number 0. Links between files (relative paths or
 * ADR-n references) become typed links; links in the body to other imported files become links to
 * their records.
 *
 * The file's text is kept with the record, and each block of the body knows the slice it came
 * from: an unedited record exports byte for byte as it was imported (docs/decisions/0022).
 */
import type { DecisionKind, DecisionStatus } from "#db/schema";
import { documentText, guidanceFromComments, readMarkdownDocument, type DocumentJSON, type MarkdownStyle, type SourceRange } from "~/domain/documents/index.server";
import { FileError } from "./errors.server";
import { ignoredReason } from "./files.server";
import { KNOWN_KEYS, readFrontMatter } from "./front-matter.server";
import { blank, readMetadataTable, readPreamble, readStatusSection, readStatusText, targetsIn, type RawLink } from "./metadata.server";
import { clip, fileNameFacts, readDate, squash, titleFacts } from "./names.server";
import { MAX_DECIDERS, MAX_TAGS, normalizeTags, parseDecisionReference, splitList } from "../rules";

export type { ExternalLinkKind, PairLinkKind, RawLink } from "./metadata.server";
export { clip, squash } from "./names.server";

/** The file as it was uploaded, and where the body's blocks came from in it. */
export type ParsedSource = { text: string; ranges: Array<SourceRange | null>; style: MarkdownStyle };

export type ParsedAdr = {
  path: string;
  /** From the front matter, file name, title or folder; null means "use the import's default". */
  kind: DecisionKind | null;
  /** The number the source gave the record (front matter id, file name or title), if any; 0 counts. */
  sourceNumber: number | null;
  title: string;
  status: DecisionStatus;
  /** The status as the file wrote it, when that is not simply one of the five ("On hold"). */
  statusWord: string | null;
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
  source: ParsedSource;
};

export type ParsedFile =
  | { path: string; outcome: "parsed"; adr: ParsedAdr }
  | { path: string; outcome: "error"; error: string }
  | { path: string; outcome: "ignored"; reason: string };

const MAX_TITLE = 200;
const MAX_LINKS = 100;

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
  const text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new FileError("This is not a text file: it holds control characters.");
  if (!text.trim()) throw new FileError("The file is empty.");

  // Everything read as metadata is blanked in `lines`, which stay as long as the text.
  const lines = text.split("\n");
  const frontMatter = readFrontMatter(text);
  if (frontMatter.warning) warnings.push(frontMatter.warning);
  for (let i = 0; i < frontMatter.lineCount; i++) blank(lines, i);
  const fields = frontMatter.fields;
  const file = fileNameFacts(filePath);

  // "# Title" (or a setext title) on the first line with text.
  let h1: string | null = null;
  let h1Lines: number[] = [];
  const first = firstTextLine(lines);
  if (first >= 0) {
    const atx = /^#[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(lines[first]!);
    if (atx) [h1, h1Lines] = [atx[1]!, [first]];
    else if (/^=+\s*$/.test(lines[first + 1] ?? "")) [h1, h1Lines] = [lines[first]!.trim(), [first, first + 1]];
  }
  // "# Drop the XML API <!-- was: Kill SOAP -->": the comment is no part of the title.
  const fromTitle = h1 ? titleFacts(h1.replace(/<!--[\s\S]*?-->/g, " ").replace(/\s+/g, " ")) : null;
  const fmTitle = typeof fields.title === "string" ? squash(fields.title) : "";
  // A heading that says something else than the front matter's title stays in the body.
  if (!(h1 !== null && fmTitle && squash(fromTitle!.title) !== fmTitle && squash(h1) !== fmTitle)) for (const i of h1Lines) blank(lines, i);

  const preamble = readPreamble(lines);
  const fmStatus = fields.status === undefined || fields.status === null ? null : String(fields.status);
  const table = fmStatus === null && preamble.status === null ? readMetadataTable(lines) : { status: null, date: null, deciders: null };
  const statusSection = readStatusSection(lines, fmStatus !== null || preamble.status !== null || table.status !== null);

  const { status: statusRead, statusWord, links } = readStatus([fmStatus, preamble.status, table.status, statusSection.status], warnings);
  links.unshift(...statusSection.links);
  const { kind, sourceNumber } = readKindAndNumber(fields, file, fromTitle, warnings);

  // Title: front matter (when it could be read as YAML), then the heading, then the file name.
  let title = typeof fields.title === "string" && fields.title.trim() ? fields.title.trim() : (fromTitle?.title ?? "");
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

  // Date: front matter, then the preamble or table, then a date in the file name.
  let decidedOn: string | null = null;
  for (const [value, where] of [
    [fields.date, "front matter"],
    [preamble.date ?? table.date, "file"],
  ] as const) {
    if (decidedOn || value === undefined || value === null || value === "") continue;
    decidedOn = readDate(value);
    if (!decidedOn) warnings.push(`The date "${clip(String(value))}" in the ${where} is not a calendar date (YYYY-MM-DD); it was left out.`);
  }
  decidedOn ??= file.date;

  let deciders = splitList(itemsOf(fields["decision-makers"] ?? fields["decision_makers"] ?? fields.deciders ?? preamble.deciders ?? table.deciders ?? []));
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
  // A record that names what superseded it, and no status, is superseded.
  let status = statusRead ?? (links.some((l) => l.kind === "superseded_by") ? "superseded" : null);
  if (!status) {
    warnings.push("No status was found; it was imported as proposed.");
    status = "proposed";
  }
  if (links.length > MAX_LINKS) {
    warnings.push(`More than ${MAX_LINKS} links; the first ${MAX_LINKS} were kept.`);
    links.length = MAX_LINKS;
  }

  const extra: Record<string, unknown> = { ...preamble.extra };
  for (const [key, value] of Object.entries(fields)) if (!KNOWN_KEYS.has(key.toLowerCase())) extra[key] = value;

  let read: ReturnType<typeof readMarkdownDocument>;
  try {
    read = readMarkdownDocument(lines.join("\n"));
    // A section's template guidance, as exported (ADR 25), becomes the heading's placeholder again.
    read = { ...read, doc: guidanceFromComments(read.doc) };
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
    statusWord,
    decidedOn,
    deciders,
    tags,
    body: read.doc,
    bodyText: documentText(read.doc),
    frontMatter: extra,
    links,
    warnings,
    sortKey: `${decidedOn ?? file.date ?? "9999-99-99"} ${filePath}`,
    source: { text: source, ranges: read.ranges, style: read.style },
  };
}

/** The first line with words, past blank lines and HTML comments ("<!-- Template: MADR 4 -->"). */
function firstTextLine(lines: string[]): number {
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (inComment) {
      const close = line.indexOf("-->");
      if (close < 0) continue;
      inComment = false;
      line = line.slice(close + 3);
    }
    line = line.replace(/<!--[\s\S]*?-->/g, "");
    if (line.includes("<!--")) {
      inComment = true;
      line = line.slice(0, line.indexOf("<!--"));
    }
    if (line.trim() !== "") return i;
  }
  return -1;
}

/** Status: front matter, then the preamble, a metadata table, then a "## Status" section. */
function readStatus(candidates: Array<string | null>, warnings: string[]): { status: DecisionStatus | null; statusWord: string | null; links: RawLink[] } {
  const links: RawLink[] = [];
  let found: ReturnType<typeof readStatusText> | null = null;
  for (const candidate of candidates) {
    if (candidate === null) continue;
    const read = readStatusText(candidate);
    links.push(...read.links);
    if (!found && read.status) found = read;
  }
  if (!found) return { status: null, statusWord: null, links };
  if (!found.known && found.word) {
    warnings.push(`The status "${clip(found.word)}" is not one of proposed, accepted, rejected, deprecated, superseded; it is shown as proposed, with its own words, and exported as written.`);
  }
  return { status: found.status!, statusWord: found.word, links };
}

/** Kind and number: front matter id, then the file name, then the title, then the folder. */
function readKindAndNumber(
  fields: Record<string, unknown>,
  file: ReturnType<typeof fileNameFacts>,
  fromTitle: ReturnType<typeof titleFacts> | null,
  warnings: string[],
): { kind: DecisionKind | null; sourceNumber: number | null } {
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
  return { kind, sourceNumber };
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
