/** The account forms: log in, sign up, change the password. Client-safe. */
import { z } from "zod";
import { LIMITS } from "~/domain/shared/limits";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./rules";

const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

export const LogInForm = z.object({
  email: z.string().trim().min(1, "Enter your email.").max(LIMITS.email, "That email is too long."),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH, "That password is too long."),
  redirectTo: z.string().optional(),
});

export const SignUpForm = z.object({
  displayName: z.string().trim().min(1, "Tell us your name.").max(LIMITS.name, `Keep your name under ${LIMITS.name} characters.`),
  email: z.string().trim().max(LIMITS.email, "That email is too long.").pipe(z.email("Enter an email address like you@example.com.")),
  password: newPassword,
  redirectTo: z.string().optional(),
});

export const AccountForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("change-password"),
      currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX_LENGTH, "That password is too long."),
      newPassword,
    }),
    z.object({ intent: z.literal("end-other-sessions") }),
  ],
  { error: "Unknown action." },
);
