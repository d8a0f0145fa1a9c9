/**
 * What the demo workspace "Acme Payments" holds: a payments team's last six months, told through
 * its incidents, postmortems, guardrails, gates and decisions. Only data here; story.server.ts
 * writes it through the domain functions. The incidents and decisions are in the files beside this one;
 * story-content.ts puts them together.
 *
 * Times are days before the seed's anchor (the UTC day the seed runs) plus a time of day, and due
 * dates are days from it, so a freshly seeded workspace always has a recent incident, actions due
 * next week and actions a few days overdue.
 *
 * The story: a payment-retry refactor double-charged customers (INC-1); the test gate added after
 * it checked the idempotency key but not the pacing, so a later retry change stormed the card
 * processor (INC-6). The team replaced it with a sharper contract gate, seen enforced in CI, and
 * superseded the retry decision twice (ADR-1 → ADR-2 → ADR-5). Meanwhile "alerts on averages"
 * keeps coming back (INC-2, INC-7, INC-10) and none of its actions is verified yet: the board
 * flags it. Older actions are closed; the backlog is what the last weeks left.
 */
import type { ActionKind, AssistedByModel, FactorCategory, GateInvolvement, GateKind, GateStatus, IncidentStatus, PullRequestRole, ReviewVerdict, Severity, TierKey, TimelineKind } from "#db/schema";

export type Person = "dana" | "priya" | "marcus";

/** The demo user (db/seed.ts DEMO_USER) is "dana"; the teammates sign up with these. */
export const TEAMMATES = {
  priya: { email: "priya@hindsight.test", password: "review-with-hindsight-26", displayName: "Priya Natarajan", role: "editor" },
  marcus: { email: "marcus@hindsight.test", password: "retry-with-hindsight-26", displayName: "Marcus Okafor", role: "editor" },
} as const;

/** Who looks after which area (slugs of templates/catalog/areas.json). */
export const MAINTAINERS: Record<string, Person[]> = {
  auth: ["priya", "marcus"],
  billing: ["marcus", "dana"],
  "data-access": ["marcus", "priya"],
  infra: ["priya"],
  observability: ["priya"],
};

/** [days before the anchor, "HH:MM" UTC] */
export type When = [number, string];

export type StoryGate = {
  key: string;
  name: string;
  kind: GateKind;
  repository: string;
  checkName: string;
  tiers: TierKey[];
  status: GateStatus;
  description: string;
};

/** Gates the team had before the story starts, or proposes outside an action. */
export const STANDING_GATES: (StoryGate & { createdAt: When })[] = [
  {
    key: "infra-branch-protection",
    createdAt: [420, "10:00"],
    name: "Branch protection on infra main",
    kind: "branch_protection",
    repository: "acme/infra",
    checkName: "",
    tiers: ["T2", "T3"],
    status: "enforced",
    description: "Two approvals and a green terraform plan before anything merges to main in acme/infra.",
  },
  {
    key: "config-canary",
    createdAt: [15, "10:30"],
    name: "Canary for config pushes",
    kind: "ci_check",
    repository: "acme/infra",
    checkName: "config-canary",
    tiers: ["T2", "T3"],
    status: "proposed",
    description: "Apply a config change to one region for 15 minutes and compare authorisation success before it goes everywhere (RFC-1).",
  },
];

export type ActionStep =
  | { to: "in_progress" | "done"; at: When }
  | { to: "verified"; at: When; evidenceUrl?: string; evidenceNote?: string }
  | { to: "wont_do"; at: When; reason: string };

export type StoryAction = {
  title: string;
  kind: ActionKind;
  owner: Person;
  /** Days from the anchor; negative is in the past. */
  dueIn: number | null;
  /** An existing gate by key, or a new one proposed with the action. */
  gate?: string;
  newGate?: StoryGate;
  implementingPr?: string;
  steps?: ActionStep[];
};

export type StoryFactor = {
  text: string;
  category: FactorCategory;
  tier: TierKey;
  gates?: { gate: string; involvement: GateInvolvement }[];
  pullRequests?: string[];
  actions: StoryAction[];
};

export type StoryReview = { at: When; by: Person; verdict: ReviewVerdict; comment: string };

export type StoryPostmortem = {
  template: "google-sre" | "lightweight";
  author: Person;
  /** When the writing happened (revision times). */
  writtenAt: When;
  state: "draft" | "in_review" | "published";
  publishedAt?: When;
  body: string;
  /** A later edit (often answering a review), saved as its own revision after the first `afterReviews` reviews. */
  edit?: { by: Person; at: When; afterReviews: number; replace: [string, string] };
  reviews?: StoryReview[];
  factors: StoryFactor[];
};

export type StoryPullRequest = {
  url: string;
  role: PullRequestRole;
  tier: TierKey;
  assisted: AssistedByModel;
  title: string;
  author: string;
  /** Merged this many days before the anchor; null for a PR still open. */
  mergedAt: When | null;
};

export type StoryIncident = {
  title: string;
  severity: Severity;
  status: IncidentStatus;
  tier: TierKey;
  areas: string[];
  impact: string;
  reporter: Person;
  started: When;
  /** Minutes after the start; null when not reached yet. */
  detectedAfter: number;
  mitigatedAfter: number | null;
  resolvedAfter: number | null;
  timeline: [minutesAfterStart: number, kind: TimelineKind, text: string][];
  pullRequests: StoryPullRequest[];
  postmortem?: StoryPostmortem;
};

export const GH = "https://github.com";

// ---------------------------------------------------------------------------------------------
// Gates that actions bring in

export const RETRY_IDEMPOTENCY: StoryGate = {
  key: "retry-idempotency",
  name: "Retry idempotency test",
  kind: "test_suite",
  repository: "acme/payments-api",
  checkName: "retry-idempotency",
  tiers: ["T2"],
  status: "enforced",
  description: "Integration test: a capture retried after a gateway timeout reuses the original idempotency key.",
};

export const RETRY_CONTRACT: StoryGate = {
  key: "retry-contract",
  name: "Payment retry contract",
  kind: "test_suite",
  repository: "acme/payments-api",
  checkName: "retry-contract",
  tiers: ["T2", "T3"],
  status: "enforced",
  description:
    "Contract test for every retry path to the card processor: the idempotency key is reused, backoff is exponential with jitter and capped at 5 attempts, and Retry-After on a 429 is honoured. Replaces the retry idempotency test.",
};

export const PAYMENTS_CODEOWNERS: StoryGate = {
  key: "payments-codeowners",
  name: "CODEOWNERS for payment paths",
  kind: "codeowners",
  repository: "acme/payments-api",
  checkName: "",
  tiers: ["T2"],
  status: "enforced",
  description: "services/payments/** and services/retry/** need an approval from @acme/billing-maintainers.",
};

export const WEBKIT_SMOKE: StoryGate = {
  key: "webkit-smoke",
  name: "Checkout smoke tests on WebKit",
  kind: "ci_check",
  repository: "acme/checkout-web",
  checkName: "e2e-webkit",
  tiers: ["T1", "T2"],
  status: "enforced",
  description: "The checkout smoke suite runs in WebKit as well as Chromium on every pull request.",
};

export const MIGRATION_LINT: StoryGate = {
  key: "migration-lint",
  name: "Migration lint (squawk)",
  kind: "lint_rule",
  repository: "acme/ledger",
  checkName: "squawk",
  tiers: ["T3"],
  status: "enforced",
  description: "Fails a pull request whose migration takes an ACCESS EXCLUSIVE lock on a large table or sets no lock_timeout.",
};

export const TENANT_SCOPE: StoryGate = {
  key: "tenant-scope",
  name: "Tenant scope rule (Semgrep)",
  kind: "sast",
  repository: "acme/merchant-exports",
  checkName: "semgrep-tenant-scope",
  tiers: ["T2"],
  status: "enforced",
  description: "Semgrep rule: every query on payouts, balances or settlements filters by merchant_id.",
};

// ---------------------------------------------------------------------------------------------
// Incidents, oldest first (INC-1 … INC-12)
