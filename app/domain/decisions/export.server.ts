/**
 * Decision records as Markdown files a team can keep in git: MADR 4 front matter (status, date,
 * decision-makers, and any fields an import brought along) plus the record's stable id and its
 * typed links, then "# Title" and the body. The whole log is a zip: decisions/adr/0007-title.md,
 * decisions/rfc/0001-title.md and a generated decisions/index.md. The same data always gives the
 * same bytes, so re-exporting into a repository changes only what changed. import(export(x)) is x
 * (test/integration/decisions-import.test.ts).
 *
 * An imported record exports under its own file name, and as its own text (docs/decisions/0022):
 * byte for byte while nobody edited it; with only the edited blocks written anew when its body
 * changed; with a new front matter and title (its body kept) when its metadata changed.
 */
import path from "node:path/posix";
import { zipSync, strToU8 } from "fflate";
import { sql } from "kysely";
import { Document, visit } from "yaml";
import type { Db } from "#db/connection";
import type { DecisionKind, DecisionLinkKind, DecisionStatus, DocumentJSON } from "#db/schema";
import { decisionFilePath, decisionReference, DECISION_STATUS_LABELS, parseDecisionReference, type DecisionKey } from "./rules";
import { statusWordFor } from "./status-words";
import {
  bodyUnchanged,
  documentToMarkdown,
  fingerprint,
  mergeBody,
  normalizeSource,
  restoreLineEnds,
  rewriteLinks,
  writeMarkdown,
  type MarkdownSourceMap,
  type MarkdownStyle,
} from "~/domain/documents/index.server";

export type ExportLink = { kind: DecisionLinkKind; ref: string; url: string | null };
/** An imported record's file as uploaded, and where its blocks came from; `meta` hashes its metadata at import. */
export type ExportSource = { text: string; map: MarkdownSourceMap & { meta?: string } };
export type ExportRecord = {
  id?: string;
  kind: DecisionKind;
  number: number;
  title: string;
  status: DecisionStatus;
  /** The status as the imported file wrote it ("On hold"); written back while the status still matches it. */
  statusWord?: string | null;
  decidedOn: string | null;
  deciders: string[];
  tags: string[];
  body: DocumentJSON;
  frontMatter: Record<string, unknown>;
  links: ExportLink[];
  updatedAt: Date;
  /** The imported file's name ("0001-use-cc0-or-mit-as-license.md"); null for records made here. */
  fileName?: string | null;
  source?: ExportSource | null;
};

/** Front-matter names of the typed links, in the order they are written. */
const LINK_FIELDS: Array<[DecisionLinkKind, string]> = [
  ["supersedes", "supersedes"],
  ["superseded_by", "superseded-by"],
  ["amends", "amends"],
  ["amended_by", "amended-by"],
  ["informed_by", "incidents"],
  ["implements", "implements"],
  ["pull_request", "pull-requests"],
];
const WRITTEN_KEYS = new Set(["id", "title", "status", "date", "decision-makers", "deciders", "tags", ...LINK_FIELDS.map(([, key]) => key)]);

/** An imported record keeps its file name, so a re-export into the same folder changes nothing; others get a slug. */
export function exportPath(record: Pick<ExportRecord, "kind" | "number" | "title" | "fileName">): string {
  return record.fileName ? `${record.kind}/${record.fileName}` : decisionFilePath(record.kind, record.number, record.title);
}

/** Every record's path in one export: a file name two records share goes to the second as a slug. */
function exportPaths(records: Array<Pick<ExportRecord, "kind" | "number" | "title" | "fileName">>): Map<string, string> {
  const paths = new Map<string, string>();
  const used = new Set<string>();
  const ordered = [...records].sort((a, b) => a.kind.localeCompare(b.kind) || a.number - b.number);
  for (const record of ordered) {
    let file = exportPath(record);
    if (used.has(file.toLowerCase()) || file.toLowerCase() === "index.md") file = decisionFilePath(record.kind, record.number, record.title);
    used.add(file.toLowerCase());
    paths.set(decisionReference(record.kind, record.number), file);
  }
  return paths;
}

/** What the front matter and title are written from: when it differs from the import's, they are written anew. */
export function metaFingerprint(record: ExportRecord): string {
  return fingerprint({
    title: record.title,
    status: record.status,
    statusWord: statusWordFor(record.status, record.statusWord),
    decidedOn: record.decidedOn,
    deciders: record.deciders,
    tags: record.tags,
    frontMatter: record.frontMatter,
    links: record.links.map((l) => `${l.kind} ${l.ref} ${l.url ?? ""}`).sort(),
  });
}

/**
 * One record as Markdown. `pathOf` finds the file of another record ("ADR-3" → "adr/0003-….md"):
 * body links to other records become relative links between the files, so they work in git too.
 */
export function decisionToMarkdown(record: ExportRecord, pathOf: (ref: string) => string | null): string {
  const selfDir = path.dirname(pathOf(decisionReference(record.kind, record.number)) ?? exportPath(record));
  const relativeLinks = (doc: DocumentJSON) =>
    rewriteLinks(doc, (href) => {
      const target = parseDecisionReference(href);
      const file = target && href === decisionReference(target.kind, target.number) ? pathOf(href) : null;
      return file ? path.relative(selfDir, file) : null;
    });

  const source = record.source;
  if (source) {
    const metaKept = source.map.meta === metaFingerprint(record);
    if (metaKept && bodyUnchanged(record.body, source.map)) return source.text;
    const text = normalizeSource(source.text);
    const write = (blocks: DocumentJSON["content"] & object, style: MarkdownStyle) => writeMarkdown(relativeLinks({ type: "doc", content: blocks }).content ?? [], style);
    const body = mergeBody(text, source.map, record.body, write);
    const head = metaKept ? text.slice(0, source.map.bodyFrom) : `${frontMatterAndTitle(record)}\n`;
    return restoreLineEnds(source.text, body === "" ? head.replace(/\n+$/, "\n") : head + body);
  }
  const text = documentToMarkdown(relativeLinks(record.body), undefined, { keepGuidance: true }).trim();
  return `${frontMatterAndTitle(record)}${text ? `\n${text}\n` : ""}`;
}

/** MADR 4 front matter with the record's id, status, date, people, tags and typed links, then "# Title". */
function frontMatterAndTitle(record: ExportRecord): string {
  const ref = decisionReference(record.kind, record.number);
  const fields: Record<string, unknown> = { id: ref };
  // The heading carries the title; the front matter repeats it only when a heading would not
  // read back the same ("1. Intro" would be taken for a number).
  if (!headingKeepsTitle(record.title)) fields.title = record.title;
  fields.status = statusWordFor(record.status, record.statusWord) ?? record.status;
  if (record.decidedOn) fields.date = record.decidedOn;
  if (record.deciders.length > 0) fields["decision-makers"] = record.deciders;
  if (record.tags.length > 0) fields.tags = record.tags;
  for (const [kind, key] of LINK_FIELDS) {
    const values = record.links.filter((l) => l.kind === kind).map((l) => (kind === "pull_request" && l.url ? l.url : l.ref));
    if (values.length > 0) fields[key] = [...new Set(values)].sort(compareRefs);
  }
  // Stored as jsonb, which keeps no key order: MADR's own fields first, then the rest by name.
  const extras = Object.keys(record.frontMatter)
    .filter((key) => !WRITTEN_KEYS.has(key.toLowerCase()))
    .sort((a, b) => madrRank(a) - madrRank(b) || a.localeCompare(b));
  for (const key of extras) fields[key] = record.frontMatter[key];

  const doc = new Document(fields);
  visit(doc, { Seq: (_key, node) => void (node.flow = true) });
  return `---\n${doc.toString({ lineWidth: 0 })}---\n\n# ${record.title}\n`;
}

const MADR_ORDER = ["consulted", "informed"];
function madrRank(key: string): number {
  const at = MADR_ORDER.indexOf(key.toLowerCase());
  return at < 0 ? MADR_ORDER.length : at;
}

/** "ADR-2" before "ADR-10"; other references by text. */
function compareRefs(a: string, b: string): number {
  const x = parseDecisionReference(a);
  const y = parseDecisionReference(b);
  if (x && y) return x.kind.localeCompare(y.kind) || x.number - y.number;
  const n = /^[A-Z]+-(\d+)$/.exec(a)?.[1];
  const m = /^[A-Z]+-(\d+)$/.exec(b)?.[1];
  if (n && m && a.split("-")[0] === b.split("-")[0]) return Number(n) - Number(m);
  return a.localeCompare(b);
}

function headingKeepsTitle(title: string): boolean {
  return !/^(?:(?:adr|rfc)[-_ ]?\d|\d{1,6}\s*[.:)\-–—]\s)/i.test(title) && !/#\s*$/.test(title) && title === title.trim();
}

/** The generated index: every record with its status and what superseded it. */
export function decisionIndexMarkdown(records: ExportRecord[], workspaceName: string, paths = exportPaths(records)): string {
  const cell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = [...records]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.number - b.number)
    .map((r) => {
      const ref = decisionReference(r.kind, r.number);
      const replacedBy = r.links.filter((l) => l.kind === "superseded_by").map((l) => l.ref);
      const status = `${DECISION_STATUS_LABELS[r.status]}${replacedBy.length ? ` by ${replacedBy.join(", ")}` : ""}`;
      return `| [${ref}](${paths.get(ref) ?? exportPath(r)}) | ${cell(r.title)} | ${status} | ${r.decidedOn ?? ""} | ${cell(r.tags.join(", "))} |`;
    });
  return [
    "# Decision log",
    "",
    `Architecture decision records and RFCs of ${cell(workspaceName)}, exported from Hindsight. Each file has YAML front matter (MADR 4) with its id, status, date, decision-makers, tags and typed links.`,
    "",
    "| Record | Title | Status | Date | Tags |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// From the database

const FOLDER = "decisions";

/** Records as the export writes them: all of a workspace's, one (`key`), or some (`ids`). */
export async function loadExportRecords(db: Db, workspaceId: string, only?: { key?: DecisionKey; ids?: string[] }): Promise<Array<ExportRecord & { id: string }>> {
  let query = db
    .selectFrom("decision_records")
    .select([
      "id",
      "kind",
      "number",
      "title",
      "status",
      "status_word",
      sql<string | null>`to_char(decided_on, 'YYYY-MM-DD')`.as("decided_on"),
      "deciders",
      "tags",
      "body",
      "front_matter",
      "source_path",
      "source_text",
      "source_map",
      "updated_at",
    ])
    .where("workspace_id", "=", workspaceId);
  if (only?.key) query = query.where("kind", "=", only.key.kind).where("number", "=", only.key.number);
  if (only?.ids) query = query.where("id", "in", only.ids.length > 0 ? only.ids : ["00000000-0000-0000-0000-000000000000"]);
  const rows = await query.orderBy("kind").orderBy("number").execute();
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom("decision_links")
    .select(["decision_id", "kind", "target_ref", "url"])
    .where("workspace_id", "=", workspaceId)
    .where("decision_id", "in", rows.map((r) => r.id))
    .orderBy("created_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    number: r.number,
    title: r.title,
    status: r.status,
    statusWord: r.status_word,
    decidedOn: r.decided_on,
    deciders: r.deciders,
    tags: r.tags,
    body: r.body,
    frontMatter: r.front_matter,
    links: links.filter((l) => l.decision_id === r.id).map((l) => ({ kind: l.kind, ref: l.target_ref, url: l.url })),
    updatedAt: r.updated_at,
    fileName: r.source_path ? path.basename(r.source_path) : null,
    source: r.source_text !== null && r.source_map ? { text: r.source_text, map: r.source_map as ExportSource["map"] } : null,
  }));
}

async function filePaths(db: Db, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom("decision_records").select(["kind", "number", "title", "source_path"]).where("workspace_id", "=", workspaceId).execute();
  return exportPaths(rows.map((r) => ({ kind: r.kind, number: r.number, title: r.title, fileName: r.source_path ? path.basename(r.source_path) : null })));
}

/** One record as a Markdown file; null when there is no such record. */
export async function exportDecision(db: Db, workspaceId: string, key: DecisionKey): Promise<{ filename: string; markdown: string } | null> {
  const [record] = await loadExportRecords(db, workspaceId, { key });
  if (!record) return null;
  const paths = await filePaths(db, workspaceId);
  const file = paths.get(decisionReference(record.kind, record.number)) ?? exportPath(record);
  return { filename: path.basename(file), markdown: decisionToMarkdown(record, (ref) => paths.get(ref) ?? null) };
}

/** The whole log as a zip, entries in a fixed order with the records' own times: the same log gives the same bytes. */
export async function exportDecisionLog(db: Db, workspaceId: string, workspaceName: string): Promise<{ filename: string; zip: Uint8Array; count: number }> {
  const records = await loadExportRecords(db, workspaceId);
  const paths = exportPaths(records);
  const latest = records.reduce((t, r) => Math.max(t, r.updatedAt.getTime()), Date.UTC(2020, 0, 1));
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {
    [`${FOLDER}/index.md`]: [strToU8(decisionIndexMarkdown(records, workspaceName, paths)), { mtime: new Date(latest) }],
  };
  for (const record of records) {
    const file = paths.get(decisionReference(record.kind, record.number))!;
    entries[`${FOLDER}/${file}`] = [strToU8(decisionToMarkdown(record, (ref) => paths.get(ref) ?? null)), { mtime: record.updatedAt }];
  }
  return { filename: "decisions.zip", zip: zipSync(entries, { level: 6 }), count: records.length };
}

/** The index alone, as the log page offers it. */
export async function exportDecisionIndex(db: Db, workspaceId: string, workspaceName: string): Promise<string> {
  return decisionIndexMarkdown(await loadExportRecords(db, workspaceId), workspaceName);
}
