/** The search area for server code. Pages import ./rules (the query language). */
export * from "./rules";
export * from "./indexing.server";
export * from "./statement.server";
export * from "./search.server";
