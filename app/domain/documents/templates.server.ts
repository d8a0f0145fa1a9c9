/**
 * A folder of Markdown templates under templates/, each file opening with YAML front matter.
 * Read at run time from the project root (the working directory in dev, production and tests),
 * so the server bundle needs no copy; parsed once and cached. Postmortem and decision templates
 * both use it.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { markdownToDocument, type DocumentJSON } from "./content.server";
import { collapseTrackedMarkers, guidanceFromComments, sectionsOf } from "./tracked-blocks";

// A key is a plain file name without ".md": nothing that could walk out of the folder.
const TEMPLATE_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export type TemplateFolder<T> = {
  /** Every template in order, without its document. */
  list(): (T & { key: string })[];
  /** One template with a fresh copy of its starting document, or null for an unknown key. */
  get(key: string): (T & { key: string; doc: DocumentJSON }) | null;
  /** Every template's guidance sentences by lower-case heading, to recognise a section never filled in. */
  guidance(): Map<string, string[]>;
};

/**
 * `describe` turns a file's front matter into its summary, or throws: a template that cannot be
 * read is a bug in the repository, not something to hide.
 */
export function templateFolder<T>(
  folder: string,
  describe: (fields: Record<string, unknown>, file: string) => T,
  order: (a: string, b: string) => number = (a, b) => a.localeCompare(b),
): TemplateFolder<T> {
  let cache: Map<string, T & { key: string; doc: DocumentJSON }> | undefined;
  const load = () => {
    if (cache) return cache;
    const dir = path.resolve("templates", folder);
    const keys = readdirSync(dir)
      .filter((file) => file.endsWith(".md"))
      .map((file) => file.slice(0, -".md".length))
      .filter((key) => TEMPLATE_KEY.test(key))
      .sort(order);
    cache = new Map(
      keys.map((key) => {
        const file = `templates/${folder}/${key}.md`;
        const source = readFileSync(path.join(dir, `${key}.md`), "utf8");
        const match = FRONT_MATTER.exec(source);
        if (!match) throw new Error(`${file} has no front matter`);
        const fields = (parseYaml(match[1]!) ?? {}) as Record<string, unknown>;
        // Guidance comments become placeholders and markers live blocks (docs/decisions/0025).
        const doc = collapseTrackedMarkers(guidanceFromComments(markdownToDocument(source.slice(match[0].length))));
        return [key, { ...describe(fields, file), key, doc }];
      }),
    );
    return cache;
  };
  return {
    list: () => [...load().values()].map(({ doc: _doc, ...summary }) => summary as T & { key: string }),
    guidance: () => {
      const byHeading = new Map<string, string[]>();
      for (const template of load().values()) {
        for (const section of sectionsOf(template.doc)) {
          if (!section.guidance) continue;
          const key = section.heading.toLowerCase();
          byHeading.set(key, [...(byHeading.get(key) ?? []), section.guidance]);
        }
      }
      return byHeading;
    },
    get: (key) => {
      if (!TEMPLATE_KEY.test(key)) return null;
      const template = load().get(key);
      // A copy, so a caller that edits its document cannot change the cached template.
      return template ? { ...template, doc: structuredClone(template.doc) } : null;
    },
  };
}
