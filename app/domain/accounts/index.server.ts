/** The accounts area for server code: sign-up, log-in, sessions, passwords. Pages import ./rules. */
export * from "./rules";
export * from "./auth.server";
export * from "./login-throttle.server";
export * from "./passwords.server";
