import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { collectImportFiles, IMPORT_LIMITS, type ImportContext, parseAdrFile, type ParsedAdr, type ParsedFile, planImport } from "~/domain/decisions/index.server";
import { renderDocumentHtml } from "~/domain/documents/index.server";

/** The record a file reads as; fails the test with the file's error when it can't be read. */
function adr(path: string, text: string): ParsedAdr {
  const parsed = parseAdrFile(path, text);
  if (parsed.outcome !== "parsed") throw new Error(`${path} was not read: ${JSON.stringify(parsed)}`);
  return parsed.adr;
}

function problem(path: string, text: string): string {
  const parsed = parseAdrFile(path, text);
  if (parsed.outcome !== "error") throw new Error(`${path} was expected to be refused, got ${parsed.outcome}`);
  return parsed.error;
}

const html = (a: ParsedAdr) => renderDocumentHtml(a.body);

// ---------------------------------------------------------------------------------------------
// Files in the shapes real repositories use, written for these tests

const MADR4 = `---
status: accepted
date: 2024-05-02
decision-makers: [Ana Lima, Ben Okafor]
consulted: Security guild
informed: [Payments team]
---

# Use PostgreSQL for the ledger

## Context and Problem Statement

Ledger writes must be **serialisable**.

## Considered Options

* PostgreSQL
* DynamoDB
`;

const MADR3_SUPERSEDED = `---
status: "superseded by [ADR-0005](0005-use-cockroachdb.md)"
date: 2022-11-01
deciders: Ana Lima, Ben Okafor
---
# Use MySQL for reporting

## Context and Problem Statement

Reporting queries are heavy.
`;

const MADR2 = `# Use Markdown Architectural Decision Records

* Status: accepted
* Deciders: Oliver Kopp, Olaf Zimmermann
* Date: 2017-12-15

Technical Story: [MADR-1](https://example.com/issues/1)

## Context and Problem Statement

We want to record architectural decisions made in this project.
`;

const LOG4BRAINS = `# Use Log4brains to manage the ADRs

- Status: accepted
- Date: 2020-09-25
- Tags: [dev-tools] [doc]

## Context and Problem Statement

We want to record architectural decisions.
`;

const NYGARD_1 = `# 1. Record architecture decisions

Date: 2018-02-15

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.

## Consequences

See Michael Nygard's article, linked above.
`;

const NYGARD_2 = `# 2. Use Kafka for events

Date: 2019-03-04

## Status

Superceded by [3. Use NATS for events](0003-use-nats-for-events.md)

## Context

Services need events.
`;

const NYGARD_3 = `# 3. Use NATS for events

Date: 2020-01-10

## Status

Accepted

Supersedes [2. Use Kafka for events](0002-use-kafka-for-events.md)

Amends [1. Record architecture decisions](0001-record-architecture-decisions.md)

Clarified by [4. Event naming](0004-event-naming.md)

## Context

Kafka is more than we need. See [the Kafka decision](0002-use-kafka-for-events.md) and [the NATS docs](https://nats.io).
`;

describe("reading one ADR file", () => {
  it("reads MADR 4: YAML front matter, decision-makers, and keeps the fields it does not model", () => {
    const a = adr("docs/adr/0003-use-postgresql-for-the-ledger.md", MADR4);
    expect(a).toMatchObject({
      kind: "adr",
      sourceNumber: 3,
      title: "Use PostgreSQL for the ledger",
      status: "accepted",
      decidedOn: "2024-05-02",
      deciders: ["Ana Lima", "Ben Okafor"],
      tags: [],
      frontMatter: { consulted: "Security guild", informed: ["Payments team"] },
      warnings: [],
    });
    expect(html(a)).toMatch(/^<h2>Context and Problem Statement<\/h2><p>Ledger writes must be <strong>serialisable<\/strong>.<\/p>/);
    expect(html(a)).not.toContain("Use PostgreSQL for the ledger");
  });

  it("reads MADR 3: deciders as one string, and a status that names its replacement as a link", () => {
    const a = adr("0004-use-mysql-for-reporting.md", MADR3_SUPERSEDED);
    expect(a).toMatchObject({ sourceNumber: 4, status: "superseded", deciders: ["Ana Lima", "Ben Okafor"], decidedOn: "2022-11-01" });
    expect(a.links).toEqual([{ kind: "superseded_by", text: "ADR-0005", href: "0005-use-cockroachdb.md" }]);
  });

  it("reads MADR 2: the list-style metadata leaves the body, the technical story stays", () => {
    const a = adr("0000-use-markdown-architectural-decision-records.md", MADR2);
    expect(a).toMatchObject({
      title: "Use Markdown Architectural Decision Records",
      status: "accepted",
      deciders: ["Oliver Kopp", "Olaf Zimmermann"],
      decidedOn: "2017-12-15",
      // MADR numbers from 0000, and ADR-0 is a record like any other.
      sourceNumber: 0,
    });
    expect(html(a)).not.toMatch(/Status|Deciders|2017-12-15/);
    expect(html(a)).toContain("Technical Story");
  });

  it("reads log4brains: a date-prefixed file name and bracketed tags", () => {
    const a = adr("20200925-use-log4brains-to-manage-the-adrs.md", LOG4BRAINS);
    expect(a).toMatchObject({ sourceNumber: null, decidedOn: "2020-09-25", tags: ["dev-tools", "doc"], status: "accepted" });
    expect(a.sortKey.startsWith("2020-09-25")).toBe(true);
  });

  it("reads Nygard (adr-tools): the number in the heading, Date: line and ## Status section", () => {
    const a = adr("0001-record-architecture-decisions.md", NYGARD_1);
    expect(a).toMatchObject({ sourceNumber: 1, title: "Record architecture decisions", status: "accepted", decidedOn: "2018-02-15" });
    expect(html(a)).toMatch(/^<h2>Context<\/h2>/);
    expect(html(a)).not.toContain("Status");
  });

  it("reads adr-tools' misspelt 'Superceded by' and its link lines; lines it does not know stay as notes", () => {
    expect(adr("0002-use-kafka-for-events.md", NYGARD_2)).toMatchObject({
      status: "superseded",
      links: [{ kind: "superseded_by", href: "0003-use-nats-for-events.md" }],
    });
    const three = adr("0003-use-nats-for-events.md", NYGARD_3);
    expect(three.status).toBe("accepted");
    expect(three.links).toEqual([
      { kind: "supersedes", text: "2. Use Kafka for events", href: "0002-use-kafka-for-events.md" },
      { kind: "amends", text: "1. Record architecture decisions", href: "0001-record-architecture-decisions.md" },
    ]);
    // The unread line stays under its heading; the lines read as status and links leave the body.
    expect(html(three)).toContain("<h2>Status</h2><p>Clarified by");
    expect(html(three)).not.toMatch(/Accepted|Supersedes|Amends/);
  });

  it.each([
    ["0007-use-x.md", "# ADR-0007: Use X\n\nStatus: accepted\n", { kind: "adr", sourceNumber: 7, title: "Use X" }],
    ["retire.md", "# RFC 2 - Retire the monolith\n\n## Summary\n\nText.\n", { kind: "rfc", sourceNumber: 2, title: "Retire the monolith" }],
    ["rfcs/0012-new-queue.md", "# New queue\n", { kind: "rfc", sourceNumber: 12, title: "New queue" }],
    ["adr-0042-use-y.md", "# Use Y\n", { kind: "adr", sourceNumber: 42 }],
    ["ADR_9_use_z.md", "# Use Z\n", { kind: "adr", sourceNumber: 9 }],
    ["decisions/2021-03-04-pick-a-cloud.md", "# Pick a cloud\n", { kind: "adr", sourceNumber: null, decidedOn: "2021-03-04" }],
    ["notes/pick.md", "---\nid: RFC-3\ntitle: Pick a cloud\nstatus: Proposed\n---\n\nBody.\n", { kind: "rfc", sourceNumber: 3, title: "Pick a cloud", status: "proposed" }],
  ])("takes kind, number and title from %s", (path, text, expected) => {
    expect(adr(path, text)).toMatchObject(expected);
  });

  it("reads Windows line endings, a byte-order mark and bold metadata keys", () => {
    const a = adr("0005-bom.md", "\uFEFF# Use BOMs\r\n\r\n**Status:** Accepted\r\n**Date:** 2023-01-31\r\n\r\n## Context\r\n\r\nText.\r\n");
    expect(a).toMatchObject({ title: "Use BOMs", status: "accepted", decidedOn: "2023-01-31", warnings: [] });
  });

  it("keeps going with a warning when the status, date or id is not understood", () => {
    const a = adr("0006-odd.md", "---\nid: DECISION-6\nstatus: in flight\ndate: someday\n---\n# Odd one\n");
    expect(a.status).toBe("proposed");
    expect(a.decidedOn).toBeNull();
    expect(a.warnings.join(" ")).toMatch(/status "in flight".*proposed/);
    expect(a.warnings.join(" ")).toMatch(/date "someday"/);
    expect(a.warnings.join(" ")).toMatch(/id "DECISION-6"/);
  });

  it("takes the title from the file name, with a warning, when there is no heading", () => {
    const a = adr("0008-cache-the-catalog.md", "Status: accepted\n\nWe cache it.\n");
    expect(a).toMatchObject({ title: "Cache the catalog", sourceNumber: 8, status: "accepted" });
    expect(a.warnings).toContain("No # heading was found; the title comes from the file name.");
  });

  it("leaves code blocks alone: a 'Status:' line inside a fence is code, not metadata", () => {
    const a = adr("0009-fence.md", "# Fences\n\n```yaml\nStatus: not metadata\n```\n\n- Status: accepted\n");
    expect(a.status).toBe("accepted");
    expect(html(a)).toContain("Status: not metadata");
  });

  it.each([
    ["an empty file", "0010-empty.md", "  \n\n", /empty/],
    ["binary content", "0015-binary.md", "PK\u0003\u0004\u0000\u0001garbage", /not a text file/],
    ["no title anywhere", "0016.md", "---\nstatus: accepted\n---\n\n", /no title/],
  ])("refuses %s with a message for that file", (_what, path, text, message) => {
    expect(problem(path, text)).toMatch(message);
  });

  it.each([
    ["front matter that is not YAML", "0011-bad-yaml.md", "---\nstatus: [accepted\ndate: 2020-01-01\n---\n# X\n", /not valid YAML/, { title: "X", decidedOn: "2020-01-01" }],
    ["front matter with a repeated key", "0012-dup.md", "---\nstatus: accepted\nstatus: rejected\n---\n# X\n", /not valid YAML/, { title: "X", status: "accepted" }],
    ["front matter that never closes", "0013-open.md", "---\nstatus: accepted\n# X\n", /no closing ---/, { status: "accepted" }],
    ["front matter that is a list", "0014-list.md", "---\n- a\n- b\n---\n# X\n", /key: value/, { title: "X" }],
    ["an unquoted colon in the title", "0004-module-structure.md", "---\ntitle: ADR004: Module structure\nstatus: accepted\n---\n\n# ADR004: Module structure\n\nText.\n", /not valid YAML/, { title: "Module structure", status: "accepted", sourceNumber: 4 }],
  ])("imports %s with a warning, reading what it can", (_what, path, text, warning, expected) => {
    const a = adr(path, text);
    expect(a.warnings.join(" ")).toMatch(warning);
    expect(a).toMatchObject(expected);
    expect(a.source.text).toBe(text);
  });

  it("refuses a YAML alias bomb instead of expanding it", () => {
    const bomb = `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n# Bomb\n`;
    expect(problem("0017-bomb.md", bomb)).toMatch(/front matter/);
  });

  it.each(["README.md", "docs/adr/index.md", "docs/adr/000-index.md", "doc/adr/0000-README.md", "adr-template.md", "docs/adr/template.md", ".github/x.md", "__MACOSX/._0001-x.md", "diagram.png"])(
    "skips %s: not a decision record",
    (path) => {
      expect(parseAdrFile(path, "# Something\n").outcome).toBe("ignored");
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Planning an import

const emptyWorkspace: ImportContext = { defaultKind: "adr", existing: [], existingPairs: [], counters: { adr: 0, rfc: 0 }, targets: new Map() };
const parseAll = (files: Record<string, string>): ParsedFile[] => Object.entries(files).map(([path, text]) => parseAdrFile(path, text));

describe("planning an import", () => {
  const nygard = { "adr/0001-record-architecture-decisions.md": NYGARD_1, "adr/0002-use-kafka-for-events.md": NYGARD_2, "adr/0003-use-nats-for-events.md": NYGARD_3 };

  it("keeps the files' numbers in an empty workspace and turns links between files into typed links, once each", () => {
    const plan = planImport(parseAll(nygard), emptyWorkspace);
    expect(plan.records.map((r) => [r.ref, r.title, r.status])).toEqual([
      ["ADR-1", "Record architecture decisions", "accepted"],
      ["ADR-2", "Use Kafka for events", "superseded"],
      ["ADR-3", "Use NATS for events", "accepted"],
    ]);
    // ADR-2 says "superseded by 3" and ADR-3 says "supersedes 2": one link.
    expect(plan.pairs.map((p) => [p.newerRef, p.kind, p.olderRef])).toEqual([
      ["ADR-3", "supersedes", "ADR-2"],
      ["ADR-3", "amends", "ADR-1"],
    ]);
    expect(plan.files.find((f) => f.ref === "ADR-3")!.links).toEqual(["Supersedes ADR-2", "Amends ADR-1"]);
    expect(plan.counts).toMatchObject({ create: 3, duplicate: 0, error: 0, links: 2 });
  });

  it("points links in the text at the imported record, and leaves web links alone", () => {
    const plan = planImport(parseAll(nygard), emptyWorkspace);
    const body = renderDocumentHtml(plan.records[2]!.body);
    expect(body).toContain('<a href="ADR-2" rel="noopener noreferrer nofollow">the Kafka decision</a>');
    expect(body).toContain('<a href="https://nats.io"');
  });

  it("marks a record superseded when another file supersedes it, remembering its status, and says so", () => {
    const files = parseAll({
      "0001-old.md": "# Old way\n\n- Status: accepted\n",
      "0002-new.md": "---\nstatus: accepted\nsupersedes: [ADR-1]\n---\n# New way\n",
    });
    const plan = planImport(files, emptyWorkspace);
    expect(plan.records[0]).toMatchObject({ ref: "ADR-1", status: "superseded", priorStatus: "accepted" });
    expect(plan.files[0]!.warnings).toContain("It becomes superseded: ADR-2 supersedes it.");
  });

  it("gives a taken number to the next free one, and says which record holds it", () => {
    const plan = planImport(parseAll({ "0002-use-redis.md": "# Use Redis\n\nStatus: accepted\n" }), {
      ...emptyWorkspace,
      existing: [{ id: "e1", kind: "adr", number: 2, title: "Use Kafka", bodyText: "", status: "accepted" }],
      counters: { adr: 2, rfc: 0 },
    });
    expect(plan.records.map((r) => r.ref)).toEqual(["ADR-3"]);
    expect(plan.files[0]!.warnings[0]).toBe('ADR-2 is already used by "Use Kafka"; this record becomes ADR-3.');
  });

  it("numbers files without numbers after the numbered ones, oldest date first", () => {
    const plan = planImport(
      parseAll({
        "2021-05-01-later.md": "# Later\n\nStatus: accepted\n",
        "2020-01-01-earlier.md": "# Earlier\n\nStatus: accepted\n",
        "0004-numbered.md": "# Numbered\n\nStatus: accepted\n",
      }),
      emptyWorkspace,
    );
    expect(plan.records.map((r) => `${r.ref} ${r.title}`).sort()).toEqual(["ADR-4 Numbered", "ADR-5 Earlier", "ADR-6 Later"]);
  });

  it("finds duplicates of records already here and of other files, and imports them once", () => {
    const plan = planImport(parseAll({ ...nygard, "copy/0001-record-architecture-decisions.md": NYGARD_1 }), {
      ...emptyWorkspace,
      existing: [{ id: "e1", kind: "adr", number: 2, title: "Use Kafka for events", bodyText: "", status: "accepted" }],
      counters: { adr: 2, rfc: 0 },
    });
    expect(plan.files.map((f) => [f.path, f.outcome, f.ref ?? f.duplicateOf])).toEqual([
      ["adr/0001-record-architecture-decisions.md", "create", "ADR-1"],
      ["adr/0002-use-kafka-for-events.md", "duplicate", "ADR-2"],
      ["adr/0003-use-nats-for-events.md", "create", "ADR-3"],
      ["copy/0001-record-architecture-decisions.md", "duplicate", "adr/0001-record-architecture-decisions.md"],
    ]);
    // The new ADR-3 supersedes the ADR-2 already here, which becomes superseded.
    expect(plan.supersedesExisting).toEqual([{ id: "e1", ref: "ADR-2", title: "Use Kafka for events", from: "accepted" }]);
  });

  it("importing the same files again plans nothing new", () => {
    const first = planImport(parseAll(nygard), emptyWorkspace);
    const ids = first.records.map((_, i) => `id${i}`);
    const again = planImport(parseAll(nygard), {
      ...emptyWorkspace,
      existing: first.records.map((r, i) => ({ id: ids[i]!, kind: r.kind, number: r.number, title: r.title, bodyText: r.bodyText, status: r.status })),
      existingPairs: first.pairs.map((p) => ({ kind: p.kind, newer: ids[(p.newer as { index: number }).index]!, older: ids[(p.older as { index: number }).index]! })),
      counters: { adr: 3, rfc: 0 },
    });
    expect(again.counts).toMatchObject({ create: 0, duplicate: 3, links: 0 });
  });

  it("leaves out a supersede loop and a link to a record that is nowhere, with warnings", () => {
    const plan = planImport(
      parseAll({
        "0001-a.md": "---\nstatus: accepted\nsupersedes: [ADR-2]\n---\n# A\n",
        "0002-b.md": "---\nstatus: accepted\nsupersedes: [ADR-1, ADR-99]\n---\n# B\n",
      }),
      emptyWorkspace,
    );
    expect(plan.pairs).toHaveLength(1);
    const warnings = plan.files.flatMap((f) => f.warnings).join("\n");
    expect(warnings).toMatch(/would make a loop/);
    expect(warnings).toMatch(/"ADR-99", which is neither in this import nor in the workspace/);
  });

  it("reports errors per file and still plans the rest", () => {
    const plan = planImport(parseAll({ "0001-good.md": NYGARD_1, "0002-bad.md": "\u0000binary", "README.md": "# Readme" }), emptyWorkspace);
    expect(plan.files.map((f) => [f.path, f.outcome])).toEqual([
      ["0001-good.md", "create"],
      ["0002-bad.md", "error"],
      ["README.md", "ignored"],
    ]);
    expect(plan.files[1]!.errors[0]).toMatch(/not a text file/);
  });

  it("files that do not say their kind take the one chosen for the import", () => {
    const plan = planImport(parseAll({ "0001-proposal.md": "# A proposal\n" }), { ...emptyWorkspace, defaultKind: "rfc" });
    expect(plan.records[0]!.ref).toBe("RFC-1");
  });

  it("links to incidents, actions and PRs only when the workspace has them", () => {
    const files = parseAll({
      "0001-x.md": "---\nstatus: accepted\nincidents: [INC-4, INC-5]\npull-requests: [https://github.com/Acme/API/pull/7, not-a-url]\n---\n# X\n",
    });
    const targets = new Map([
      ["INC-4", { type: "incident" as const, id: "inc-4", ref: "INC-4", url: null }],
      ["acme/api#7", { type: "pull_request" as const, id: "acme/api#7", ref: "acme/api#7", url: "https://github.com/acme/api/pull/7" }],
    ]);
    const plan = planImport(files, { ...emptyWorkspace, targets });
    expect(plan.externals.map((e) => `${e.kind} ${e.target.ref}`)).toEqual(["informed_by INC-4", "pull_request acme/api#7"]);
    expect(plan.files[0]!.warnings.join("\n")).toMatch(/INC-5 is not in this workspace/);
  });

  it("its hash changes when what it would do changes, and only then", () => {
    const a = planImport(parseAll(nygard), emptyWorkspace);
    expect(planImport(parseAll(nygard), emptyWorkspace).hash).toBe(a.hash);
    const b = planImport(parseAll(nygard), { ...emptyWorkspace, existing: [{ id: "x", kind: "adr", number: 1, title: "Other", bodyText: "", status: "accepted" }] });
    expect(b.hash).not.toBe(a.hash);
  });
});

// ---------------------------------------------------------------------------------------------
// Unpacking uploads

const file = (name: string, text: string) => ({ name, bytes: strToU8(text) });

describe("unpacking an upload", () => {
  it("reads a zip's Markdown, keeps its folders, and lists what it skips", () => {
    const zip = zipSync({ "adr/0001-a.md": strToU8("# A\n"), "adr/README.md": strToU8("# Readme"), "adr/diagram.png": new Uint8Array([1, 2, 3]) });
    const result = collectImportFiles([{ name: "decisions.zip", bytes: zip }]);
    expect(result).toEqual({
      ok: true,
      files: [
        { path: "adr/0001-a.md", text: "# A\n" },
        { path: "adr/README.md", ignored: "An index or README, not a decision record." },
        { path: "adr/diagram.png", ignored: "Not a Markdown file." },
      ],
    });
  });

  it("refuses, per file, a file that is too large or not UTF-8", () => {
    const result = collectImportFiles([
      { name: "0001-big.md", bytes: new Uint8Array(0), tooLarge: true },
      { name: "0002-latin1.md", bytes: new Uint8Array([0x23, 0x20, 0xe9, 0x74, 0xe9]) },
      file("0003-fine.md", "# Fine\n"),
    ]);
    expect(result).toEqual({
      ok: true,
      files: [
        { path: "0001-big.md", error: "The file is larger than 512 KB." },
        { path: "0002-latin1.md", error: "The file is not UTF-8 text." },
        { path: "0003-fine.md", text: "# Fine\n" },
      ],
    });
  });

  it("refuses a zip entry whose declared size is over the limit, without inflating it", () => {
    const big = new Uint8Array(IMPORT_LIMITS.fileBytes + 10).fill(0x61);
    const result = collectImportFiles([{ name: "x.zip", bytes: zipSync({ "0001-big.md": big }) }]);
    expect(result).toEqual({ ok: true, files: [{ path: "0001-big.md", error: "The file is larger than 512 KB." }] });
  });

  it("refuses the whole upload past the file count or the total size, with a 413", () => {
    const many = Array.from({ length: IMPORT_LIMITS.files + 1 }, (_, i) => file(`${i + 1}-x.md`, "# X\n"));
    expect(collectImportFiles(many)).toMatchObject({ ok: false, kind: "too-large", message: expect.stringMatching(/more than 500/) });
    const chunk = "a".repeat(IMPORT_LIMITS.fileBytes - 10);
    const heavy = Array.from({ length: 11 }, (_, i) => file(`${i + 1}-x.md`, chunk));
    expect(collectImportFiles(heavy)).toMatchObject({ ok: false, kind: "too-large", message: expect.stringMatching(/5 MB/) });
    const entries = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`${i + 1}-x.md`, strToU8(chunk)]));
    expect(collectImportFiles([{ name: "big.zip", bytes: zipSync(entries) }])).toMatchObject({ ok: false, kind: "too-large" });
  });

  it("says 400 for a broken zip and for an upload with no Markdown in it", () => {
    expect(collectImportFiles([{ name: "broken.zip", bytes: strToU8("PK not really a zip") }])).toMatchObject({ ok: false, kind: "invalid", message: expect.stringMatching(/not a zip/) });
    expect(collectImportFiles([file("notes.txt", "hello")])).toMatchObject({ ok: false, kind: "invalid", message: expect.stringMatching(/No Markdown/) });
  });

  it("cleans paths: no parent folders, backslashes or empty segments", () => {
    const zip = zipSync({ "../../etc/0001-x.md": strToU8("# X\n"), "a\\b\\0002-y.md": strToU8("# Y\n") });
    const result = collectImportFiles([{ name: "p.zip", bytes: zip }]);
    expect(result.ok && result.files.map((f) => f.path)).toEqual(["etc/0001-x.md", "a/b/0002-y.md"]);
  });
});
