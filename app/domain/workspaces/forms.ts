/** The workspace forms (a new workspace, its settings: members and the tier and area catalog), built from its rules. Client-safe. */
import { z } from "zod";
import { stringList } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";
import { ROLES } from "./roles";
import { SLUG_PATTERN } from "./slugs";
import { MAX_APPROVAL_TOLERANCE, TIER_APPROVALS, TIER_KEYS } from "./tiers";

export const NewWorkspaceForm = z.object({
  name: z
    .string()
    .trim()
    .min(2, "Give the workspace a name of at least 2 characters.")
    .max(LIMITS.name, `Keep the name under ${LIMITS.name} characters.`),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(SLUG_PATTERN, "Use 1–40 lowercase letters, digits and dashes, starting and ending with a letter or digit."),
});

/** A textarea of items, one a line. */
const lines = z
  .string()
  .max(LIMITS.list, `Keep the list under ${LIMITS.list} characters.`)
  .default("")
  .transform((v) => v.split("\n").map((l) => l.trim()).filter(Boolean));

const role = z.enum(ROLES, { error: "Choose viewer, editor or admin." });

/** The settings page's intents about the workspace and its people. */
const MEMBER_INTENTS = [
  z.object({
    intent: z.literal("rename"),
    name: z.string().trim().min(2, "Use at least 2 characters.").max(LIMITS.name, `Keep the name under ${LIMITS.name} characters.`),
  }),
  z.object({
    intent: z.literal("invite"),
    role,
    // Optional: with SMTP configured, the link is also mailed there (by a job, never in the request).
    email: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.email("Give an email address, or leave it empty.").max(LIMITS.email).optional()),
  }),
  z.object({ intent: z.literal("revoke-invite"), inviteId: z.uuid("Unknown invite.") }),
  z.object({ intent: z.literal("change-role"), userId: z.uuid("Unknown member."), role }),
  z.object({ intent: z.literal("remove-member"), userId: z.uuid("Unknown member.") }),
] as const;

/** The settings page's intents about the catalog: risk tiers and critical areas. */
const CATALOG_INTENTS = [
  z.object({
    intent: z.literal("save-tier"),
    key: z.enum(TIER_KEYS, { error: "Unknown tier." }),
    name: z.string().trim().min(2, "Name the tier.").max(LIMITS.tierName, `Keep the name under ${LIMITS.tierName} characters.`),
    summary: z.string().trim().max(LIMITS.summary, `Keep the summary under ${LIMITS.summary} characters.`).default(""),
    typicalChanges: lines,
    requiredChecks: lines,
    releaseControls: lines,
  }),
  z.object({
    intent: z.literal("save-area"),
    areaId: z.preprocess((v) => (v === "" ? null : v), z.uuid("Unknown area.").nullable()).default(null),
    name: z.string().trim().min(2, "Name the area.").max(LIMITS.name, `Keep the name under ${LIMITS.name} characters.`),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/, "Use 2–40 lowercase letters, digits and dashes."),
    description: z.string().trim().max(LIMITS.summary, `Keep the description under ${LIMITS.summary} characters.`).default(""),
    defaultTier: z.enum(TIER_KEYS, { error: "Choose a tier." }),
  }),
  z.object({ intent: z.literal("set-maintainers"), areaId: z.uuid("Unknown area."), maintainerIds: stringList(z.uuid("Unknown member.")) }),
  z.object({
    intent: z.literal("save-review-rules"),
    t0: z.enum(TIER_APPROVALS, { error: "Choose who approves at T0." }),
    t1: z.enum(TIER_APPROVALS, { error: "Choose who approves at T1." }),
    tolerance: z.coerce
      .number({ error: "Give a number of characters." })
      .int("Give a whole number of characters.")
      .min(0, "Use 0 or more characters.")
      .max(MAX_APPROVAL_TOLERANCE, `Use at most ${MAX_APPROVAL_TOLERANCE} characters.`),
  }),
] as const;

export const SettingsForm = z.discriminatedUnion("intent", [...MEMBER_INTENTS, ...CATALOG_INTENTS], { error: "Unknown settings action." });
