/** The workspaces area for server code: workspaces, members, invitations and the tier and area catalog. */
export * from "./rules";
export * from "./workspaces.server";
export * from "./catalog.server";
