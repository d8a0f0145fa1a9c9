/** Tracker connections hold tokens: admins set them up. Creating and linking issues is an editor's step, like editing the action. */
import type { Rule } from "~/domain/shared/policy";

export const trackerPolicy = {
  "tracker.manage": { needs: "admin" } as Rule,
  "action.track": { needs: "editor" } as Rule,
};
