/** Client-safe document rules: the editor schema shared by browser and server, and how revisions fold. */
export * from "./schema";
export * from "./revisions";
