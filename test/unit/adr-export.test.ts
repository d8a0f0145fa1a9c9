import { describe, expect, it } from "vitest";
import { decisionIndexMarkdown, decisionToMarkdown, exportPath, type ExportRecord, parseAdrFile } from "~/domain/decisions/index.server";
import { DECISION_STATUSES } from "~/domain/decisions/rules";
import { markdownToDocument } from "~/domain/documents/index.server";

function record(overrides: Partial<ExportRecord> = {}): ExportRecord {
  return {
    kind: "adr",
    number: 7,
    title: "Use Postgres",
    status: "accepted",
    decidedOn: "2026-03-01",
    deciders: ["Ana Lima"],
    tags: ["storage"],
    body: markdownToDocument("## Context\n\nWe need a database."),
    frontMatter: {},
    links: [],
    updatedAt: new Date("2026-03-01T00:00:00Z"),
    ...overrides,
  };
}

/** Writes the record out and reads it back the way an import does. */
function readBack(r: ExportRecord) {
  const file = parseAdrFile(exportPath(r), decisionToMarkdown(r, () => null));
  if (file.outcome !== "parsed") throw new Error(JSON.stringify(file));
  return file.adr;
}

describe("exporting a record as Markdown", () => {
  it.each([
    "Use Postgres",
    "1. Start with a number",
    "ADR-3: looks like a reference",
    'Quotes "double" and \'single\', colons: and # hashes',
    "Ünïcödé and emoji 🚀",
    "- starts like a list",
    "[bracketed] title",
    "Trailing hash #",
  ])("reads the title %j back exactly", (title) => {
    expect(readBack(record({ title }))).toMatchObject({ title, kind: "adr", sourceNumber: 7, warnings: [] });
  });

  it.each(DECISION_STATUSES)("reads the status %s back", (status) => {
    expect(readBack(record({ status })).status).toBe(status);
  });

  it("reads deciders, dates, tags and typed links back", () => {
    const back = readBack(
      record({
        deciders: ["Ana Lima", "Ben, the Reviewer"],
        tags: ["ci", "data-access"],
        decidedOn: null,
        links: [
          { kind: "supersedes", ref: "ADR-3", url: null },
          { kind: "informed_by", ref: "INC-12", url: null },
          { kind: "implements", ref: "ACT-4", url: null },
          { kind: "pull_request", ref: "acme/api#9", url: "https://github.com/acme/api/pull/9" },
        ],
      }),
    );
    expect(back).toMatchObject({ deciders: ["Ana Lima", "Ben, the Reviewer"], tags: ["ci", "data-access"], decidedOn: null });
    expect(back.links.map((l) => `${l.kind} ${l.href ?? l.text}`)).toEqual([
      "supersedes ADR-3",
      "informed_by INC-12",
      "implements ACT-4",
      "pull_request https://github.com/acme/api/pull/9",
    ]);
  });

  it("writes MADR 4 front matter with a stable id, and the same record always gives the same text", () => {
    const text = decisionToMarkdown(record({ links: [{ kind: "superseded_by", ref: "ADR-10", url: null }, { kind: "superseded_by", ref: "ADR-9", url: null }] }), () => null);
    expect(text).toBe(
      "---\nid: ADR-7\nstatus: accepted\ndate: 2026-03-01\ndecision-makers: [ Ana Lima ]\ntags: [ storage ]\nsuperseded-by: [ ADR-9, ADR-10 ]\n---\n\n# Use Postgres\n\n## Context\n\nWe need a database.\n",
    );
    expect(decisionToMarkdown(record(), () => null)).toBe(decisionToMarkdown(record(), () => null));
  });

  it("names files by kind, padded number and title", () => {
    expect(exportPath(record({ title: "Ünïcödé: Use Postgres!" }))).toBe("adr/0007-unicode-use-postgres.md");
    expect(exportPath(record({ kind: "rfc", number: 12345, title: "???" }))).toBe("rfc/12345-decision.md");
  });

  it("indexes every record with its status and replacement, escaping table cells", () => {
    const index = decisionIndexMarkdown(
      [record({ status: "superseded", title: "A | B", links: [{ kind: "superseded_by", ref: "ADR-8", url: null }] }), record({ number: 8, title: "C" })],
      "Acme",
    );
    expect(index).toContain("| [ADR-7](adr/0007-a-b.md) | A \\| B | Superseded by ADR-8 | 2026-03-01 | storage |");
    expect(index).toContain("| [ADR-8](adr/0008-c.md) | C | Accepted |");
  });
});
