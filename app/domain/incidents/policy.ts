/** Editors (and write tokens) record incidents, their timelines and the pull requests involved. */
import type { Rule } from "~/domain/shared/policy";

export const incidentPolicy = {
  "incident.create": { needs: "editor" } as Rule,
  "incident.edit": { needs: "editor" } as Rule,
  "incident.timeline": { needs: "editor" } as Rule,
  "incident.link-pr": { needs: "editor" } as Rule,
};
