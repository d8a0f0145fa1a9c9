/** Guardrails: editors (and write tokens) write factors, actions and gates; a published postmortem's factors are frozen. */
import type { PostmortemStatus } from "#db/schema";
import { conflict } from "~/domain/shared/outcomes";
import { ALLOWED, type Rule } from "~/domain/shared/policy";

export type FactorSubject = { postmortemStatus: PostmortemStatus };

export const guardrailPolicy = {
  "factor.edit": {
    needs: "editor",
    when: (factor) =>
      factor.postmortemStatus === "published" ? conflict("The postmortem is published. Reopen it to change its factors.") : ALLOWED,
  } as Rule<FactorSubject>,
  "action.create": { needs: "editor" } as Rule,
  "action.edit": { needs: "editor" } as Rule,
  "gate.create": { needs: "editor" } as Rule,
  "gate.edit": { needs: "editor" } as Rule,
  // Asks GitHub with the workspace's stored token: an editor's step, like recording a gate.
  "gate.check": { needs: "editor" } as Rule,
};
