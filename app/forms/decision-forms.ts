import { z } from "zod";
import {
  DECISION_KINDS,
  DECISION_STATUSES,
  isCalendarDate,
  LINK_KIND_ORDER,
  MAX_DECIDERS,
  MAX_TAGS,
  normalizeTags,
  splitList,
  type DecisionKind,
  type DecisionLinkKind,
  type DecisionStatus,
} from "~/domain/decisions/rules";

const status = z
  .enum(DECISION_STATUSES as [DecisionStatus, ...DecisionStatus[]], { error: "Choose a status." })
  .transform((v) => v as DecisionStatus);
const deciders = z
  .string()
  .max(3000, "Keep the list of deciders under 3000 characters.")
  .default("")
  .transform((v) => splitList(v).map((d) => d.slice(0, 100)))
  .refine((list) => list.length <= MAX_DECIDERS, `Name at most ${MAX_DECIDERS} deciders.`);
const decidedOn = z
  .string()
  .trim()
  .default("")
  .refine((v) => v === "" || isCalendarDate(v), "Enter the date it was decided, like 2026-11-26, or leave it empty.")
  .transform((v) => v || null);
const tags = z
  .string()
  .max(1000, "Keep the tags under 1000 characters.")
  .default("")
  .transform((v) => normalizeTags(v))
  .refine((list) => list.length <= MAX_TAGS, `Use at most ${MAX_TAGS} tags.`);

/** Starting a record: kind, template, title and its details, optionally superseding an older one. */
export const NewDecisionForm = z.object({
  kind: z.enum(DECISION_KINDS as [DecisionKind, ...DecisionKind[]], { error: "Choose ADR or RFC." }).transform((v) => v as DecisionKind),
  template: z.string({ error: "Choose a template." }).min(1, "Choose a template.").max(64),
  title: z.string().trim().min(3, "Give the record a title of at least 3 characters.").max(200, "Keep the title under 200 characters."),
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
  kind: z.enum(LINK_KIND_ORDER as [DecisionLinkKind, ...DecisionLinkKind[]], { error: "Choose a kind of link." }).transform((v) => v as DecisionLinkKind),
  target: z.string().trim().min(1, "Say what it links to.").max(300, "That is too long for a link target."),
});

const RemoveLinkForm = z.object({ intent: z.literal("unlink"), linkId: z.uuid("Unknown link.") });

export const DecisionPageForm = z.discriminatedUnion("intent", [DecisionDetailsForm, AddLinkForm, RemoveLinkForm], { error: "Unknown action." });

/** Filters of the decision log; unknown values are ignored, so a stale bookmark still opens. */
export const DecisionFilters = z.object({
  status: status.optional().catch(undefined),
  kind: z
    .enum(DECISION_KINDS as [DecisionKind, ...DecisionKind[]])
    .optional()
    .catch(undefined),
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
