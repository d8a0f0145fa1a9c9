/**
 * Decision-record templates: Markdown files in templates/decision with a name, a description and
 * a kind (adr or rfc) in their front matter. Same loader as the postmortem templates.
 */
import type { DecisionKind } from "#db/schema";
import { type DocumentJSON, templateFolder } from "~/domain/documents/index.server";

export type DecisionTemplateSummary = { key: string; name: string; description: string; kind: DecisionKind };
export type DecisionTemplate = DecisionTemplateSummary & { doc: DocumentJSON };

const folder = templateFolder(
  "decision",
  (fields, file) => {
    const { name, description, kind } = fields;
    if (typeof name !== "string" || typeof description !== "string" || (kind !== "adr" && kind !== "rfc")) {
      throw new Error(`${file} needs a name, a description and kind: adr or rfc`);
    }
    return { name, description, kind: kind as DecisionKind };
  },
  // MADR first (the usual choice), then the others in file-name order.
  (a, b) => (a === "madr" ? -1 : b === "madr" ? 1 : a.localeCompare(b)),
);

export function listDecisionTemplates(): DecisionTemplateSummary[] {
  return folder.list();
}

export function decisionTemplate(key: string): DecisionTemplate | null {
  return folder.get(key);
}
