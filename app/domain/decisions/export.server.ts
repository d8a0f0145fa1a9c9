/**
 * Decision records as Markdown files a team can keep in git: MADR 4 front matter (status, date,
 * decision-makers, and any fields an import brought along) plus the record's stable id and its
 * typed links, then "# Title" and the body. The whole log is a zip: decisions/adr/0007-title.md,
 * decisions/rfc/0001-title.md and a generated decisions/index.md. The same data always gives the
 * same bytes, so re-exporting into a repository changes only what changed. import(export(x)) is x
 * (test/integration/decisions-import.test.ts).
 */
import path from "node:path/posix";
import { zipSync, strToU8 } from "fflate";
import { sql } from "kysely";
import { Document, visit } from "yaml";
import type { Db } from "#db/connection";
import type { DecisionKind, DecisionLinkKind, DecisionStatus, DocumentJSON } from "#db/schema";
import { decisionFilePath, decisionReference, DECISION_STATUS_LABELS, parseDecisionReference, type DecisionKey } from "./rules";
import { documentToMarkdown, rewriteLinks } from "~/domain/documents/index.server";

export type ExportLink = { kind: DecisionLinkKind; ref: string; url: string | null };
export type ExportRecord = {
  kind: DecisionKind;
  number: number;
  title: string;
  status: DecisionStatus;
  decidedOn: string | null;
  deciders: string[];
  tags: string[];
  body: DocumentJSON;
  frontMatter: Record<string, unknown>;
  links: ExportLink[];
  updatedAt: Date;
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

export function exportPath(record: Pick<ExportRecord, "kind" | "number" | "title">): string {
  return decisionFilePath(record.kind, record.number, record.title);
}

/**
 * One record as Markdown. `pathOf` finds the file of another record ("ADR-3" → "adr/0003-….md"):
 * body links to other records become relative links between the files, so they work in git too.
 */
export function decisionToMarkdown(record: ExportRecord, pathOf: (ref: string) => string | null): string {
  const ref = decisionReference(record.kind, record.number);
  const fields: Record<string, unknown> = { id: ref };
  // The heading carries the title; the front matter repeats it only when a heading would not
  // read back the same ("1. Intro" would be taken for a number).
  if (!headingKeepsTitle(record.title)) fields.title = record.title;
  fields.status = record.status;
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
  const yaml = doc.toString({ lineWidth: 0 });

  const selfDir = path.dirname(exportPath(record));
  const body = rewriteLinks(record.body, (href) => {
    const target = parseDecisionReference(href);
    const file = target && href === decisionReference(target.kind, target.number) ? pathOf(href) : null;
    return file ? path.relative(selfDir, file) : null;
  });
  const text = documentToMarkdown(body).trim();
  return `---\n${yaml}---\n\n# ${record.title}\n${text ? `\n${text}\n` : ""}`;
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
export function decisionIndexMarkdown(records: ExportRecord[], workspaceName: string): string {
  const cell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = [...records]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.number - b.number)
    .map((r) => {
      const ref = decisionReference(r.kind, r.number);
      const replacedBy = r.links.filter((l) => l.kind === "superseded_by").map((l) => l.ref);
      const status = `${DECISION_STATUS_LABELS[r.status]}${replacedBy.length ? ` by ${replacedBy.join(", ")}` : ""}`;
      return `| [${ref}](${exportPath(r)}) | ${cell(r.title)} | ${status} | ${r.decidedOn ?? ""} | ${cell(r.tags.join(", "))} |`;
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

async function loadRecords(db: Db, workspaceId: string, only?: DecisionKey): Promise<ExportRecord[]> {
  let query = db
    .selectFrom("decision_records")
    .select([
      "id",
      "kind",
      "number",
      "title",
      "status",
      sql<string | null>`to_char(decided_on, 'YYYY-MM-DD')`.as("decided_on"),
      "deciders",
      "tags",
      "body",
      "front_matter",
      "updated_at",
    ])
    .where("workspace_id", "=", workspaceId);
  if (only) query = query.where("kind", "=", only.kind).where("number", "=", only.number);
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
    kind: r.kind,
    number: r.number,
    title: r.title,
    status: r.status,
    decidedOn: r.decided_on,
    deciders: r.deciders,
    tags: r.tags,
    body: r.body,
    frontMatter: r.front_matter,
    links: links.filter((l) => l.decision_id === r.id).map((l) => ({ kind: l.kind, ref: l.target_ref, url: l.url })),
    updatedAt: r.updated_at,
  }));
}

async function filePaths(db: Db, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom("decision_records").select(["kind", "number", "title"]).where("workspace_id", "=", workspaceId).execute();
  return new Map(rows.map((r) => [decisionReference(r.kind, r.number), exportPath(r)]));
}

/** One record as a Markdown file; null when there is no such record. */
export async function exportDecision(db: Db, workspaceId: string, key: DecisionKey): Promise<{ filename: string; markdown: string } | null> {
  const [record] = await loadRecords(db, workspaceId, key);
  if (!record) return null;
  const paths = await filePaths(db, workspaceId);
  return { filename: path.basename(exportPath(record)), markdown: decisionToMarkdown(record, (ref) => paths.get(ref) ?? null) };
}

/** The whole log as a zip, entries in a fixed order with the records' own times: the same log gives the same bytes. */
export async function exportDecisionLog(db: Db, workspaceId: string, workspaceName: string): Promise<{ filename: string; zip: Uint8Array; count: number }> {
  const records = await loadRecords(db, workspaceId);
  const paths = new Map(records.map((r) => [decisionReference(r.kind, r.number), exportPath(r)]));
  const latest = records.reduce((t, r) => Math.max(t, r.updatedAt.getTime()), Date.UTC(2020, 0, 1));
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {
    [`${FOLDER}/index.md`]: [strToU8(decisionIndexMarkdown(records, workspaceName)), { mtime: new Date(latest) }],
  };
  for (const record of records) {
    entries[`${FOLDER}/${exportPath(record)}`] = [strToU8(decisionToMarkdown(record, (ref) => paths.get(ref) ?? null)), { mtime: record.updatedAt }];
  }
  return { filename: "decisions.zip", zip: zipSync(entries, { level: 6 }), count: records.length };
}

/** The index alone, as the log page offers it. */
export async function exportDecisionIndex(db: Db, workspaceId: string, workspaceName: string): Promise<string> {
  return decisionIndexMarkdown(await loadRecords(db, workspaceId), workspaceName);
}
