/** Length limits shared by the sign-up form and the server. */
export const PASSWORD_MIN_LENGTH = 10;
/** argon2 would hash a megabyte happily; a cap keeps login from being a CPU lever. */
export const PASSWORD_MAX_LENGTH = 128;
