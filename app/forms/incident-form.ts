import { z } from "zod";
import { INCIDENT_STATUSES, SEVERITIES, TIMELINE_KINDS } from "~/domain/incidents/rules";
import { optionalUtcDateTime, stringList, utcDateTime } from "./fields";

export const IncidentForm = z.object({
  title: z.string().trim().min(3, "Give the incident a title of at least 3 characters.").max(200, "Keep the title under 200 characters."),
  severity: z.enum(SEVERITIES as [string, ...string[]], { error: "Choose a severity." }).transform((v) => v as (typeof SEVERITIES)[number]),
  status: z.enum(INCIDENT_STATUSES as [string, ...string[]], { error: "Choose a status." }).transform((v) => v as (typeof INCIDENT_STATUSES)[number]),
  tier: z.enum(["T0", "T1", "T2", "T3"], { error: "Choose a tier." }),
  impact: z.string().trim().max(5000, "Keep the impact under 5000 characters.").default(""),
  startedAt: utcDateTime("Enter when it started, as date and time."),
  detectedAt: optionalUtcDateTime("Enter a date and time, or leave it empty."),
  mitigatedAt: optionalUtcDateTime("Enter a date and time, or leave it empty."),
  resolvedAt: optionalUtcDateTime("Enter a date and time, or leave it empty."),
  areaIds: stringList(z.uuid("Choose areas from the list.")),
});

export const TimelineEventForm = z.object({
  occurredAt: utcDateTime("Enter when it happened, as date and time."),
  kind: z.enum(TIMELINE_KINDS as [string, ...string[]], { error: "Choose a kind." }).transform((v) => v as (typeof TIMELINE_KINDS)[number]),
  text: z.string().trim().min(1, "Say what happened.").max(2000, "Keep an event under 2000 characters."),
});
