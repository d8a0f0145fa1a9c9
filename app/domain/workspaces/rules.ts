/** Client-safe workspace rules: member roles, workspace addresses and the risk tiers. */
export * from "./roles";
export * from "./slugs";
export * from "./tiers";
export * from "./policy";
