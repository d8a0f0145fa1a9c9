/**
 * Markdown kept as it was written (docs/decisions/0022). An imported file keeps its text, and
 * each top-level block of its document remembers the slice of text it came from and a hash of
 * what it was. Writing the document back out takes the slice of every block still equal to what
 * was read, and writes only new or changed blocks anew, in the text's own style. What lies
 * between blocks (blank lines, link definitions, lines the import read as metadata) stays where
 * it was. An unedited document gives back its text byte for byte.
 */
import { createHash } from "node:crypto";
import type { SourceRange } from "./markdown-read";
import type { MarkdownStyle } from "./markdown-write";
import type { DocumentJSON, DocumentNodeJSON } from "./schema";

export type SourceBlock = SourceRange & { hash: string };

/** What a stored document needs to be written back as its source: kept with the source text. */
export type MarkdownSourceMap = {
  /** Where the body starts: the text before it (front matter, title, metadata) is the head. */
  bodyFrom: number;
  /** The top-level blocks read from the text, in order, with the slice each came from. */
  blocks: SourceBlock[];
  style: MarkdownStyle;
};

/** A document's JSON with keys in one order, as jsonb and the editor may each reorder them. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function fingerprint(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("base64url").slice(0, 22);
}

/** The document's top-level blocks, less the empty paragraph an empty document is given. */
function bodyBlocks(doc: DocumentJSON): DocumentNodeJSON[] {
  const blocks = Array.isArray(doc.content) ? doc.content : [];
  return blocks.length === 1 && blocks[0]!.type === "paragraph" && !blocks[0]!.content?.length ? [] : blocks;
}

/**
 * The source map of a document just read: `ranges` are the reader's, one per block of `doc`
 * (which may have been changed since, say links rewritten, as long as its blocks are the same).
 */
export function sourceMapOf(doc: DocumentJSON, ranges: Array<SourceRange | null>, style: MarkdownStyle, textLength: number): MarkdownSourceMap {
  const blocks = bodyBlocks(doc).flatMap((block, i) => {
    const range = ranges[i];
    return range ? [{ from: range.from, to: range.to, hash: fingerprint(block) }] : [];
  });
  return { bodyFrom: blocks[0]?.from ?? textLength, blocks, style };
}

/** Whether the document's blocks are exactly the ones read from the source. */
export function bodyUnchanged(doc: DocumentJSON, map: MarkdownSourceMap): boolean {
  const current = bodyBlocks(doc);
  return current.length === map.blocks.length && current.every((block, i) => fingerprint(block) === map.blocks[i]!.hash);
}

type Item = { kind: "block"; stored: number; from: number; to: number } | { kind: "kept"; from: number; to: number };
/** A piece of the body written out: a slice of the source, or blocks written anew in place of source item `at`. */
type Out = { item: number } | { fresh: DocumentNodeJSON[]; at: number | null };

/**
 * The body (from `map.bodyFrom` on) of `text` with the document's current blocks: unchanged ones
 * as their slices, the rest written by `write` (which may rewrite links first).
 * `text` is the source with "\n" line ends, as it was read.
 */
export function mergeBody(text: string, map: MarkdownSourceMap, doc: DocumentJSON, write: (blocks: DocumentNodeJSON[], style: MarkdownStyle) => string): string {
  const items = itemsOf(text, map);
  const current = bodyBlocks(doc);
  const matched = matchBlocks(
    map.blocks.map((b) => b.hash),
    current.map((b) => fingerprint(b)),
  );
  const currentOf = new Map(matched.map(([s, c]) => [s, c]));
  const matchedCurrent = new Set(matched.map(([, c]) => c));

  const out: Out[] = [];
  let next = 0; // the first current block not yet written
  const flushUntil = (end: number, at: number | null) => {
    const fresh: DocumentNodeJSON[] = [];
    for (; next < end; next++) if (!matchedCurrent.has(next)) fresh.push(current[next]!);
    if (fresh.length > 0) out.push({ fresh, at });
  };
  const nextMatchedAfter = (from: number) => {
    let c = from;
    while (c < current.length && !matchedCurrent.has(c)) c++;
    return c;
  };
  items.forEach((item, index) => {
    if (item.kind === "kept") return void out.push({ item: index });
    const c = currentOf.get(item.stored);
    if (c === undefined) {
      // Changed or removed: what replaced it goes where it was, between the same neighbours.
      flushUntil(nextMatchedAfter(next), index);
      return;
    }
    flushUntil(c, null);
    out.push({ item: index });
    next = c + 1;
  });
  flushUntil(current.length, null);

  // Where a piece stands among the source's items: neighbours that stood side by side keep the space between them.
  const at = (piece: Out) => ("item" in piece ? piece.item : piece.at);
  let body = "";
  let previous: Out | null = null;
  for (const piece of out) {
    const chunk = "item" in piece ? text.slice(items[piece.item]!.from, items[piece.item]!.to) : write(piece.fresh, styleBeside(text, items, out, piece, map.style));
    if (chunk === "") continue;
    const [a, b] = [previous ? at(previous) : null, at(piece)];
    if (a !== null && b !== null && b === a + 1) body += text.slice(items[a]!.to, items[b]!.from);
    else if (body !== "") body += "\n\n";
    body += chunk;
    previous = piece;
  }
  const last = previous ? at(previous) : null;
  const tail = last !== null && last === items.length - 1 ? text.slice(items[last]!.to) : "\n";
  return body === "" ? "" : body + tail;
}

/**
 * A list written next to a list of the source with the same marker would read back as one list:
 * new blocks take markers their neighbours do not use.
 */
function styleBeside(text: string, items: Item[], out: Out[], piece: Out, style: MarkdownStyle): MarkdownStyle {
  const at = out.indexOf(piece);
  const markers = [out[at - 1], out[at + 1]].flatMap((near) => {
    if (!near || !("item" in near)) return [];
    const item = items[near.item]!;
    const marker = /^[ \t]*(?:([*+-])|\d{1,9}([.)]))[ \t]/.exec(text.slice(item.from, item.to));
    return marker ? [marker[1] ?? marker[2]!] : [];
  });
  const bullet = (["-", "*", "+"] as const).filter((m) => !markers.includes(m));
  const next = { ...style };
  if (markers.includes(style.bullet ?? "-")) next.bullet = bullet.find((m) => m !== (style.bullet ?? "-")) ?? "+";
  if (markers.includes(style.bulletOrdered ?? ".")) next.bulletOrdered = (style.bulletOrdered ?? ".") === "." ? ")" : ".";
  return next;
}

/** The body as a row of blocks and of kept text between them (runs of non-blank lines). */
function itemsOf(text: string, map: MarkdownSourceMap): Item[] {
  const items: Item[] = [];
  let at = map.bodyFrom;
  const keepBetween = (from: number, to: number) => {
    const pattern = /[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g;
    const gap = text.slice(from, to);
    for (const match of gap.matchAll(pattern)) items.push({ kind: "kept", from: from + match.index, to: from + match.index + match[0].length });
  };
  map.blocks.forEach((block, stored) => {
    if (block.from < at) return; // overlapping ranges do not happen; never write a slice twice
    keepBetween(at, block.from);
    items.push({ kind: "block", stored, from: block.from, to: block.to });
    at = block.to;
  });
  keepBetween(at, text.length);
  return items;
}

/** Longest common subsequence of the stored and current block hashes: pairs [stored, current]. */
function matchBlocks(stored: string[], current: string[]): Array<[number, number]> {
  const n = stored.length;
  const m = current.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = stored[i] === current[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (stored[i] === current[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** "\r\n" and a byte-order mark are put back on text merged from a source that had them. */
export function normalizeSource(raw: string): string {
  return raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

export function restoreLineEnds(raw: string, text: string): string {
  const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
  return bom + (raw.includes("\r\n") ? text.replace(/\n/g, "\r\n") : text);
}

