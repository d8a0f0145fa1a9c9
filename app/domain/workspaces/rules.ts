/** Client-safe workspace rules: member roles and workspace addresses. */
export * from "./roles";
export * from "./slugs";
export * from "./policy";
