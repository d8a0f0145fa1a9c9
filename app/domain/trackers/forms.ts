/** Tracker sync's forms: connections (Settings → Integrations → Trackers) and an action's issue. Client-safe. */
import { z } from "zod";
import { labelKeys } from "~/domain/shared/fields";
import { TRACKER_VENDORS } from "./rules";

const optional = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : null));

/** One entry per line; blank lines dropped, duplicates folded. */
const lines = (max: number, what: string) =>
  z
    .string()
    .max(2000)
    .optional()
    .transform((text) => [...new Set((text ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(50, `Each ${what} is at most 50 characters.`)).max(max, `At most ${max} ${what}s.`));

/** "SEV1: Highest" lines → { SEV1: "Highest" }. */
const priorities = z
  .string()
  .max(400)
  .optional()
  .transform((text, ctx) => {
    const table: Record<string, string> = {};
    for (const line of (text ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const match = /^(SEV[1-4])\s*[:=]\s*(.{1,40})$/i.exec(line);
      if (!match) {
        ctx.addIssue({ code: "custom", message: `“${line.slice(0, 40)}” is not SEVn: priority.` });
        return z.NEVER;
      }
      table[match[1]!.toUpperCase()] = match[2]!.trim();
    }
    return table;
  });

export const TrackerSettingsForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("connect"),
      vendor: z.enum(labelKeys(TRACKER_VENDORS), { error: "Choose GitHub Issues, Jira Cloud or Linear." }),
      name: optional(120, "Keep the name under 120 characters."),
      apiUrl: optional(300, "That address is too long."),
      target: z.string().trim().min(1, "Say which repository, project or team.").max(141, "That is longer than a repository, project or team name."),
      issueType: optional(60, "Keep the issue type under 60 characters."),
      accountEmail: z.union([z.literal("").transform(() => null), z.email("Give the account's email address.").max(254)]).optional().transform((v) => v ?? null),
      token: z.string().trim().min(8, "Paste the whole token or API key.").max(500, "That is longer than a token."),
      webhookSecret: optional(300, "That is longer than a signing secret."),
      labels: lines(10, "label"),
      priorities,
    }),
    z.object({ intent: z.literal("test"), connectionId: z.uuid("Unknown connection.") }),
    z.object({ intent: z.literal("webhook-secret"), connectionId: z.uuid("Unknown connection."), secret: optional(300, "That is longer than a signing secret.") }),
    z.object({ intent: z.literal("remove"), connectionId: z.uuid("Unknown connection.") }),
  ],
  { error: "Unknown action." },
);

export const ActionTrackerForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("create-issue"), connectionId: z.uuid("Choose a tracker.") }),
    z.object({ intent: z.literal("link-issue"), issueUrl: z.string().trim().min(1, "Paste the issue's address.").max(500, "That address is too long.") }),
    z.object({ intent: z.literal("unlink-issue") }),
    z.object({ intent: z.literal("retry-sync") }),
  ],
  { error: "Unknown action." },
);

export const PostmortemTrackerForm = z.object({ intent: z.literal("create-issues"), connectionId: z.uuid("Choose a tracker.") });
