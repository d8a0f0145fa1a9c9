/**
 * The trackers area for server code: connections to GitHub Issues, Jira Cloud and Linear, an
 * action's issue, outbound calls on the job queue and inbound webhooks (docs/decisions/0028).
 * Loading it registers the follow-ups of an action's milestones (sync.server.ts).
 */
export * from "./rules";
export * from "./client";
export * from "./connections.server";
export * from "./links.server";
export * from "./sync.server";
export * from "./inbound.server";
