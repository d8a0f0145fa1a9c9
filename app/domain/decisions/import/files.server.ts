/**
 * Turns what a person uploaded (a folder's files, a zip, or both) into Markdown texts, within
 * limits that keep one upload from hogging the server. Pure: bytes in, texts out.
 */
import { invalid, tooLarge, type Outcome } from "~/domain/shared/outcomes";
import { unzipSync } from "fflate";

/** What an upload holds once unpacked: the text of a Markdown file, or why it can't be read or is skipped. */
export type StagedFile = { path: string; text?: string; error?: string; ignored?: string };

/** Files in an ADR folder that are not records: READMEs, indexes, templates, hidden and system files. */
export function ignoredReason(filePath: string): string | null {
  const segments = filePath.split("/").filter(Boolean);
  const name = (segments[segments.length - 1] ?? "").toLowerCase();
  if (segments.some((s) => s.startsWith(".") || s === "__MACOSX")) return "A hidden or system file.";
  if (!/\.(md|markdown)$/.test(name)) return "Not a Markdown file.";
  // "index.md", "README.md", and numbered ones that sort first in the folder: "000-index.md", "0000-readme.md".
  if (/^(?:\d+[-_ .]?)?(readme|index|summary|toc|contents|table-of-contents|adr-index|decision-log|log)\.(md|markdown)$/.test(name)) {
    return "An index or README, not a decision record.";
  }
  if (name.includes("template")) return "A template, not a decision record.";
  return null;
}

export const IMPORT_LIMITS = {
  /** The whole upload, and the Markdown unpacked from zips. */
  totalBytes: 5 * 1024 * 1024,
  /** One Markdown file: far past any real decision record. */
  fileBytes: 512 * 1024,
  files: 500,
} as const;

export type Upload = { name: string; bytes: Uint8Array; tooLarge?: boolean };
export type CollectResult = Outcome<{ files: StagedFile[] }>;

const KB = 1024;
const MB = 1024 * 1024;

/**
 * Unpacks zips, decodes UTF-8, and sorts files into readable, refused (per file, shown in the
 * preview) and ignored. Refuses the whole upload (413) past the file count or the total size.
 */
export function collectImportFiles(uploads: Upload[]): CollectResult {
  const files: StagedFile[] = [];
  let markdownBytes = 0;
  let markdownFiles = 0;
  const tooMany = (): CollectResult => ({
    ok: false,
    kind: "too-large",
    message: `That is more than ${IMPORT_LIMITS.files} Markdown files. Import the decision records folder on its own, or in parts.`,
  });
  const tooBig = (): CollectResult => ({
    ok: false,
    kind: "too-large",
    message: `The Markdown in this upload is larger than ${IMPORT_LIMITS.totalBytes / MB} MB in all. Import it in parts.`,
  });

  const add = (path: string, bytes: Uint8Array | null, declaredSize: number): CollectResult | null => {
    const ignored = ignoredReason(path);
    if (ignored) {
      files.push({ path, ignored });
      return null;
    }
    markdownFiles += 1;
    if (markdownFiles > IMPORT_LIMITS.files) return tooMany();
    if (bytes === null || declaredSize > IMPORT_LIMITS.fileBytes || bytes.byteLength > IMPORT_LIMITS.fileBytes) {
      files.push({ path, error: `The file is larger than ${IMPORT_LIMITS.fileBytes / KB} KB.` });
      return null;
    }
    markdownBytes += bytes.byteLength;
    if (markdownBytes > IMPORT_LIMITS.totalBytes) return tooBig();
    const text = decodeUtf8(bytes);
    // A NUL can't be stored with the staged batch; refuse this file alone, not the whole upload.
    if (text === null) files.push({ path, error: "The file is not UTF-8 text." });
    else if (text.includes("\u0000")) files.push({ path, error: "This is not a text file: it holds control characters." });
    else files.push({ path, text });
    return null;
  };

  for (const upload of uploads) {
    const name = cleanPath(upload.name);
    if (!name) continue;
    if (/\.zip$/i.test(name)) {
      if (upload.tooLarge) return tooLarge(`${name} is larger than ${IMPORT_LIMITS.totalBytes / MB} MB.`);
      const unpacked = unzip(name, upload.bytes);
      if (!unpacked.ok) return unpacked;
      for (const entry of unpacked.entries) {
        const refused = add(entry.path, entry.bytes, entry.declaredSize);
        if (refused) return refused;
      }
      continue;
    }
    const refused = add(name, upload.tooLarge ? null : upload.bytes, upload.tooLarge ? Infinity : upload.bytes.byteLength);
    if (refused) return refused;
  }
  if (markdownFiles === 0) {
    return invalid({}, "No Markdown files were found. Choose the folder that holds your decision records (.md files), or a zip of it.");
  }
  return { ok: true, files: dedupePaths(files) };
}

type ZipEntry = { path: string; raw: string; bytes: Uint8Array | null; declaredSize: number };

/** Entries of any kind a zip may list; past this it is not an ADR folder. */
const MAX_ZIP_ENTRIES = 5000;

/**
 * Unpacks the Markdown entries of a zip. fflate inflates into a buffer of the size the entry
 * declares, so a lying header yields a short, bounded buffer, never an unbounded one; the
 * declared sizes are what the limits are checked against, before anything is inflated.
 */
function unzip(name: string, bytes: Uint8Array): Outcome<{ entries: ZipEntry[] }> {
  const listed: ZipEntry[] = [];
  let entries = 0;
  let markdown = 0;
  let declaredTotal = 0;
  let refused: string | null = null;
  let extracted: Record<string, Uint8Array>;
  try {
    extracted = unzipSync(bytes, {
      filter: (file) => {
        const path = cleanPath(file.name);
        if (refused || file.name.endsWith("/") || !path) return false;
        if (++entries > MAX_ZIP_ENTRIES) refused = `${name} holds more than ${MAX_ZIP_ENTRIES} entries.`;
        if (ignoredReason(path)) {
          listed.push({ path, raw: file.name, bytes: new Uint8Array(), declaredSize: 0 });
          return false;
        }
        if (++markdown > IMPORT_LIMITS.files) refused = `${name} holds more than ${IMPORT_LIMITS.files} Markdown files. Import it in parts.`;
        const fits = file.originalSize <= IMPORT_LIMITS.fileBytes;
        if (fits) declaredTotal += file.originalSize;
        if (declaredTotal > IMPORT_LIMITS.totalBytes) refused = `${name} unpacks to more than ${IMPORT_LIMITS.totalBytes / MB} MB of Markdown. Import it in parts.`;
        listed.push({ path, raw: file.name, bytes: null, declaredSize: file.originalSize });
        return fits && !refused;
      },
    });
  } catch {
    return invalid({}, `${name} is not a zip file that can be read.`);
  }
  if (refused) return tooLarge(refused);
  for (const entry of listed) if (entry.bytes === null) entry.bytes = extracted[entry.raw] ?? null;
  return { ok: true, entries: listed };
}

/** "./docs//adr/0001-x.md", "C:\\adr\\x.md" → "docs/adr/0001-x.md"; parent references removed. */
function cleanPath(name: string): string {
  return name
    .replace(/\\/g, "/")
    .split("/")
    .filter((segment) => segment !== "" && segment !== "." && segment !== "..")
    .join("/")
    .slice(0, 300);
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Two uploads with the same name (a folder and a zip of it) must stay apart: "x.md", "x (2).md". */
function dedupePaths(files: StagedFile[]): StagedFile[] {
  const used = new Set<string>();
  return files.map((file) => {
    let candidate = file.path;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = file.path.replace(/(\.[^.]+)?$/, ` (${n})$1`);
    used.add(candidate.toLowerCase());
    return candidate === file.path ? file : { ...file, path: candidate };
  });
}
