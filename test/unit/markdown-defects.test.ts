/** Issue 16's defects, one example each: what used to be refused, lost or changed now survives. */
import { describe, expect, it } from "vitest";
import { decisionToMarkdown, metaFingerprint, parseAdrFile, type ExportRecord, type ParsedAdr } from "~/domain/decisions/index.server";
import { documentToMarkdown, markdownToDocument, normalizeSource, renderDocumentHtml, sourceMapOf } from "~/domain/documents/index.server";
import { looksLikeMarkdown } from "~/domain/documents/rules";

function adr(path: string, text: string): ParsedAdr {
  const parsed = parseAdrFile(path, text);
  if (parsed.outcome !== "parsed") throw new Error(JSON.stringify(parsed));
  return parsed.adr;
}

/** Imported and exported again, with nothing edited. */
function roundTrip(path: string, text: string): string {
  const a = adr(path, text);
  const { source, ...fields } = a;
  const record: ExportRecord = { ...fields, kind: a.kind ?? "adr", number: a.sourceNumber ?? 1, links: [], updatedAt: new Date(0), fileName: path };
  const map = sourceMapOf(a.body, source.ranges, source.style, normalizeSource(text).length);
  return decisionToMarkdown({ ...record, source: { text, map: { ...map, meta: metaFingerprint(record) } } }, () => null);
}

const html = (markdown: string) => renderDocumentHtml(markdownToDocument(markdown));

describe("Markdown that used to be refused, lost or changed", () => {
  it("1. inline code inside link text is kept, not refused", () => {
    expect(html("See [the `adr` tool's docs](https://example.org/adr).")).toBe(
      '<p>See <a href="https://example.org/adr" rel="noopener noreferrer nofollow">the <code>adr</code> tool&#39;s docs</a>.</p>',
    );
  });

  it("2. reference links resolve inside list items, and the definitions stay in the file", () => {
    const text = "# Events\n\n- We could use [NATS] or [Redis].\n\n[NATS]: https://nats.io/\n[Redis]: https://redis.io/\n";
    expect(renderDocumentHtml(adr("0001-events.md", text).body)).toBe(
      '<ul><li><p>We could use <a href="https://nats.io/" rel="noopener noreferrer nofollow">NATS</a> or <a href="https://redis.io/" rel="noopener noreferrer nofollow">Redis</a>.</p></li></ul>',
    );
    expect(roundTrip("0001-events.md", text)).toBe(text);
  });

  it("3. a fenced block under a list item keeps its indentation, trip after trip", () => {
    const markdown = "1. Run this:\n\n   ```sh\n   make test\n   ```\n";
    let doc = markdownToDocument(markdown);
    for (let trip = 0; trip < 3; trip++) doc = markdownToDocument(documentToMarkdown(doc));
    expect(doc).toEqual(markdownToDocument(markdown));
    expect(JSON.stringify(doc)).toContain('"text":"make test"');
  });

  it("4. #### stays a level 4 heading under its ### parent", () => {
    expect(markdownToDocument("### Option A\n\n#### Examples\n").content!.map((b) => b.attrs?.level)).toEqual([3, 4]);
  });

  it("5. an image, a badge inside a link too, is kept as an image and written back", () => {
    const markdown = '[![CI](https://img.shields.io/ci.svg "Build")](https://ci.example/acme) and ![diagram](img/d.png)';
    const doc = markdownToDocument(markdown);
    expect(renderDocumentHtml(doc)).toBe(
      '<p><a href="https://ci.example/acme" rel="noopener noreferrer nofollow"><img src="https://img.shields.io/ci.svg" alt="CI" title="Build" loading="lazy" referrerpolicy="no-referrer"></a> and <img src="img/d.png" alt="diagram" loading="lazy" referrerpolicy="no-referrer"></p>',
    );
    expect(documentToMarkdown(doc)).toBe(`${markdown}\n`);
  });

  it("6. HTML comments are never shown and are written back verbatim", () => {
    const markdown = "## Links <!-- optional -->\n\n<!-- This is an optional element. -->\n\nText.";
    expect(html(markdown)).toBe("<h2>Links </h2><p>Text.</p>");
    expect(documentToMarkdown(markdownToDocument(markdown))).toBe(`${markdown}\n`);
  });

  it("7. front matter YAML refuses is read line by line, with a warning, and exported as written", () => {
    const text = "---\ntitle: ADR004: Module structure\nstatus: accepted\n---\n\n# ADR004: Module structure\n\nText.\n";
    expect(adr("0004-module-structure.md", text)).toMatchObject({ title: "Module structure", status: "accepted", sourceNumber: 4 });
    expect(roundTrip("0004-module-structure.md", text)).toBe(text);
  });

  it.each([
    ["| Status | Date | Author(s) |\n|---|---|---|\n| Accepted | 2023-04-01 | @someone |", { status: "accepted", decidedOn: "2023-04-01", deciders: ["@someone"] }],
    ["| Created | Status |\n| --- | --- |\n| 2023-05-17 | Rejected |", { status: "rejected", decidedOn: "2023-05-17" }],
    ["| Status | Deprecated |\n|---|---|\n| Date | 2022-09-09 |", { status: "deprecated", decidedOn: "2022-09-09" }],
  ])("8. a metadata table gives status, date and deciders, and stays in the body: %s", (table, expected) => {
    const a = adr("0001-x.md", `# X\n\n${table}\n\n## Context\n\nText.\n`);
    expect(a).toMatchObject({ ...expected, warnings: [] });
    expect(renderDocumentHtml(a.body)).toMatch(/^<div class="table-wrap"><table>/);
  });

  it("9. a status the app does not model maps to the nearest one and keeps its word", () => {
    expect(adr("0001-x.md", "---\nstatus: on hold\n---\n# X\n")).toMatchObject({ status: "proposed", statusWord: "on hold" });
    expect(adr("0002-y.md", "# Y\n\n* Status: Approved\n")).toMatchObject({ status: "accepted", statusWord: "Approved" });
    expect(adr("0003-z.md", "# Z\n\n## Status\n\nAccepted\n")).toMatchObject({ status: "accepted", statusWord: null });
  });

  it("10. 0000 is number 0, and numbered index files are not records", () => {
    expect(adr("0000-use-markdown-adrs.md", "# Use Markdown ADRs\n").sourceNumber).toBe(0);
    expect(parseAdrFile("doc/adr/000-index.md", "# Index\n").outcome).toBe("ignored");
  });

  it("11. harmless Markdown is exported as written", () => {
    const text =
      "# Harmless\n\n* Status: accepted\n\n## Context\n\n* a star list\n* <https://x.example/a_b>\n\n* AT&T &amp; more\n\n* a loose item\n  with a continuation line\n";
    expect(roundTrip("0007-harmless.md", text)).toBe(text);
  });
});

describe("recognising Markdown in a plain-text paste", () => {
  it.each([
    "# Title\n\nText",
    "Some words\n\n## Summary",
    "- one\n- two",
    "1. first\n2. second",
    "```\ncode\n```",
    "See [the runbook](https://runbooks.example.com/db).",
    "It was **not** the network.",
    "Run `make test` first.",
    "| a | b |\n| --- | --- |\n| 1 | 2 |",
    "> quoted",
  ])("converts %j", (text) => expect(looksLikeMarkdown(text)).toBe(true));

  it.each(["Just a sentence.", "https://example.com/a_b", "2024-01-01 10:00 deploy started\n2024-01-01 10:05 alert fired", "a - b - c", "#hashtag"])(
    "leaves %j as plain text",
    (text) => expect(looksLikeMarkdown(text)).toBe(false),
  );
});
