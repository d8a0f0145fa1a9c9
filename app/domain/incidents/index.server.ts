/** The incidents area for server code. Pages import ./rules. */
export * from "./rules";
export * from "./incidents.server";
export * from "./columns.server";
