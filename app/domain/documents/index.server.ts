/** The documents area for server code: validating, reading and rendering documents, Markdown templates, versioned documents. */
export * from "./rules";
export * from "./content.server";
export * from "./markdown-source.server";
export * from "./templates.server";
export * from "./versioned.server";
export * from "./collaboration-state.server";
export * from "./collaboration.server";
