/** The incident pages' forms, one zod schema each, built from the incident vocabulary. Client-safe. */
import { z } from "zod";
import { ASSISTED, PR_ROLES } from "~/domain/guardrails/rules";
import { DAY_PATTERN, labelKeys, optionalWallClockTime, readTimesIn, stringList, timeZoneField, wallClockTime } from "~/domain/shared/fields";
import { fromZonedInput } from "~/domain/shared/dates";
import { LIMITS } from "~/domain/shared/limits";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { INCIDENT_STATUSES, SEVERITIES, TIMELINE_KINDS } from "./rules";

/** The incident's fields; its times are typed in the reader's zone (`timeZone`) and read as instants. */
const IncidentFields = z.object({
  title: z
    .string()
    .trim()
    .min(3, "Give the incident a title of at least 3 characters.")
    .max(LIMITS.title, `Keep the title under ${LIMITS.title} characters.`),
  severity: z.enum(SEVERITIES, { error: "Choose a severity." }),
  status: z.enum(INCIDENT_STATUSES, { error: "Choose a status." }),
  tier: z.enum(TIER_KEYS, { error: "Choose a tier." }),
  impact: z.string().trim().max(LIMITS.impact, `Keep the impact under ${LIMITS.impact} characters.`).default(""),
  startedAt: wallClockTime("Enter when it started, as date and time."),
  detectedAt: optionalWallClockTime("Enter a date and time, or leave it empty."),
  mitigatedAt: optionalWallClockTime("Enter a date and time, or leave it empty."),
  resolvedAt: optionalWallClockTime("Enter a date and time, or leave it empty."),
  areaIds: stringList(z.uuid("Choose areas from the list.")),
  timeZone: timeZoneField,
});

const INCIDENT_TIMES = ["startedAt", "detectedAt", "mitigatedAt", "resolvedAt"] as const;

export const IncidentForm = IncidentFields.transform(readTimesIn<z.output<typeof IncidentFields>, (typeof INCIDENT_TIMES)[number]>(...INCIDENT_TIMES));

/** Editing an incident; version is the one the form was loaded at. */
const EditIncidentFields = IncidentFields.extend({ version: z.coerce.number().int().positive() });
export const EditIncidentForm = EditIncidentFields.transform(
  readTimesIn<z.output<typeof EditIncidentFields>, (typeof INCIDENT_TIMES)[number]>(...INCIDENT_TIMES),
);

const TimelineEventFields = z.object({
  occurredAt: wallClockTime("Enter when it happened, as date and time."),
  timeZone: timeZoneField,
  kind: z.enum(TIMELINE_KINDS, { error: "Choose a kind." }),
  text: z.string().trim().min(1, "Say what happened.").max(LIMITS.text, `Keep an event under ${LIMITS.text} characters.`),
});

/** What the incident page does: link or unlink a pull request, add, edit or remove a timeline event. */
export const IncidentPageForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("link-pr"),
      url: z.string().trim().min(1, "Paste the pull request's URL.").max(LIMITS.pullRequestUrl, "That URL is too long."),
      role: z.enum(labelKeys(PR_ROLES), { error: "Choose trigger, fix or related." }),
      tier: z.preprocess((v) => (v === "" ? null : v), z.enum(TIER_KEYS).nullable()).default(null),
      assisted: z.enum(labelKeys(ASSISTED), { error: "Choose yes, no or unknown." }).default("unknown"),
    }),
    z.object({ intent: z.literal("unlink-pr"), pullRequestId: z.uuid() }),
    TimelineEventFields.extend({ intent: z.literal("add-event") }),
    TimelineEventFields.extend({ intent: z.literal("edit-event"), eventId: z.uuid() }),
    z.object({ intent: z.literal("remove-event"), eventId: z.uuid() }),
  ],
  { error: "Unknown action." },
).transform((v) => {
  if (v.intent !== "add-event" && v.intent !== "edit-event") return v;
  const { timeZone, ...rest } = v;
  return { ...rest, occurredAt: fromZonedInput(v.occurredAt, timeZone)! };
});

const startDay = z
  .string()
  .regex(DAY_PATTERN)
  .transform((v) => new Date(`${v}T00:00:00Z`))
  .optional()
  .catch(undefined);

/** Filters of the incident list. Unknown values are ignored rather than refused: a stale bookmark still opens. */
export const IncidentFilters = z.object({
  status: z.enum(INCIDENT_STATUSES).optional().catch(undefined),
  severity: z.enum(SEVERITIES).optional().catch(undefined),
  tier: z.enum(TIER_KEYS).optional().catch(undefined),
  area: z.string().max(LIMITS.filterValue).optional().catch(undefined),
  from: startDay,
  to: startDay,
});
