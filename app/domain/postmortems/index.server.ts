/** The postmortems area for server code: documents, review, templates and export. */
export * from "./rules";
export * from "./postmortems.server";
export * from "./templates.server";
export * from "./export.server";
export * from "./approval-changes";
export * from "./live-blocks.server";
