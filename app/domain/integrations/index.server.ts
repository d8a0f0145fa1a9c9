/** The integrations area for server code: GitHub, PagerDuty, Alertmanager, API tokens, reminders and mail. */
export * from "./rules";
export * from "./github.server";
export * from "./webhooks.server";
export type { IngestDelivery } from "./incident-ingest.server";
export * from "./pagerduty-ingest.server";
export * from "./alertmanager-ingest.server";
export * from "./api-tokens.server";
export * from "./reminders.server";
export * from "./mailer.server";
export * from "./retention.server";
export * from "./secret-box.server";
export * from "./github-settings.server";
export * from "./github-check-now.server";
export * from "./test-delivery.server";
