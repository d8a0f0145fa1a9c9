/**
 * Postmortem templates: Markdown files in templates/postmortem with a name and a description in
 * their front matter. A new postmortem's body starts as one of them.
 */
import { type DocumentJSON, templateFolder } from "~/domain/documents/index.server";

export type PostmortemTemplateSummary = { key: string; name: string; description: string };
export type PostmortemTemplate = PostmortemTemplateSummary & { doc: DocumentJSON };

const folder = templateFolder("postmortem", (fields, file) => {
  const { name, description } = fields;
  if (typeof name !== "string" || typeof description !== "string") throw new Error(`${file} needs a name and a description`);
  return { name, description };
});

/** The templates a writer can start from, in file-name order. */
export function listPostmortemTemplates(): PostmortemTemplateSummary[] {
  return folder.list();
}

/** One template with its starting document, or null for a key that names no template. */
export function postmortemTemplate(key: string): PostmortemTemplate | null {
  return folder.get(key);
}

/** Every postmortem template's guidance sentences by lower-case heading (for the publish warning). */
export function postmortemGuidance(): Map<string, string[]> {
  return folder.guidance();
}
