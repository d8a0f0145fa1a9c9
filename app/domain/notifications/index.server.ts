/** The notifications area for server code: the inbox, mail settings and the mail outbox. */
export * from "./rules";
export * from "./settings.server";
export * from "./outbox.server";
export * from "./inbox.server";
export * from "./mentions.server";
export * from "./invites.server";
