/**
 * What the demo workspace "Acme Payments" holds: a payments team's last six months, told through
 * its incidents, postmortems, guardrails, gates and decisions. The story itself is data, in
 * db/seeds/demo-story/ (its README says what each file holds); this module is its shape, one zod
 * schema per kind of file, from which the types are inferred. story-files.server.ts reads and
 * checks the files, story.server.ts writes them through the domain functions.
 *
 * Times are days before the seed's anchor (the UTC day the seed runs) plus a time of day, written
 * "171d 14:02"; due dates are days from it, so a freshly seeded workspace always has a recent
 * incident, actions due next week and actions a few days overdue.
 *
 * The story: a payment-retry refactor double-charged customers (INC-1); the test gate added after
 * it checked the idempotency key but not the pacing, so a later retry change stormed the card
 * processor (INC-6). The team replaced it with a sharper contract gate, seen enforced in CI, and
 * superseded the retry decision twice (ADR-1 → ADR-2 → ADR-5). Meanwhile "alerts on averages"
 * keeps coming back (INC-2, INC-7, INC-10) and none of its actions is verified yet: the board
 * flags it. Older actions are closed; the backlog is what the last weeks left.
 */
import { z } from "zod";
import { DECISION_STATUSES } from "~/domain/decisions/rules";
import { REPOSITORY_PATTERN } from "~/domain/guardrails/forms";
import { ACTION_KINDS, ASSISTED, FACTOR_CATEGORIES, GATE_INVOLVEMENTS, GATE_KINDS, GATE_STATUSES, PR_ROLES } from "~/domain/guardrails/rules";
import { INCIDENT_STATUSES, SEVERITIES, TIMELINE_KINDS } from "~/domain/incidents/rules";
import { POSTMORTEM_STATUS_LABELS, REVIEW_VERDICTS } from "~/domain/postmortems/rules";
import { labelKeys } from "~/domain/shared/fields";
import { ROLES, TIER_KEYS } from "~/domain/workspaces/rules";
import type { DecisionKind, TimelineKind } from "#db/schema";

/** [days before the anchor, "HH:MM" UTC] */
export type When = [days: number, time: string];

/** "171d 14:02": 171 days before the anchor, at 14:02 UTC. */
const when = z
  .string()
  .regex(/^\d+d ([01]\d|2[0-3]):[0-5]\d$/, 'Write a time as days before the seed\'s day and a UTC time, e.g. "171d 14:02".')
  .transform((v): When => {
    const [days, time] = v.split(" ");
    return [Number(days!.slice(0, -1)), time!];
  });

/** Minutes in "38m", "26h", "46h 5m" or "3d 9h"; null for anything else. */
export function minutesOf(text: string): number | null {
  const match = /^(?:(\d+)d)? ?(?:(\d+)h)? ?(?:(\d+)m)?$/.exec(text);
  if (!match || text.trim() !== text || !(match[1] || match[2] || match[3])) return null;
  return Number(match[1] ?? 0) * 24 * 60 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** A time after an incident's start, as minutes: "38m", "26h", "3d 9h". */
const after = z.string().transform((v, ctx) => {
  const minutes = minutesOf(v);
  if (minutes === null) ctx.addIssue({ code: "custom", message: 'Write a time after the start as "38m", "2h 30m" or "3d 9h".' });
  return minutes ?? 0;
});

/** A name the files use for each other's records: a person, a gate, a template, an area. */
const key = z.string().regex(/^[a-z][a-z0-9-]*$/, "Use a lower-case key such as retry-contract.");
const text = z.string().min(1, "Write something here.");
const tier = z.enum(TIER_KEYS);

/** "acme/payments-api#1184", read as the pull request's GitHub URL. */
const pullRequest = z
  .string()
  .refine((v) => /^[^#]+#[1-9]\d*$/.test(v) && REPOSITORY_PATTERN.test(v.split("#")[0]!), "Name a pull request as owner/repository#number, e.g. acme/payments-api#1184.")
  .transform((v) => `https://github.com/${v.replace("#", "/pull/")}`);

/** "INC-6", "ACT-10": read as the number. */
const numbered = (prefix: "INC" | "ACT") =>
  z
    .string()
    .regex(new RegExp(`^${prefix}-[1-9]\\d*$`), `Write ${prefix}-n.`)
    .transform((v) => Number(v.slice(prefix.length + 1)));

// ---------------------------------------------------------------------------------------------
// people.yaml

const teammate = z.strictObject({
  email: z.email(),
  password: z.string().min(8),
  displayName: text,
  role: z.enum(ROLES),
  /** What the seed prints beside the log-in. */
  team: text,
});

export const PeopleFile = z.strictObject({
  /** The demo user's key (db/seed.ts DEMO_USER). */
  owner: key,
  teammates: z.record(key, teammate),
  /** Area slug (templates/catalog/areas.json) → the people who look after it. */
  maintainers: z.record(key, z.array(key)),
});

// ---------------------------------------------------------------------------------------------
// gates.yaml

const gate = z.strictObject({
  /** Set for a gate the team has before the story starts, or proposes outside an action. */
  createdAt: when.optional(),
  name: text,
  kind: z.enum(labelKeys(GATE_KINDS)),
  repository: z.string().regex(REPOSITORY_PATTERN, "Name the repository as owner/name."),
  checkName: z.string().default(""),
  tiers: z.array(tier).min(1),
  status: z.enum(labelKeys(GATE_STATUSES)),
  description: text,
  /** After its checks ran, the gate is retired with a new description. */
  retired: z.strictObject({ at: when, description: text }).optional(),
});

export const GatesFile = z.record(key, gate);

// ---------------------------------------------------------------------------------------------
// incidents/NN-name.yaml (and the postmortem's body, NN-name.md)

const step = z.discriminatedUnion("to", [
  z.strictObject({ to: z.enum(["in_progress", "done"]), at: when }),
  z.strictObject({ to: z.literal("verified"), at: when, evidenceUrl: z.url().optional(), evidenceNote: text.optional() }),
  z.strictObject({ to: z.literal("wont_do"), at: when, reason: text }),
]);

const action = z.strictObject({
  title: text,
  kind: z.enum(labelKeys(ACTION_KINDS)),
  owner: key,
  /** Days from the anchor; negative is in the past. */
  dueIn: z.number().int().nullable().default(null),
  /** A gate that exists by then, by key. */
  gate: key.optional(),
  /** The gate this action brings in, by key (gates.yaml). */
  newGate: key.optional(),
  implementingPr: pullRequest.optional(),
  /** Status changes, in order, by the owner. */
  steps: z.array(step).optional(),
});

const factor = z.strictObject({
  text,
  category: z.enum(labelKeys(FACTOR_CATEGORIES)),
  tier,
  /** Gate key → how it was involved. */
  gates: z
    .record(key, z.enum(labelKeys(GATE_INVOLVEMENTS)))
    .transform((gates) => Object.entries(gates).map(([gate, involvement]) => ({ gate, involvement })))
    .optional(),
  pullRequests: z.array(pullRequest).optional(),
  actions: z.array(action).default([]),
});

const review = z.strictObject({ at: when, by: key, verdict: z.enum(REVIEW_VERDICTS), comment: text });

const postmortem = z
  .strictObject({
    template: key,
    author: key,
    /** When the writing happened (revision times). */
    writtenAt: when,
    state: z.enum(labelKeys(POSTMORTEM_STATUS_LABELS)),
    publishedAt: when.optional(),
    /** Markdown; the loader takes it from the .md file beside the incident's. */
    body: z.string({ error: "Write the postmortem's body in the .md file of the same name beside this one." }).min(1),
    /** A later edit (often answering a review), saved as its own revision after the first `afterReviews` reviews. */
    edit: z
      .strictObject({ by: key, at: when, afterReviews: z.number().int().min(0), replace: text, with: text })
      .transform(({ replace, with: by, ...edit }) => ({ ...edit, replace: [replace, by] as [string, string] }))
      .optional(),
    reviews: z.array(review).optional(),
    factors: z.array(factor),
  })
  .refine((pm) => (pm.state === "published") === (pm.publishedAt !== undefined), { path: ["publishedAt"], message: "A published postmortem says when it was published, and only a published one." })
  .refine((pm) => pm.state !== "draft" || (!pm.reviews && !pm.edit), { path: ["state"], message: "A draft has no reviews or edits yet." });

const linkedPullRequest = z
  .strictObject({
    pr: pullRequest,
    role: z.enum(labelKeys(PR_ROLES)),
    tier,
    assisted: z.enum(labelKeys(ASSISTED)),
    title: text,
    author: text,
    /** Null for a pull request still open. */
    mergedAt: when.nullable().default(null),
  })
  .transform(({ pr, ...rest }) => ({ url: pr, ...rest }));

export const IncidentFile = z.strictObject({
  title: text,
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  tier,
  /** Area slugs (templates/catalog/areas.json). */
  areas: z.array(key).default([]),
  impact: z.string().default(""),
  reporter: key,
  started: when,
  detectedAfter: after,
  /** Null (or left out) when not reached yet. */
  mitigatedAfter: after.nullable().default(null),
  resolvedAfter: after.nullable().default(null),
  timeline: z
    .array(
      z
        .strictObject({ after, kind: z.enum(TIMELINE_KINDS), text })
        .transform((e): [minutesAfterStart: number, kind: TimelineKind, text: string] => [e.after, e.kind, e.text]),
    )
    .default([]),
  pullRequests: z.array(linkedPullRequest).default([]),
  postmortem: postmortem.optional(),
});

// ---------------------------------------------------------------------------------------------
// github.yaml

export const GithubFile = z.strictObject({
  branchProtections: z
    .array(
      z.strictObject({
        repository: z.string().regex(REPOSITORY_PATTERN, "Name the repository as owner/name."),
        ruleId: z.number().int().positive(),
        checks: z.array(text).min(1),
        at: when,
        edited: z.boolean().optional(),
      }),
    )
    .default([]),
  checkRuns: z.array(z.strictObject({ gate: key, at: when, runId: z.number().int().positive() })).default([]),
  pullRequests: z
    .array(
      z
        .strictObject({ pr: pullRequest, title: text, author: text, mergedAt: when.nullable().default(null) })
        .transform(({ pr, ...rest }) => ({ url: pr, ...rest })),
    )
    .default([]),
});

// ---------------------------------------------------------------------------------------------
// decisions/adr-NNNN-name.md, rfc-NNNN-name.md: this front matter, then the body

export const DecisionFile = z.strictObject({
  title: text,
  template: key,
  /** Superseded is not written: a later record's `supersedes` makes it so. */
  status: z.enum(DECISION_STATUSES).exclude(["superseded"]),
  deciders: z.array(text).default([]),
  /** Days before the anchor; null when not decided yet. */
  decidedOn: z.number().int().nullable().default(null),
  tags: z.array(text).default([]),
  author: key,
  writtenAt: when,
  supersedes: z
    .string()
    .regex(/^(ADR|RFC)-\d+$/, "Name the record as ADR-n or RFC-n.")
    .optional(),
  informedBy: z.array(numbered("INC")).optional(),
  implements: z.strictObject({ actions: z.array(numbered("ACT")).optional(), gates: z.array(key).optional() }).optional(),
});

// ---------------------------------------------------------------------------------------------
// The story, as the loader puts it together

export type Teammate = z.output<typeof teammate>;
export type StoryGate = z.output<typeof gate> & { key: string };
export type StoryIncident = z.output<typeof IncidentFile>;
export type StoryPostmortem = NonNullable<StoryIncident["postmortem"]>;
export type StoryPullRequest = StoryIncident["pullRequests"][number];
export type GithubFacts = z.output<typeof GithubFile>;
/** Kind and number come from the file name; the body is the file after its front matter. */
export type StoryDecision = z.output<typeof DecisionFile> & { kind: DecisionKind; body: string };

export type Story = {
  /** The key of the demo user, who owns the workspace. */
  owner: string;
  teammates: Record<string, Teammate>;
  maintainers: Record<string, string[]>;
  /** Every gate, in the order of gates.yaml. */
  gates: StoryGate[];
  /** INC-1 … INC-n, in the order of their files. */
  incidents: StoryIncident[];
  github: GithubFacts;
  /** In the order they are written: ADRs, then RFCs, each by number. */
  decisions: StoryDecision[];
};
