/** The decision pages' forms, one zod schema each, built from the decision vocabulary. Client-safe. */
import { z } from "zod";
import { LIMITS } from "~/domain/shared/limits";
import { DECISION_KINDS, DECISION_STATUSES, isCalendarDate, LINK_KIND_ORDER, MAX_DECIDERS, MAX_TAGS, normalizeTags, splitList } from "./rules";

const status = z.enum(DECISION_STATUSES, { error: "Choose a status." });
/** Deciders: members ticked in the list (each a name) and, in one text field, others separated by commas. */
const deciders = z
  .preprocess(
    (v) => (v == null ? "" : v),
    z.union([
      z.string().max(LIMITS.list, `Keep the list of deciders under ${LIMITS.list} characters.`),
      z.array(z.string().max(LIMITS.list, `Keep the list of deciders under ${LIMITS.list} characters.`)).max(MAX_DECIDERS + 1, `Name at most ${MAX_DECIDERS} deciders.`),
    ]),
  )
  .transform((v) => splitList(typeof v === "string" ? v : v.flatMap((item) => splitList(item))).map((d) => d.slice(0, 100)))
  .refine((list) => list.length <= MAX_DECIDERS, `Name at most ${MAX_DECIDERS} deciders.`);
const decidedOn = z
  .string()
  .trim()
  .default("")
  .refine((v) => v === "" || isCalendarDate(v), "Enter the date it was decided, like 2026-11-26, or leave it empty.")
  .transform((v) => v || null);
const tags = z
  .string()
  .max(LIMITS.tags, `Keep the tags under ${LIMITS.tags} characters.`)
  .default("")
  .transform((v) => normalizeTags(v))
  .refine((list) => list.length <= MAX_TAGS, `Use at most ${MAX_TAGS} tags.`);

/** Starting a record: kind, template, title and its details, optionally superseding an older one. */
export const NewDecisionForm = z.object({
  kind: z.enum(DECISION_KINDS, { error: "Choose ADR or RFC." }),
  template: z.string({ error: "Choose a template." }).min(1, "Choose a template.").max(64),
  title: z
    .string()
    .trim()
    .min(3, "Give the record a title of at least 3 characters.")
    .max(LIMITS.title, `Keep the title under ${LIMITS.title} characters.`),
  status,
  deciders,
  decidedOn,
  tags,
  supersedes: z
    .string()
    .trim()
    .max(40)
    .default("")
    .transform((v) => v || null),
});

/** The details form on a record's page; metaVersion is the version the form was loaded at. */
const DecisionDetailsForm = z.object({
  intent: z.literal("details"),
  metaVersion: z.coerce.number().int().positive(),
  status,
  deciders,
  decidedOn,
  tags,
});

const AddLinkForm = z.object({
  intent: z.literal("link"),
  kind: z.enum(LINK_KIND_ORDER, { error: "Choose a kind of link." }),
  target: z.string().trim().min(1, "Say what it links to.").max(LIMITS.linkTarget, "That is too long for a link target."),
});

const RemoveLinkForm = z.object({ intent: z.literal("unlink"), linkId: z.uuid("Unknown link.") });

export const DecisionPageForm = z.discriminatedUnion("intent", [DecisionDetailsForm, AddLinkForm, RemoveLinkForm], { error: "Unknown action." });

/** Filters of the decision log; unknown values are ignored, so a stale bookmark still opens. */
export const DecisionFilters = z.object({
  status: status.optional().catch(undefined),
  kind: z.enum(DECISION_KINDS).optional().catch(undefined),
  tag: z.string().max(40).optional().catch(undefined),
  from: z
    .string()
    .refine(isCalendarDate)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .refine(isCalendarDate)
    .optional()
    .catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});

/** Importing a previewed batch: the hash of the plan the person saw, so a changed plan is not applied blindly. */
export const ImportForm = z.object({ planHash: z.string().regex(/^[0-9a-f]{64}$/, "Reload the preview and try again.") });
