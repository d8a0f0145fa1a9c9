/** The guardrails area for server code: contributing factors, guardrail actions, CI gates, pull requests. */
export * from "./rules";
export * from "./factors.server";
export * from "./actions.server";
export * from "./board.server";
export * from "./gates.server";
export * from "./pull-requests.server";
export * from "./views.server";
export * from "./enforcement";
export * from "./enforcement.server";
export * from "./pr-signals";
export * from "./milestones.server";
