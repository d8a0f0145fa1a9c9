/**
 * A decision file's YAML front matter. Front matter that YAML refuses (an unquoted colon in
 * "title: ADR004: Module structure") does not lose the record: its plain "key: value" lines are
 * read as far as they go, with a warning, and the file's own text keeps the front matter as it
 * was for the export.
 */
import { parseDocument as parseYaml } from "yaml";
import { FileError } from "./errors.server";

/** Known front-matter keys; everything else is kept as it was. */
export const KNOWN_KEYS = new Set([
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

export type FrontMatter = {
  fields: Record<string, unknown>;
  /** How many lines of the file the front matter takes, fences included (0 when there is none). */
  lineCount: number;
  /** Set when the front matter could not be read as YAML and was read line by line instead. */
  warning: string | null;
};

const NONE: FrontMatter = { fields: {}, lineCount: 0, warning: null };

export function readFrontMatter(text: string): FrontMatter {
  if (!/^---[ \t]*\n/.test(text)) return NONE;
  const match = /^---[ \t]*\n([\s\S]*?)\n?(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (!match) return { ...NONE, warning: "The file starts with --- but has no closing --- line; it was read as Markdown, without front matter." };
  const lineCount = match[0].replace(/\n$/, "").split("\n").length;
  const raw = match[1]!;
  const doc = parseYaml(raw, { uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const where = problem.linePos?.[0] ? ` (front matter line ${problem.linePos[0].line})` : "";
    return {
      fields: readLineByLine(raw),
      lineCount,
      warning: `The front matter is not valid YAML${where}: ${problem.message.split("\n")[0]}. Its simple "key: value" lines were read, the title comes from the heading or the file name, and the export keeps the front matter as written.`,
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 20 });
  } catch (error) {
    // An alias bomb, or worse: nothing in such a file is worth reading.
    throw new FileError(`The front matter could not be read: ${error instanceof Error ? error.message.split("\n")[0] : "unknown problem"}`);
  }
  if (value === null || value === undefined) return { ...NONE, lineCount };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { fields: {}, lineCount, warning: "The front matter is not a list of key: value lines; it was left out of the record and kept in the export as written." };
  }
  return { fields: normalizeKeys(value as Record<string, unknown>), lineCount, warning: null };
}

/** "status: accepted" lines of front matter YAML refused; a title is never taken from here. */
function readLineByLine(raw: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const line of raw.split("\n")) {
    const pair = /^([A-Za-z][\w -]*?)\s*:\s+(.+?)\s*$/.exec(line);
    if (!pair) continue;
    const key = pair[1]!.trim().toLowerCase();
    if (key === "title" || !KNOWN_KEYS.has(key) || key in fields) continue;
    fields[key] = pair[2]!.replace(/^(["'])(.*)\1$/, "$2");
  }
  return fields;
}

/** Known keys are matched case-insensitively ("Status:" in some hand-written files). */
function normalizeKeys(value: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) fields[key.trim()] = v;
  for (const key of Object.keys(fields)) {
    const lower = key.toLowerCase();
    if (lower !== key && KNOWN_KEYS.has(lower) && !(lower in fields)) {
      fields[lower] = fields[key];
      delete fields[key];
    }
  }
  return fields;
}
