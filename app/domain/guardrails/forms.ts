/**
 * The guardrail pages' forms (factors, actions, gates and the board's filters), one zod schema
 * each, built from the guardrail vocabulary. Client-safe.
 */
import { z } from "zod";
import { DAY_PATTERN, emptyToNull, labelKeys, stringList } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { SEVERITIES } from "~/domain/incidents/rules";
import { ACTION_KINDS, ACTION_STATUSES, BOARD_DATES, BOARD_GROUPS, BOARD_STATUSES, BOARD_VERIFIERS, type BoardView, FACTOR_CATEGORIES, GATE_KINDS, GATE_STATES, GATE_STATUSES, parsePullRequestUrl, transitionProblem } from "./rules";

/** A GitHub repository as owner/name (the same shape parsePullRequestUrl accepts). */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const tier = z.enum(TIER_KEYS, { error: "Choose a tier." });
const actionTitle = z
  .string()
  .trim()
  .min(5, "Name the guardrail in a few words.")
  .max(LIMITS.title, `Keep the title under ${LIMITS.title} characters.`);
const actionKind = z.enum(labelKeys(ACTION_KINDS), { error: "Choose what kind of guardrail this is." });

/** An optional choice from a list: "" (or nothing) means none. */
function optionalUuid(message: string) {
  return z
    .union([z.literal(""), z.uuid(message)])
    .default("")
    .transform((v) => v || null);
}

/** "YYYY-MM-DD" naming a day that exists (not 2026-02-30, not 2026-13-01). */
function isCalendarDay(v: string): boolean {
  if (!DAY_PATTERN.test(v)) return false;
  const date = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
}

/** An optional calendar day ("2026-12-01"), as a date input sends it; "" means none. */
const optionalDay = z
  .string()
  .trim()
  .default("")
  .refine((v) => v === "" || isCalendarDay(v), "Enter a date, or leave it empty.")
  .transform((v) => v || null);

/** An optional GitHub pull request URL, normalised; "" means none. */
const optionalPullRequestUrl = z
  .string()
  .trim()
  .max(LIMITS.pullRequestUrl, `Keep the URL under ${LIMITS.pullRequestUrl} characters.`)
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
  title: actionTitle,
  kind: actionKind,
  ownerId: optionalUuid("Choose an owner from the members."),
  dueOn: optionalDay,
  gateId: optionalUuid("Choose a gate from the list."),
  implementingPrUrl: optionalPullRequestUrl,
});

/** The details form on an action's page; expectedVersion is the version the page was loaded at. */
export const EditActionDetailsForm = ActionDetailsForm.extend({ expectedVersion: z.coerce.number().int().positive() });

const actionStatus = z.enum(labelKeys(ACTION_STATUSES), { error: "Choose a status." });

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
    reason: z.string().trim().max(LIMITS.text, `Keep the reason under ${LIMITS.text} characters.`).default(""),
    evidenceUrl: z
      .string()
      .trim()
      .max(LIMITS.evidenceUrl, `Keep the URL under ${LIMITS.evidenceUrl} characters.`)
      .default("")
      .pipe(z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "Paste a full http(s) link, like a check run's URL." })])),
    evidenceNote: z.string().trim().max(LIMITS.note, `Keep the note under ${LIMITS.note} characters.`).default(""),
  })
  .superRefine((v, ctx) => {
    const problem = transitionProblem(v.from, v.to, v);
    if (!problem) return;
    const field = v.to === "verified" && v.from !== "verified" ? "evidenceUrl" : v.to === "wont_do" && v.from !== "wont_do" ? "reason" : "to";
    ctx.addIssue({ code: "custom", path: [field], message: problem });
  });

/** The fields of a gate, one by one, for forms that propose a gate in passing. */
const gateFields = {
  name: z.string().trim().min(3, "Name the gate in a few words.").max(LIMITS.gateName, `Keep the gate name under ${LIMITS.gateName} characters.`),
  kind: z.enum(labelKeys(GATE_KINDS), { error: "Choose what kind of gate this is." }),
  repository: z
    .string()
    .trim()
    .max(LIMITS.repository, `Keep the repository under ${LIMITS.repository} characters.`)
    .default("")
    .refine((v) => v === "" || REPOSITORY_PATTERN.test(v), "Write the repository as owner/name, like acme/api."),
  checkName: z.string().trim().max(LIMITS.checkName, `Keep the check name under ${LIMITS.checkName} characters.`).default(""),
};

export const GateForm = z
  .object({
    ...gateFields,
    tiers: stringList(z.enum(TIER_KEYS, { error: "Choose tiers from T0 to T3." })),
    status: z.enum(labelKeys(GATE_STATUSES), { error: "Choose a status." }),
    description: z.string().trim().max(LIMITS.note, `Keep the description under ${LIMITS.note} characters.`).default(""),
  })
  .superRefine((v, ctx) => {
    // Check runs are matched to a gate by repository and check name; one without the other never matches.
    if (v.checkName && !v.repository) {
      ctx.addIssue({ code: "custom", path: ["repository"], message: "A check runs in a repository: name it as owner/name." });
    }
  });

/** Editing a gate; version is the one the form was loaded at. */
export const EditGateForm = GateForm.extend({ version: z.coerce.number().int().positive() });

/**
 * A factor: its text, category, tier, the gates involved (one select per gate, named
 * "gate:<id>", valued missing / failed_to_catch / bypassed or empty) and PR URLs, one a line.
 */
export const FactorForm = z
  .object({
    text: z.string().trim().min(5, "Describe the condition in a sentence or more.").max(LIMITS.text, `Keep a factor under ${LIMITS.text} characters.`),
    category: z.enum(labelKeys(FACTOR_CATEGORIES), { error: "Choose a category." }),
    tier,
    pullRequestUrls: z
      .string()
      .max(LIMITS.urlList)
      .default("")
      .transform((v) => v.split(/\s+/).map((s) => s.trim()).filter(Boolean)),
  })
  .catchall(z.unknown());

export function gatesFromForm(values: Record<string, unknown>) {
  const gates: { gateId: string; involvement: "missing" | "failed_to_catch" | "bypassed" }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const id = key.startsWith("gate:") ? key.slice(5) : null;
    if (id && z.uuid().safeParse(id).success && (value === "missing" || value === "failed_to_catch" || value === "bypassed")) {
      gates.push({ gateId: id, involvement: value });
    }
  }
  return gates;
}

/** "Create a guardrail action" from a factor, optionally proposing a new gate in the same step. */
export const CreateActionForm = z
  .object({
    factorId: z.uuid("Unknown factor."),
    title: actionTitle,
    kind: actionKind,
    ownerId: z.preprocess(emptyToNull, z.uuid("Choose an owner from the list.").nullable()).default(null),
    dueOn: z.preprocess(emptyToNull, z.string().regex(DAY_PATTERN, "Enter a date.").nullable()).default(null),
    gateId: z.preprocess(emptyToNull, z.uuid("Choose a gate from the list.").nullable()).default(null),
    implementingPrUrl: z.preprocess(emptyToNull, z.string().max(LIMITS.pullRequestUrl).nullable()).default(null),
    newGateName: z.preprocess(emptyToNull, z.string().trim().max(LIMITS.gateName, `Keep the gate name under ${LIMITS.gateName} characters.`).nullable()).default(null),
    newGateKind: z.enum(labelKeys(GATE_KINDS)).default("ci_check"),
    newGateCheckName: z.preprocess(emptyToNull, z.string().trim().max(LIMITS.checkName).nullable()).default(null),
    newGateRepository: z.preprocess(
      emptyToNull,
      z.string().trim().regex(REPOSITORY_PATTERN, "Write the repository as owner/name.").nullable(),
    ).default(null),
  })
  .superRefine((v, ctx) => {
    if (v.newGateName && v.gateId) ctx.addIssue({ code: "custom", path: ["newGateName"], message: "Choose an existing gate or propose a new one, not both." });
    if (!v.newGateName && (v.newGateCheckName || v.newGateRepository)) {
      ctx.addIssue({ code: "custom", path: ["newGateName"], message: "Give the new gate a name." });
    }
  });

const day = z
  .string()
  .regex(DAY_PATTERN)
  .refine(isCalendarDay)
  .optional()
  .catch(undefined);
const AREA_SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** The guardrail board's view. Unknown values are ignored rather than refused: a stale bookmark still opens. */
const BoardParams = z.object({
  status: z.enum(labelKeys(BOARD_STATUSES)).default("open").catch("open"),
  owner: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().catch(undefined),
  tier: z.enum(TIER_KEYS).optional().catch(undefined),
  severity: z.enum(SEVERITIES).optional().catch(undefined),
  gate: z.union([z.literal("none"), z.uuid()]).optional().catch(undefined),
  group: z.enum(labelKeys(BOARD_GROUPS)).optional().catch(undefined),
  from: day,
  to: day,
  dates: z.enum(labelKeys(BOARD_DATES)).default("opened").catch("opened"),
  verifiedBy: z.enum(labelKeys(BOARD_VERIFIERS)).optional().catch(undefined),
});

/** The board's view from its address (repeatable `area`; empty fields mean "any"). */
export function parseBoardView(params: URLSearchParams): BoardView {
  const single = (key: string) => params.get(key) || undefined;
  const raw = BoardParams.parse({
    status: single("status"),
    owner: single("owner"),
    tier: single("tier"),
    severity: single("severity"),
    gate: single("gate"),
    group: single("group"),
    from: single("from"),
    to: single("to"),
    dates: single("dates"),
    verifiedBy: single("verifiedBy"),
  });
  const areas = [...new Set(params.getAll("area").filter((a) => AREA_SLUG.test(a)))].sort().slice(0, 20);
  return { ...raw, areas };
}

/** The gate list's filter; an unknown status shows every gate rather than an error. */
export const GateFilters = z.object({
  status: z.enum(labelKeys(GATE_STATUSES)).optional().catch(undefined),
  /** What the evidence says (enforced, required but not seen, stale, regressed, …); retired gates are left out. */
  state: z.enum(labelKeys(GATE_STATES)).optional().catch(undefined),
  tier: z.enum(TIER_KEYS).optional().catch(undefined),
});
