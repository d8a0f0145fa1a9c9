/** Integrations hold secrets and tokens: only admins set them up. */
import type { Rule } from "~/domain/shared/policy";

export const integrationPolicy = {
  "integration.manage": { needs: "admin" } as Rule,
  "token.manage": { needs: "admin" } as Rule,
  "reminders.manage": { needs: "admin" } as Rule,
};
