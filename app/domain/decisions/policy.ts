/** Decision records: editors write, link, import and restore them. */
import type { Rule } from "~/domain/shared/policy";

export const decisionPolicy = {
  "decision.create": { needs: "editor" } as Rule,
  "decision.edit": { needs: "editor" } as Rule,
  "decision.link": { needs: "editor" } as Rule,
  "decision.import": { needs: "editor" } as Rule,
};
