/** The decisions area for server code: records, links, revisions, templates, import and export. */
export * from "./rules";
export * from "./records.server";
export * from "./revisions.server";
export * from "./links.server";
export * from "./templates.server";
export * from "./export.server";
export * from "./import/files.server";
export * from "./import/apply.server";
export * from "./import/parse.server";
export * from "./import/plan.server";
