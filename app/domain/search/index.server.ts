/** The search area for server code. Pages import ./rules (the query language). */
export * from "./rules";
export * from "./search.server";
