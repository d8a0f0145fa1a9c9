import { describe, expect, it } from "vitest";
import { bodyUnchanged, mergeBody, readMarkdownDocument, sourceMapOf, writeMarkdown, type DocumentJSON } from "~/domain/documents/index.server";

const TEXT = "Intro with [a link][x].\n\n* one\n* two\n\n[x]: https://example.com/x\n\nLast words.\n";

function read(text: string) {
  const { doc, ranges, style } = readMarkdownDocument(text);
  return { doc, map: sourceMapOf(doc, ranges, style, text.length) };
}

const write = writeMarkdown;
const paragraph = (text: string) => ({ type: "paragraph", content: [{ type: "text", text }] });

describe("writing a document back over the text it was read from", () => {
  it("gives the text back when nothing changed", () => {
    const { doc, map } = read(TEXT);
    expect(bodyUnchanged(doc, map)).toBe(true);
    expect(mergeBody(TEXT, map, doc, write)).toBe(TEXT);
  });

  it("puts a new block where it was added, in the text's list style, and leaves the rest as written", () => {
    const { doc, map } = read(TEXT);
    const list = { type: "bulletList", content: [{ type: "listItem", content: [paragraph("zero")] }] };
    const added: DocumentJSON = { ...doc, content: [doc.content![0]!, list, ...doc.content!.slice(1)] };
    expect(bodyUnchanged(added, map)).toBe(false);
    // Two lists in a row would read back as one: the new one takes the other marker.
    expect(mergeBody(TEXT, map, added, write)).toBe("Intro with [a link][x].\n\n- zero\n\n* one\n* two\n\n[x]: https://example.com/x\n\nLast words.\n");
  });

  it("drops a removed block and keeps the link definitions between blocks", () => {
    const { doc, map } = read(TEXT);
    const removed: DocumentJSON = { ...doc, content: [doc.content![0]!, doc.content![2]!] };
    expect(mergeBody(TEXT, map, removed, write)).toBe("Intro with [a link][x].\n\n[x]: https://example.com/x\n\nLast words.\n");
  });

  it("keeps only the lines between blocks (definitions) for an emptied document", () => {
    const { map } = read(TEXT);
    expect(mergeBody(TEXT, map, { type: "doc", content: [{ type: "paragraph" }] }, write)).toBe("[x]: https://example.com/x\n");
  });
});
