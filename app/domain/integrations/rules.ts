/** Integration vocabulary shared by pages and the server. Pure: no database, no secrets. */
import type { ApiTokenScope, IntegrationSource } from "#db/schema";

export const SOURCE_LABELS: Record<IntegrationSource, string> = {
  github: "GitHub",
  pagerduty: "PagerDuty",
  alertmanager: "Alertmanager",
};

export const API_SCOPES: Record<ApiTokenScope, string> = {
  read: "Read: everything in the workspace",
  write: "Write: read, and record incidents, timeline events and action status",
};
export * from "./policy";
