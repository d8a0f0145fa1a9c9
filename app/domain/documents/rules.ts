/** Client-safe document rules: the editor schema shared by browser and server, how revisions fold, and Markdown paste detection. */
export * from "./schema";
export * from "./revisions";
export * from "./markdown-detect";
export * from "./tracked-blocks";
export * from "./collaboration";
export { DocumentTable, tableColumnStyle } from "./table";
