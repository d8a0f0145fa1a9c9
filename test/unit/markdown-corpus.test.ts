/**
 * The Markdown corpus (test/fixtures/markdown/, written for these tests in the styles real teams
 * use): every decision file exports byte for byte as imported, one edit changes only the edited
 * block, import(export(x)) is x, and no link, image, code block or heading is lost on the way in.
 * docs/benchmarks/markdown.md records the figures.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { decisionToMarkdown, metaFingerprint, parseAdrFile, type ExportRecord, type ParsedAdr } from "~/domain/decisions/index.server";
import {
  documentToMarkdown,
  markdownToDocument,
  normalizeSource,
  parseMarkdown,
  sourceMapOf,
  writeMarkdown,
  type DocumentJSON,
} from "~/domain/documents/index.server";
import type { DocumentNodeJSON } from "~/domain/documents/rules";

const ROOT = path.resolve(__dirname, "../fixtures/markdown");
const corpus = readdirSync(ROOT, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".md"))
  .sort()
  .map((file) => ({ file, text: readFileSync(path.join(ROOT, file), "utf8") }));
const postmortems = corpus.filter((c) => c.file.startsWith("postmortems/"));
const decisions = corpus.filter((c) => !c.file.startsWith("postmortems/") && parseAdrFile(c.file, c.text).outcome !== "ignored");

function parsed(file: string, text: string): ParsedAdr {
  const result = parseAdrFile(file, text);
  if (result.outcome !== "parsed") throw new Error(`${file}: ${JSON.stringify(result)}`);
  return result.adr;
}

/** The record an import of the file makes, as the export loads it (no database: links stay as written). */
function imported(file: string, text: string, body?: DocumentJSON): ExportRecord {
  const adr = parsed(file, text);
  const record: ExportRecord = {
    kind: adr.kind ?? "adr",
    number: adr.sourceNumber ?? 1,
    title: adr.title,
    status: adr.status,
    statusWord: adr.statusWord,
    decidedOn: adr.decidedOn,
    deciders: adr.deciders,
    tags: adr.tags,
    body: adr.body,
    frontMatter: adr.frontMatter,
    links: [],
    updatedAt: new Date("2025-01-01T00:00:00Z"),
    fileName: path.basename(file),
  };
  const map = sourceMapOf(adr.body, adr.source.ranges, adr.source.style, normalizeSource(text).length);
  return { ...record, body: body ?? adr.body, source: { text, map: { ...map, meta: metaFingerprint(record) } } };
}

// ---------------------------------------------------------------------------------------------
// Counting constructs with the Markdown parser on the source, and in the stored document

type Counts = { urls: string[]; images: number; code: number; headings: string[]; comments: number };

function sourceCounts(markdown: string): Counts {
  const tree = parseMarkdown(markdown);
  const definitions = new Map<string, string>();
  const counts: Counts = { urls: [], images: 0, code: 0, headings: [], comments: 0 };
  const collect = (node: Nodes) => {
    if (node.type === "definition") definitions.set(node.identifier, node.url);
    if ("children" in node) node.children.forEach(collect);
  };
  const visit = (node: Nodes) => {
    if (node.type === "link") counts.urls.push(node.url);
    if (node.type === "linkReference" && definitions.has(node.identifier)) counts.urls.push(definitions.get(node.identifier)!);
    if (node.type === "image" || node.type === "imageReference") counts.images++;
    if (node.type === "code") counts.code++;
    if (node.type === "heading") counts.headings.push(textOf(node).trim());
    if (node.type === "html" && /^\s*<!--/.test(node.value)) counts.comments++;
    if ("children" in node) node.children.forEach(visit);
  };
  collect(tree);
  visit(tree);
  return { ...counts, urls: counts.urls.sort() };
}

function textOf(node: Nodes): string {
  if ("value" in node && node.type !== "html") return node.value;
  return "children" in node ? node.children.map(textOf).join("") : "";
}

function documentCounts(doc: DocumentNodeJSON): Counts {
  const counts: Counts = { urls: [], images: 0, code: 0, headings: [], comments: 0 };
  const visit = (node: DocumentNodeJSON) => {
    if (node.type === "image") counts.images++;
    if (node.type === "codeBlock") counts.code++;
    if (node.type === "heading") counts.headings.push((node.content ?? []).map((n) => n.text ?? "").join("").trim());
    if (node.type === "htmlComment" || node.type === "htmlCommentBlock") counts.comments++;
    // One link is a run of inline nodes under the same link mark.
    let previousHref: unknown = null;
    for (const child of node.content ?? []) {
      const href = child.marks?.find((m) => m.type === "link")?.attrs?.href ?? null;
      if (href !== null && href !== previousHref) counts.urls.push(String(href));
      previousHref = href;
      visit(child);
    }
  };
  visit(doc);
  return { ...counts, urls: counts.urls.sort() };
}

/** The file's Markdown without its front matter (blanked, so nothing else moves). */
function withoutFrontMatter(text: string): string {
  const normalized = normalizeSource(text);
  const match = /^---[ \t]*\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(normalized);
  return match ? normalized.replace(match[0], match[0].replace(/[^\n]/g, " ")) : normalized;
}

/** A copy of the document with " (edited)" after the last words of top-level block `index`. */
function editBlock(doc: DocumentJSON, index: number): DocumentJSON {
  const copy = structuredClone(doc);
  const block = copy.content![index]!;
  const texts = (block.content ?? []).filter((n) => n.type === "text" && !n.marks?.length);
  const last = texts[texts.length - 1];
  if (last) last.text += " (edited)";
  else block.content = [...(block.content ?? []), { type: "text", text: "Edited." }];
  return copy;
}

const editable = (doc: DocumentJSON) => (doc.content ?? []).findIndex((b, i) => i > 0 && (b.type === "paragraph" || b.type === "heading") && (b.content?.length ?? 0) > 0);

// ---------------------------------------------------------------------------------------------

describe("the Markdown corpus", () => {
  it("holds at least 40 files in many styles, index files among them", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    for (const folder of ["madr2/", "madr3/", "madr4/", "nygard/", "tables/", "docusaurus/", "invalid-yaml/", "postmortems/"]) {
      expect(corpus.some((c) => c.file.startsWith(folder)), folder).toBe(true);
    }
    const ignored = corpus.filter((c) => parseAdrFile(c.file, c.text).outcome === "ignored").map((c) => path.basename(c.file));
    expect(ignored.sort()).toEqual(["000-index.md", "README.md", "README.md"]);
  });

  it.each(decisions.map((c) => [c.file, c.text]))("imports %s without an error", (file, text) => {
    expect(parseAdrFile(file, text).outcome).toBe("parsed");
  });

  it.each(decisions.map((c) => [c.file, c.text]))("exports %s byte for byte when nobody edited it", (file, text) => {
    expect(decisionToMarkdown(imported(file, text), () => null)).toBe(text);
  });

  it.each(decisions.map((c) => [c.file, c.text]))("after one edit, %s differs only in the edited block", (file, text) => {
    const adr = parsed(file, text);
    const index = editable(adr.body);
    if (index < 0) return expect(adr.body.content!.length).toBeLessThanOrEqual(2);
    const edited = editBlock(adr.body, index);
    const out = decisionToMarkdown(imported(file, text, edited), () => null);
    const range = adr.source.ranges[index]!;
    const normalized = normalizeSource(text);
    const expected = normalized.slice(0, range.from) + writeMarkdown([edited.content![index]!], adr.source.style) + normalized.slice(range.to);
    expect(normalizeSource(out)).toBe(expected);
    expect(out.includes("\r\n")).toBe(text.includes("\r\n"));
  });

  it.each(decisions.map((c) => [c.file, c.text]))("a new status re-writes the head of %s and keeps its body as written", (file, text) => {
    const record = imported(file, text);
    const out = decisionToMarkdown({ ...record, status: record.status === "rejected" ? "accepted" : "rejected", statusWord: null }, () => null);
    expect(normalizeSource(out)).toMatch(/^---\nid: (ADR|RFC)-\d+\n/);
    const adr = parsed(file, text);
    const normalized = normalizeSource(text);
    const bodyFrom = adr.source.ranges.find((r) => r !== null)?.from ?? normalized.length;
    expect(normalizeSource(out).endsWith(normalized.slice(bodyFrom))).toBe(true);
  });

  it.each(decisions.map((c) => [c.file, c.text]))("import(export(x)) is x for %s, also when the export is written anew", (file, text) => {
    const adr = parsed(file, text);
    const fresh = decisionToMarkdown({ ...imported(file, text), source: null, fileName: null }, () => null);
    const back = parsed(path.basename(file), fresh);
    const fields = (a: ParsedAdr) => ({ title: a.title, status: a.status, statusWord: a.statusWord, decidedOn: a.decidedOn, deciders: a.deciders, tags: a.tags, frontMatter: a.frontMatter });
    expect(fields(back)).toEqual(fields(adr));
    expect(back.body).toEqual(adr.body);
    // And the verbatim export reads back as the same record.
    expect(parsed(file, decisionToMarkdown(imported(file, text), () => null))).toEqual(adr);
  });

  it.each(corpus.map((c) => [c.file, c.text]))("%s: the document keeps every link, image, code block, heading and comment", (_file, text) => {
    const markdown = withoutFrontMatter(text);
    expect(documentCounts(markdownToDocument(markdown))).toEqual(sourceCounts(markdown));
  });

  it.each(decisions.map((c) => [c.file, c.text]))("%s: what the body lacks of the source is the record's title, status and typed links", (file, text) => {
    const adr = parsed(file, text);
    const source = sourceCounts(withoutFrontMatter(text));
    const body = documentCounts(adr.body);
    expect(body.images).toBe(source.images);
    expect(body.code).toBe(source.code);
    // A comment in the title heading ("# Title <!-- was: … -->") goes with the title; the file's text keeps it.
    const titleLine = /^#[ \t][^\n]*$/m.exec(withoutFrontMatter(text).trim())?.[0] ?? "";
    const inTitle = body.headings.includes(adr.title) ? 0 : (titleLine.match(/<!--/g) ?? []).length;
    expect(body.comments).toBe(source.comments - inTitle);
    const missingHeadings = [...source.headings];
    for (const heading of body.headings) missingHeadings.splice(missingHeadings.indexOf(heading), 1);
    for (const heading of missingHeadings) expect([adr.title, "Status"], file).toContain(heading.replace(/^(?:\d+\.|ADR-?\d+:|RFC \d+ -)\s*/i, ""));
    const missingUrls = [...source.urls];
    for (const url of body.urls) missingUrls.splice(missingUrls.indexOf(url), 1);
    const typedLinks = adr.links.flatMap((l) => (l.href ? [l.href] : []));
    for (const url of missingUrls) expect(typedLinks, file).toContain(url);
  });

  it.each(postmortems.map((c) => [c.file, c.text]))("import(export(x)) is x for the pasted postmortem %s", (_file, text) => {
    const doc = markdownToDocument(withoutFrontMatter(text));
    expect(markdownToDocument(documentToMarkdown(doc))).toEqual(doc);
  });
});
