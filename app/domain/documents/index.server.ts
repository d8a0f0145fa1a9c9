/** The documents area for server code: validating, reading and rendering documents, Markdown templates. */
export * from "./rules";
export * from "./content.server";
export * from "./markdown-source.server";
export * from "./templates.server";
