/**
 * Postmortem templates: Markdown files in templates/postmortem, each with a short front matter
 * (name, description). A new postmortem's body starts as one of them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { markdownToDocument, type DocumentJSON } from "./documents.server";

export type PostmortemTemplateSummary = { key: string; name: string; description: string };
export type PostmortemTemplate = PostmortemTemplateSummary & { doc: DocumentJSON };

// Read at run time from the project root (the working directory in dev, production and tests),
// so the server bundle needs no copy of the files.
const TEMPLATE_DIR = path.resolve("templates/postmortem");
// A key is a plain file name without ".md": nothing that could walk out of the folder.
const TEMPLATE_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

let cache: Map<string, PostmortemTemplate> | undefined;

/** The templates a writer can start from, in file-name order. */
export function listPostmortemTemplates(): PostmortemTemplateSummary[] {
  return [...loadTemplates().values()].map(({ key, name, description }) => ({ key, name, description }));
}

/** One template with its starting document, or null for a key that names no template. */
export function postmortemTemplate(key: string): PostmortemTemplate | null {
  if (!TEMPLATE_KEY.test(key)) return null;
  const template = loadTemplates().get(key);
  // A copy, so a caller that edits its document cannot change the cached template.
  return template ? { ...template, doc: structuredClone(template.doc) } : null;
}

function loadTemplates(): Map<string, PostmortemTemplate> {
  if (cache) return cache;
  const loaded = new Map<string, PostmortemTemplate>();
  const files = readdirSync(TEMPLATE_DIR)
    .filter((file) => file.endsWith(".md"))
    .sort();
  for (const file of files) {
    const key = file.slice(0, -".md".length);
    if (!TEMPLATE_KEY.test(key)) continue;
    loaded.set(key, parseTemplate(key, readFileSync(path.join(TEMPLATE_DIR, file), "utf8")));
  }
  cache = loaded;
  return loaded;
}

/** A template that cannot be read is a bug in the repository, so it throws rather than hiding. */
function parseTemplate(key: string, source: string): PostmortemTemplate {
  const match = FRONT_MATTER.exec(source);
  if (!match) throw new Error(`templates/postmortem/${key}.md has no front matter`);
  const fields = new Map<string, string>();
  for (const line of match[1]!.split(/\r?\n/)) {
    const field = /^([a-z]+):\s*(.*)$/.exec(line.trim());
    if (field) fields.set(field[1]!, field[2]!.replace(/^(["'])(.*)\1$/, "$2"));
  }
  const name = fields.get("name");
  const description = fields.get("description");
  if (!name || !description) throw new Error(`templates/postmortem/${key}.md needs a name and a description`);
  return { key, name, description, doc: markdownToDocument(source.slice(match[0].length)) };
}
