import { z } from "zod";
import type { ActionKind, ActionStatus, GateKind, GateStatus, TierKey } from "#db/schema";
import { ACTION_KINDS, ACTION_STATUSES, GATE_KINDS, GATE_STATUSES, parsePullRequestUrl, transitionProblem } from "~/domain/guardrails/rules";
import { stringList } from "./fields";

const keys = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as [K, ...K[]];

/** A GitHub repository as owner/name (the same shape parsePullRequestUrl accepts). */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const TIERS: [TierKey, ...TierKey[]] = ["T0", "T1", "T2", "T3"];

/** An optional choice from a list: "" (or nothing) means none. */
function optionalUuid(message: string) {
  return z
    .union([z.literal(""), z.uuid(message)])
    .default("")
    .transform((v) => v || null);
}

/** An optional calendar day ("2026-12-01"), as a date input sends it; "" means none. */
const optionalDay = z
  .string()
  .trim()
  .default("")
  .refine((v) => v === "" || (/^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)), "Enter a date, or leave it empty.")
  .transform((v) => v || null);

/** An optional GitHub pull request URL, normalised; "" means none. */
const optionalPullRequestUrl = z
  .string()
  .trim()
  .max(500, "Keep the URL under 500 characters.")
  .default("")
  .transform((v, ctx) => {
    if (!v) return null;
    const parsed = parsePullRequestUrl(v);
    if (parsed.ok) return parsed.url;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  });

/**
 * An action's details: what, what kind, who, by when, which gate and which PR implements it.
 * Used to edit an action, and (extended with a factor and a proposed gate) to create one.
 */
export const ActionDetailsForm = z.object({
  title: z.string().trim().min(5, "Name the guardrail in a few words.").max(200, "Keep the title under 200 characters."),
  kind: z.enum(keys<ActionKind>(ACTION_KINDS), { error: "Choose what kind of guardrail this is." }),
  ownerId: optionalUuid("Choose an owner from the members."),
  dueOn: optionalDay,
  gateId: optionalUuid("Choose a gate from the list."),
  implementingPrUrl: optionalPullRequestUrl,
});

const actionStatus = z.enum(keys<ActionStatus>(ACTION_STATUSES), { error: "Choose a status." });

/**
 * Moving an action to another status. `from` is the status the person saw; the rule of
 * transitionProblem is checked here so its message lands beside the field that fixes it
 * (evidence for verified, a reason for won't do). The server checks again against the stored
 * status, and `expectedVersion` turns a stale page into a visible conflict.
 */
export const StatusChangeForm = z
  .object({
    from: actionStatus,
    to: actionStatus,
    expectedVersion: z.coerce.number({ error: "Reload the page and try again." }).int().positive(),
    reason: z.string().trim().max(2000, "Keep the reason under 2000 characters.").default(""),
    evidenceUrl: z
      .string()
      .trim()
      .max(2000, "Keep the URL under 2000 characters.")
      .default("")
      .pipe(z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "Paste a full http(s) link, like a check run's URL." })])),
    evidenceNote: z.string().trim().max(4000, "Keep the note under 4000 characters.").default(""),
  })
  .superRefine((v, ctx) => {
    const problem = transitionProblem(v.from, v.to, v);
    if (!problem) return;
    const field = v.to === "verified" && v.from !== "verified" ? "evidenceUrl" : v.to === "wont_do" && v.from !== "wont_do" ? "reason" : "to";
    ctx.addIssue({ code: "custom", path: [field], message: problem });
  });

/** The fields of a gate, one by one, for forms that propose a gate in passing. */
const gateFields = {
  name: z.string().trim().min(3, "Name the gate in a few words.").max(120, "Keep the gate name under 120 characters."),
  kind: z.enum(keys<GateKind>(GATE_KINDS), { error: "Choose what kind of gate this is." }),
  repository: z
    .string()
    .trim()
    .max(140, "Keep the repository under 140 characters.")
    .default("")
    .refine((v) => v === "" || REPOSITORY_PATTERN.test(v), "Write the repository as owner/name, like acme/api."),
  checkName: z.string().trim().max(200, "Keep the check name under 200 characters.").default(""),
};

export const GateForm = z
  .object({
    ...gateFields,
    tiers: stringList(z.enum(TIERS, { error: "Choose tiers from T0 to T3." })),
    status: z.enum(keys<GateStatus>(GATE_STATUSES), { error: "Choose a status." }),
    description: z.string().trim().max(4000, "Keep the description under 4000 characters.").default(""),
  })
  .superRefine((v, ctx) => {
    // Check runs are matched to a gate by repository and check name; one without the other never matches.
    if (v.checkName && !v.repository) {
      ctx.addIssue({ code: "custom", path: ["repository"], message: "A check runs in a repository: name it as owner/name." });
    }
  });
