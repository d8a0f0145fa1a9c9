/**
 * What the demo workspace "Acme Payments" holds: a payments team's last six months, told through
 * its incidents, postmortems, guardrails, gates and decisions. Only data here; story.server.ts
 * writes it through the domain functions.
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

const GH = "https://github.com";

// ---------------------------------------------------------------------------------------------
// Gates that actions bring in

const RETRY_IDEMPOTENCY: StoryGate = {
  key: "retry-idempotency",
  name: "Retry idempotency test",
  kind: "test_suite",
  repository: "acme/payments-api",
  checkName: "retry-idempotency",
  tiers: ["T2"],
  status: "enforced",
  description: "Integration test: a capture retried after a gateway timeout reuses the original idempotency key.",
};

const RETRY_CONTRACT: StoryGate = {
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

const PAYMENTS_CODEOWNERS: StoryGate = {
  key: "payments-codeowners",
  name: "CODEOWNERS for payment paths",
  kind: "codeowners",
  repository: "acme/payments-api",
  checkName: "",
  tiers: ["T2"],
  status: "enforced",
  description: "services/payments/** and services/retry/** need an approval from @acme/billing-maintainers.",
};

const WEBKIT_SMOKE: StoryGate = {
  key: "webkit-smoke",
  name: "Checkout smoke tests on WebKit",
  kind: "ci_check",
  repository: "acme/checkout-web",
  checkName: "e2e-webkit",
  tiers: ["T1", "T2"],
  status: "enforced",
  description: "The checkout smoke suite runs in WebKit as well as Chromium on every pull request.",
};

const MIGRATION_LINT: StoryGate = {
  key: "migration-lint",
  name: "Migration lint (squawk)",
  kind: "lint_rule",
  repository: "acme/ledger",
  checkName: "squawk",
  tiers: ["T3"],
  status: "enforced",
  description: "Fails a pull request whose migration takes an ACCESS EXCLUSIVE lock on a large table or sets no lock_timeout.",
};

const TENANT_SCOPE: StoryGate = {
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

export const INCIDENTS: StoryIncident[] = [
  {
    title: "Duplicate card charges after the payment-retry refactor",
    severity: "SEV2",
    status: "resolved",
    tier: "T2",
    areas: ["billing"],
    impact: "312 customers were charged twice for one order between 14:02 and 15:10 UTC (€41,870 in duplicate captures). All were refunded within 26 hours; 57 support tickets.",
    reporter: "dana",
    started: [171, "14:02"],
    detectedAfter: 38,
    mitigatedAfter: 68,
    resolvedAfter: 26 * 60,
    timeline: [
      [0, "trigger", "acme/payments-api#1184 (retry backoff moved into RetryPolicy) deployed to all regions."],
      [38, "detection", "Support escalated three reports of double charges in the same minute; no alert had fired."],
      [44, "escalation", "Billing on-call paged; incident channel opened, Dana Demo incident commander."],
      [61, "action", "Duplicate captures traced to retries after gateway timeouts carrying a new idempotency key."],
      [68, "mitigation", "#1184 reverted; the retry worker paused until the revert was live."],
      [95, "communication", "Status page updated: some customers charged twice, refunds on the way."],
      [26 * 60, "resolution", "All 312 duplicate captures refunded and reconciled with the processor's settlement file."],
    ],
    pullRequests: [
      { url: `${GH}/acme/payments-api/pull/1184`, role: "trigger", tier: "T1", assisted: "yes", title: "Move retry backoff into RetryPolicy", author: "mokafor", mergedAt: [171, "13:40"] },
      { url: `${GH}/acme/payments-api/pull/1187`, role: "fix", tier: "T2", assisted: "no", title: "Revert \"Move retry backoff into RetryPolicy\"", author: "dana-demo", mergedAt: [171, "15:06"] },
    ],
    postmortem: {
      template: "google-sre",
      author: "dana",
      writtenAt: [167, "10:15"],
      state: "published",
      publishedAt: [165, "16:05"],
      reviews: [
        { at: [166, "11:20"], by: "marcus", verdict: "comment", comment: "The timeline is right. Worth saying that the refactor was generated with an assistant and the diff looked like a pure move; that is why nobody read the key handling." },
        { at: [165, "15:40"], by: "marcus", verdict: "approve", comment: "Factors and actions match what we found. Approving as billing maintainer." },
      ],
      body: `## Summary

For 68 minutes, card captures that timed out at the payment gateway were retried with a new idempotency key, so the processor treated each retry as a new charge. 312 customers were charged twice. Reverting the retry refactor stopped new duplicates; refunds finished the next day.

## Impact

- 312 customers charged twice, €41,870 in duplicate captures, all refunded within 26 hours.
- 57 support tickets; the support team answered them from a macro written during the incident.
- No data was lost and no other payment method was affected.

## Root causes and trigger

**Trigger:** acme/payments-api#1184 moved the retry backoff into a new \`RetryPolicy\` class. The new class built a fresh request for each attempt, and the idempotency key is generated when a request is built.

**Root causes:** nothing tested a retry after a timeout, the only path where a second attempt reaches the processor. The change touched billing code but was labelled T1 as a refactor, so it did not need a billing maintainer's review.

## Detection

Support escalated the first reports 38 minutes after the deploy. We had alerts on capture failures, none on captures succeeding twice for one order.

## Resolution

Reverting #1184 stopped new duplicates at 15:10. A script matched captures by order id against the processor's settlement file and refunded the second capture of each pair; a second engineer checked the list before it ran.

## Contributing factors

The tracked factors are listed below the document. In short: no test covered a retry after a timeout, and no rule routed changes to the retry path to the people who know it.

## Action items

Tracked as guardrail actions below: a retry-after-timeout test that runs in CI, and a CODEOWNERS rule for the payment paths.

## Lessons learned

### What went well

- The revert was clean and fast: one click and an eight-minute deploy.
- Support's escalation path worked and gave us exact order ids.

### What went wrong

- We found out from customers, not from an alert.
- The refund script was written under pressure; it worked, but it is not in a runbook yet.

### Where we got lucky

- The incident started on a Tuesday afternoon, with billing maintainers at their desks.

## Timeline

The detailed events are on the incident. The turning point was at 15:03 UTC, when the duplicate captures lined up with gateway timeouts and pointed at the retry path.

## Supporting information

- Trigger: acme/payments-api#1184; revert: #1187.
- Decision: ADR-2 (retries carry the original idempotency key).`,
      factors: [
        {
          text: "No test covered a capture retried after a gateway timeout, the one path where a second attempt reaches the processor, so a refactor that regenerated the idempotency key passed CI.",
          category: "missing_test",
          tier: "T2",
          gates: [{ gate: "retry-idempotency", involvement: "missing" }],
          pullRequests: [`${GH}/acme/payments-api/pull/1184`],
          actions: [
            {
              title: "Add a retry-after-timeout test that asserts the idempotency key is reused",
              kind: "new_gate",
              owner: "marcus",
              dueIn: -150,
              newGate: RETRY_IDEMPOTENCY,
              implementingPr: `${GH}/acme/payments-api/pull/1193`,
              steps: [
                { to: "in_progress", at: [166, "09:30"] },
                { to: "done", at: [163, "16:20"] },
              ],
            },
          ],
        },
        {
          text: "Changes to the retry path were not routed to billing maintainers: the refactor was labelled T1 and reviewed by an engineer outside billing, as the rules allowed.",
          category: "review_gap",
          tier: "T2",
          pullRequests: [`${GH}/acme/payments-api/pull/1184`],
          actions: [
            {
              title: "CODEOWNERS: billing maintainers own services/payments and services/retry",
              kind: "new_gate",
              owner: "dana",
              dueIn: -155,
              newGate: PAYMENTS_CODEOWNERS,
              steps: [
                { to: "done", at: [165, "11:00"] },
                {
                  to: "verified",
                  at: [164, "09:45"],
                  evidenceUrl: `${GH}/acme/payments-api/blob/main/.github/CODEOWNERS`,
                  evidenceNote: "Opened a test PR touching services/retry: GitHub requested @acme/billing-maintainers and blocked merge without them.",
                },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    title: "Checkout button unresponsive for Safari 15 users",
    severity: "SEV3",
    status: "resolved",
    tier: "T1",
    areas: ["observability"],
    impact: "About 4% of checkout sessions (Safari 15 on macOS and iOS) could not submit payment for 3 h 10 min. Estimated 1,900 abandoned checkouts.",
    reporter: "priya",
    started: [149, "08:20"],
    detectedAfter: 150,
    mitigatedAfter: 190,
    resolvedAfter: 240,
    timeline: [
      [0, "trigger", "Checkout bundle built with the new browserslist target rolled out to 100%."],
      [150, "detection", "A merchant's support lead reported that the Pay button did nothing for several of their customers on older iPhones."],
      [170, "action", "Reproduced on Safari 15.6 in BrowserStack: a syntax error in the bundle stopped the payment form's script."],
      [190, "mitigation", "Rolled checkout-web back to the previous bundle."],
      [240, "resolution", "Fixed build target (#877) deployed; Safari 15 sessions converting at the usual rate."],
    ],
    pullRequests: [
      { url: `${GH}/acme/checkout-web/pull/871`, role: "trigger", tier: "T1", assisted: "no", title: "Update browserslist to last 2 versions", author: "pnatarajan", mergedAt: [150, "17:12"] },
      { url: `${GH}/acme/checkout-web/pull/877`, role: "fix", tier: "T1", assisted: "no", title: "Keep Safari 15 in the build targets", author: "pnatarajan", mergedAt: [149, "12:05"] },
    ],
    postmortem: {
      template: "lightweight",
      author: "priya",
      writtenAt: [147, "14:00"],
      state: "published",
      publishedAt: [146, "10:30"],
      reviews: [{ at: [146, "10:10"], by: "dana", verdict: "approve", comment: "Clear and short. Good call on alerting per browser family rather than sampling more." }],
      body: `## What happened

A build configuration change dropped Safari 15 from the checkout bundle's targets. The bundle used syntax Safari 15 cannot parse, so the payment form never loaded there. It lasted 3 h 10 min, until we rolled the bundle back.

## Impact

About 4% of checkout sessions, an estimated 1,900 abandoned checkouts. No payments were taken wrongly.

## Why it got through

- Our end-to-end tests run in Chromium only.
- Front-end errors are sampled at 1%, and the alert fires on the overall error rate, so a spike confined to one browser family stayed under the threshold.
- The change looked like tooling, not product, and was merged as T1 with the usual single review.

## What changes now

- Run the checkout smoke tests in WebKit on every pull request (tracked below).
- Alert on checkout conversion per browser family (tracked below).`,
      factors: [
        {
          text: "The checkout smoke tests ran in Chromium only, so a bundle that Safari could not parse passed CI.",
          category: "missing_test",
          tier: "T1",
          gates: [{ gate: "webkit-smoke", involvement: "missing" }],
          pullRequests: [`${GH}/acme/checkout-web/pull/871`],
          actions: [
            {
              title: "Run the checkout smoke tests on WebKit in CI",
              kind: "better_test",
              owner: "priya",
              dueIn: -130,
              newGate: WEBKIT_SMOKE,
              implementingPr: `${GH}/acme/checkout-web/pull/884`,
              steps: [{ to: "done", at: [140, "15:30"] }],
            },
          ],
        },
        {
          text: "Front-end error alerts use the overall error rate with 1% sampling, which hides a failure confined to one browser family.",
          category: "observability_gap",
          tier: "T1",
          actions: [
            {
              title: "Alert on checkout conversion per browser family",
              kind: "alert",
              owner: "priya",
              dueIn: -21,
              steps: [{ to: "in_progress", at: [40, "10:00"] }],
            },
          ],
        },
      ],
    },
  },
  {
    title: "Ledger migration locked the transactions table for 14 minutes",
    severity: "SEV2",
    status: "resolved",
    tier: "T3",
    areas: ["infra", "billing"],
    impact: "Payment confirmations stalled for 14 minutes: 8,400 payments were accepted but confirmed late, and 230 API clients timed out and retried. No payment was lost.",
    reporter: "priya",
    started: [133, "10:05"],
    detectedAfter: 3,
    mitigatedAfter: 14,
    resolvedAfter: 55,
    timeline: [
      [0, "trigger", "Migration 0142 (add settlement_batch_id with a default) started on the ledger primary."],
      [3, "detection", "Alert: ledger write latency p99 above 5 s."],
      [6, "escalation", "Priya Natarajan paged as infrastructure on-call; payments on-call joined."],
      [11, "action", "pg_stat_activity showed the migration holding ACCESS EXCLUSIVE on transactions while it rewrote the table."],
      [14, "mitigation", "Migration cancelled; the lock released and the queue drained in four minutes."],
      [55, "resolution", "Column added again without a default, backfilled in batches of 10,000."],
    ],
    pullRequests: [
      { url: `${GH}/acme/ledger/pull/402`, role: "trigger", tier: "T1", assisted: "no", title: "Add settlement_batch_id to transactions", author: "mokafor", mergedAt: [134, "16:40"] },
      { url: `${GH}/acme/ledger/pull/405`, role: "fix", tier: "T3", assisted: "no", title: "Add settlement_batch_id without a default; backfill in batches", author: "mokafor", mergedAt: [133, "10:50"] },
    ],
    postmortem: {
      template: "google-sre",
      author: "priya",
      writtenAt: [130, "09:00"],
      state: "published",
      publishedAt: [128, "09:40"],
      reviews: [
        { at: [129, "14:00"], by: "marcus", verdict: "approve", comment: "Accurate. I'd add that the staging table has 40k rows against 310M in production; that is the whole story of why it looked fine." },
        { at: [128, "09:15"], by: "dana", verdict: "approve", comment: "Approved. ADR-3 now records the migration rules." },
      ],
      body: `## Summary

A migration added a column with a default to the 310-million-row transactions table. On our Postgres version that rewrote the table under an ACCESS EXCLUSIVE lock, and payment confirmations queued behind it for 14 minutes until we cancelled it.

## Impact

- 8,400 payments accepted but confirmed up to 14 minutes late.
- 230 API clients timed out and retried; the idempotency keys made those retries safe.
- No payment was lost or duplicated.

## Root causes and trigger

**Trigger:** migration 0142 from acme/ledger#402, run by the normal deploy.

**Root causes:** the change was classified T1 because it "only added a column", so the T3 rules for migrations (validation against a production-sized snapshot, a change window) did not apply. Nothing in CI looks at the locks a migration takes.

## Detection

The write-latency alert fired after 3 minutes. Detection was good; knowing what to cancel took longer.

## Resolution

Cancelling the migration released the lock at once. The column was then added without a default and backfilled in batches, with a lock_timeout of 2 s.

## Contributing factors

A misclassified tier, and no gate that reads migrations. Both are tracked below.

## Action items

Tracked below: squawk in CI for acme/ledger, and a PR template that classifies every migration as T3.

## Lessons learned

### What went well

- The alert fired within three minutes, and cancelling was safe.

### What went wrong

- The staging table has 40 thousand rows; production has 310 million. The migration was "tested" but not against anything like production.

### Where we got lucky

- It ran at 10:05 on a weekday. At the evening peak, the queue would have been four times longer.

## Timeline

See the incident. The turning point was pg_stat_activity at 10:16.

## Supporting information

- Decision: ADR-3 (online schema migrations only, with a lock timeout).`,
      factors: [
        {
          text: "The migration was classified T1 because it only added a column, so the T3 rules for migrations (validation on a production-sized snapshot, a change window) did not apply.",
          category: "tier_misclassified",
          tier: "T3",
          pullRequests: [`${GH}/acme/ledger/pull/402`],
          actions: [
            {
              title: "Classify every change under migrations/ as T3 in the PR template and the labeler",
              kind: "tier_rule",
              owner: "priya",
              dueIn: -118,
              steps: [
                { to: "done", at: [124, "14:00"] },
                { to: "verified", at: [122, "09:10"], evidenceUrl: `${GH}/acme/ledger/pull/411`, evidenceNote: "The labeler put T3 on a test PR that only touched migrations/." },
              ],
            },
          ],
        },
        {
          text: "No check in CI reads migrations for the locks they take, so a table rewrite under ACCESS EXCLUSIVE looked like any other change.",
          category: "missing_gate",
          tier: "T3",
          gates: [{ gate: "migration-lint", involvement: "missing" }],
          actions: [
            {
              title: "Run squawk on every migration in acme/ledger and fail on table rewrites",
              kind: "new_gate",
              owner: "marcus",
              dueIn: -115,
              newGate: MIGRATION_LINT,
              implementingPr: `${GH}/acme/ledger/pull/409`,
              steps: [{ to: "done", at: [126, "17:45"] }],
            },
          ],
        },
      ],
    },
  },
  {
    title: "Status page kept showing a resolved incident for two days",
    severity: "SEV4",
    status: "resolved",
    tier: "T0",
    areas: ["observability"],
    impact: "No customer impact on payments. The public status page showed \"degraded card payments\" for 46 hours after INC-3 was resolved; 12 merchants asked about it.",
    reporter: "dana",
    started: [131, "11:00"],
    detectedAfter: 46 * 60,
    mitigatedAfter: 46 * 60 + 5,
    resolvedAfter: 46 * 60 + 5,
    timeline: [
      [0, "note", "INC-3 resolved; the status page banner was left in place."],
      [46 * 60, "detection", "A merchant asked in the support chat why payments were still degraded."],
      [46 * 60 + 5, "resolution", "Banner cleared."],
    ],
    pullRequests: [],
    postmortem: {
      template: "lightweight",
      author: "dana",
      writtenAt: [128, "16:00"],
      state: "published",
      publishedAt: [127, "09:30"],
      reviews: [{ at: [127, "09:05"], by: "priya", verdict: "approve", comment: "Small one, glad we wrote it down." }],
      body: `## What happened

After INC-3 was resolved, the status page banner stayed up for 46 hours. Nobody owned taking it down.

## Impact

No effect on payments. Twelve merchants asked whether payments were still degraded.

## Why it got through

Closing an incident has no checklist. Posting the banner is in the on-call runbook; clearing it is not.

## What changes now

- A close checklist on the incident runbook that includes the status page (tracked below).`,
      factors: [
        {
          text: "The incident close procedure has no step for the status page: posting a banner is in the runbook, clearing it is not.",
          category: "runbook_gap",
          tier: "T0",
          actions: [
            {
              title: "Add \"clear the status page banner\" to the incident close checklist",
              kind: "runbook",
              owner: "dana",
              dueIn: -120,
              steps: [
                { to: "done", at: [127, "10:00"] },
                { to: "verified", at: [104, "18:00"], evidenceNote: "Used during INC-5: the banner came down four minutes after resolution, from the checklist." },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    title: "Logins failed after the session-signing key rotation",
    severity: "SEV1",
    status: "resolved",
    tier: "T2",
    areas: ["auth"],
    impact: "For 52 minutes every dashboard session was rejected and no merchant could log in or approve payouts (about 6,100 merchants active in that window). Card payments through the API were not affected.",
    reporter: "priya",
    started: [105, "06:30"],
    detectedAfter: 4,
    mitigatedAfter: 52,
    resolvedAfter: 70,
    timeline: [
      [0, "trigger", "Scheduled rotation of the session-signing key ran; the previous key was deleted from the secrets manager."],
      [4, "detection", "Alert: dashboard login success rate below 50%."],
      [9, "escalation", "Declared SEV1; Priya Natarajan incident commander, Dana Demo on communications."],
      [15, "communication", "Status page: merchants cannot log in to the dashboard; API payments unaffected."],
      [31, "action", "sso-bridge found to cache the key set for an hour, so it rejected tokens signed with the new key too."],
      [52, "mitigation", "Old key restored from the secrets manager's version history; sso-bridge restarted."],
      [70, "resolution", "Login success back to 99.6%; status page cleared from the close checklist."],
    ],
    pullRequests: [
      { url: `${GH}/acme/auth-service/pull/388`, role: "fix", tier: "T2", assisted: "no", title: "Keep the previous signing key valid for 24 hours after rotation", author: "pnatarajan", mergedAt: [103, "15:20"] },
    ],
    postmortem: {
      template: "google-sre",
      author: "priya",
      writtenAt: [101, "13:00"],
      state: "published",
      publishedAt: [100, "12:00"],
      reviews: [
        { at: [100, "08:50"], by: "marcus", verdict: "request_changes", comment: "The summary says the rotation \"was done wrong\". It was done exactly as the runbook says; the runbook is what's out of date. Can we say that?" },
        { at: [100, "11:15"], by: "marcus", verdict: "approve", comment: "Thanks, reads right now." },
      ],
      body: `## Summary

The scheduled rotation of the session-signing key was done wrong: it deleted the old key at once. Sessions signed with it were rejected, and sso-bridge, which caches the key set for an hour, also rejected sessions signed with the new one. Nobody could log in to the dashboard for 52 minutes, until the old key was restored.

## Impact

- About 6,100 merchants could not log in or approve payouts for 52 minutes.
- API payments were not affected.
- 140 support tickets, most answered by the status page link.

## Root causes and trigger

**Trigger:** the quarterly signing-key rotation.

**Root causes:** the rotation deletes the previous key immediately, with no overlap window, so rolling back means restoring a deleted secret. The runbook predates sso-bridge and does not mention its key cache.

## Detection

The login success alert fired after four minutes. Good.

## Resolution

Restoring the old key from the secrets manager's version history and restarting sso-bridge brought logins back. Finding the cache took most of the time.

## Contributing factors

No overlap window for keys (a rollback gap) and a runbook that no longer matches the system (a runbook gap). Tracked below.

## Action items

Tracked below: keep the previous key valid for 24 hours, and rewrite and rehearse the rotation runbook.

## Lessons learned

### What went well

- The alert, the SEV1 declaration and the status page all happened within 15 minutes.
- The close checklist from INC-4 took the banner down on time.

### What went wrong

- The runbook sent us the wrong way for 20 minutes.

### Where we got lucky

- The rotation ran at 06:30 UTC, before the European morning peak.

## Timeline

See the incident. The turning point was finding sso-bridge's key cache at 07:01.

## Supporting information

- Fix: acme/auth-service#388. Decision: ADR-4 (signing keys rotate with a 24-hour overlap).`,
      edit: {
        by: "priya",
        at: [100, "09:30"],
        afterReviews: 1,
        replace: [
          "The scheduled rotation of the session-signing key was done wrong: it deleted the old key at once.",
          "The scheduled rotation of the session-signing key deleted the old key at once, as the runbook says.",
        ],
      },
      factors: [
        {
          text: "Key rotation deleted the previous signing key at once, with no overlap window, so rolling back meant restoring a deleted secret under pressure.",
          category: "rollback_gap",
          tier: "T2",
          pullRequests: [`${GH}/acme/auth-service/pull/388`],
          actions: [
            {
              title: "Keep the previous signing key valid for 24 hours after a rotation",
              kind: "other",
              owner: "priya",
              dueIn: -90,
              implementingPr: `${GH}/acme/auth-service/pull/388`,
              steps: [
                { to: "done", at: [100, "16:00"] },
                { to: "verified", at: [96, "11:00"], evidenceNote: "Game day in staging: rotated twice, rolled back once; no session was rejected. Notes in the SRE wiki, 'Key rotation game day'." },
              ],
            },
          ],
        },
        {
          text: "The rotation runbook predates sso-bridge and does not mention its one-hour key cache, so responders restarted the wrong service first.",
          category: "runbook_gap",
          tier: "T2",
          actions: [
            {
              title: "Rewrite the key rotation runbook with sso-bridge's cache, and rehearse it in staging",
              kind: "runbook",
              owner: "priya",
              dueIn: -9,
            },
          ],
        },
      ],
    },
  },
  {
    title: "Payment retries exhausted the card processor's rate limit",
    severity: "SEV2",
    status: "resolved",
    tier: "T2",
    areas: ["billing"],
    impact: "For 41 minutes 18% of card authorisations failed with \"processor unavailable\" (about 9,800 payments). Retries by merchants recovered most of them; an estimated 1,200 were lost sales.",
    reporter: "marcus",
    started: [89, "17:45"],
    detectedAfter: 5,
    mitigatedAfter: 41,
    resolvedAfter: 80,
    timeline: [
      [0, "trigger", "acme/payments-api#1342 (simplify RetryPolicy) deployed; retries of 429 responses now went out without delay."],
      [5, "detection", "Alert: authorisation failure rate 12% and rising."],
      [8, "escalation", "Billing on-call paged Marcus Okafor; card processor's status page showed no incident."],
      [22, "action", "Processor's support confirmed we were at 3x our rate limit; retry traffic was 70% of requests."],
      [30, "communication", "Status page: some card payments failing, retrying usually succeeds."],
      [41, "mitigation", "Retry worker scaled to zero; authorisation failures back under 0.5%."],
      [80, "resolution", "#1342 reverted and the retry worker restarted."],
    ],
    pullRequests: [
      { url: `${GH}/acme/payments-api/pull/1342`, role: "trigger", tier: "T2", assisted: "yes", title: "Simplify RetryPolicy", author: "mokafor", mergedAt: [89, "16:10"] },
      { url: `${GH}/acme/payments-api/pull/1345`, role: "fix", tier: "T2", assisted: "no", title: "Revert \"Simplify RetryPolicy\"", author: "mokafor", mergedAt: [89, "18:55"] },
      { url: `${GH}/acme/payments-api/pull/1361`, role: "related", tier: "T2", assisted: "unknown", title: "Retry contract test: key, backoff, Retry-After", author: "mokafor", mergedAt: [80, "12:30"] },
    ],
    postmortem: {
      template: "google-sre",
      author: "marcus",
      writtenAt: [86, "10:00"],
      state: "published",
      publishedAt: [84, "16:20"],
      reviews: [
        { at: [85, "09:30"], by: "dana", verdict: "comment", comment: "This is the second retry incident in three months (INC-1). Can the factor name the retry idempotency test as the gate that failed to catch it? That way it shows up as recurring." },
        { at: [84, "16:00"], by: "dana", verdict: "approve", comment: "Approved. The contract test is the right shape; let's make sure it replaces the old gate rather than sitting beside it." },
      ],
      body: `## Summary

A simplification of the retry policy dropped the delay before retrying a 429 from the card processor. Under the evening peak, retries grew to 70% of our traffic, tripled our rate limit, and 18% of authorisations failed for 41 minutes.

## Impact

- About 9,800 authorisations failed; merchants' own retries recovered most, an estimated 1,200 sales were lost.
- The processor asked us for a written explanation, which this document became.

## Root causes and trigger

**Trigger:** acme/payments-api#1342, drafted with a coding assistant, merged after review by a billing maintainer (the CODEOWNERS rule from INC-1 worked).

**Root causes:** the retry idempotency test added after INC-1 checks that a retry reuses its key. It says nothing about when or how often we retry, so the change passed it. The policy had no cap on the retry share of our rate limit either.

## Detection

The authorisation failure alert fired after five minutes.

## Resolution

Scaling the retry worker to zero stopped the storm; reverting #1342 let us bring it back.

## Contributing factors

This is the same path as INC-1, and the gate we added then was there and passed. The gate tested the one property that broke last time, not the contract of the retry path. Tracked below.

## Action items

Tracked below: replace the idempotency test with a contract test for the whole retry path.

## Lessons learned

### What went well

- The CODEOWNERS rule from INC-1 routed the change to billing; the review itself was careful about keys.
- Scaling the worker to zero was a safe, fast lever.

### What went wrong

- A gate that tests one symptom gave us confidence about the whole path.

### Where we got lucky

- The processor did not block our account, which its terms allow at 3x the limit.

## Timeline

See the incident.

## Supporting information

- Trigger: #1342; revert: #1345; contract test: #1361.
- Decision: ADR-5 supersedes ADR-2 (retry policy).`,
      factors: [
        {
          text: "The retry idempotency test checked that a retry reuses its key but not when or how often the worker retries, so a change that retried 429s immediately passed it.",
          category: "missing_test",
          tier: "T2",
          gates: [{ gate: "retry-idempotency", involvement: "failed_to_catch" }],
          pullRequests: [`${GH}/acme/payments-api/pull/1342`],
          actions: [
            {
              title: "Replace the idempotency test with a retry contract test: key reuse, capped backoff with jitter, Retry-After honoured",
              kind: "sharpen_gate",
              owner: "marcus",
              dueIn: -75,
              newGate: RETRY_CONTRACT,
              implementingPr: `${GH}/acme/payments-api/pull/1361`,
              steps: [
                { to: "in_progress", at: [86, "14:00"] },
                { to: "done", at: [80, "12:40"] },
              ],
            },
          ],
        },
        {
          text: "Nothing limits the retry worker's share of the processor's rate limit, so a retry storm can crowd out first attempts.",
          category: "dependency_risk",
          tier: "T2",
          actions: [
            {
              title: "Give the retry worker its own token bucket at 20% of the processor quota",
              kind: "other",
              owner: "marcus",
              dueIn: -60,
              steps: [
                {
                  to: "wont_do",
                  at: [70, "16:00"],
                  reason: "The retry contract (ACT-10) now requires honouring Retry-After and caps attempts; the processor's limiter does the rest. A second limiter would hide the signal. See ADR-5.",
                },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    title: "Merchant webhooks delayed up to 40 minutes without an alert",
    severity: "SEV3",
    status: "resolved",
    tier: "T1",
    areas: ["observability"],
    impact: "Payment-succeeded webhooks to the 40 largest merchants arrived up to 40 minutes late for 2 h 30 min. Two merchants shipped orders late; no events were lost.",
    reporter: "priya",
    started: [71, "13:10"],
    detectedAfter: 105,
    mitigatedAfter: 130,
    resolvedAfter: 150,
    timeline: [
      [0, "trigger", "A large merchant's endpoint started answering in 20 s; their deliveries held workers on shard 3."],
      [105, "detection", "Merchant asked support why order confirmations were late."],
      [118, "action", "Queue age on shard 3 found at 38 minutes; the dashboard's average across shards showed 2 minutes."],
      [130, "mitigation", "Timeout for webhook calls lowered to 5 s; shard 3 given four more workers."],
      [150, "resolution", "Shard 3 backlog drained."],
    ],
    pullRequests: [
      { url: `${GH}/acme/webhooks/pull/156`, role: "fix", tier: "T1", assisted: "no", title: "Webhook delivery timeout 5 s; per-endpoint concurrency cap", author: "pnatarajan", mergedAt: [70, "11:00"] },
    ],
    postmortem: {
      template: "lightweight",
      author: "priya",
      writtenAt: [68, "15:00"],
      state: "published",
      publishedAt: [67, "10:30"],
      reviews: [{ at: [67, "10:00"], by: "dana", verdict: "approve", comment: "Approved. The average-over-shards dashboard is the same trap as INC-2's overall error rate." }],
      body: `## What happened

One merchant's slow endpoint held the delivery workers of one queue shard. Webhooks to every merchant on that shard were delayed up to 40 minutes for two and a half hours, and we heard it from a merchant.

## Impact

The 40 largest merchants (all on shard 3) received payment-succeeded events late. Two shipped orders late. No event was lost.

## Why it got through

- The queue-age dashboard and alert use the average across shards; one shard at 38 minutes averaged out to 2.
- Webhook calls had a 30 s timeout and no per-endpoint concurrency cap.

## What changes now

- Alert on the p99 queue age per shard (tracked below).
- The timeout and concurrency cap shipped during the incident (#156).`,
      factors: [
        {
          text: "Webhook queue age was alerted on as an average across shards, so one shard 38 minutes behind looked like 2 minutes.",
          category: "observability_gap",
          tier: "T1",
          actions: [
            {
              title: "Alert on webhook queue age at p99 per shard",
              kind: "alert",
              owner: "dana",
              dueIn: -6,
            },
          ],
        },
      ],
    },
  },
  {
    title: "Merchant payout export included another merchant's rows",
    severity: "SEV2",
    status: "resolved",
    tier: "T2",
    areas: ["data-access"],
    impact: "Three merchants downloaded payout exports that included 41 payout rows belonging to one other merchant (amounts and last four digits of bank accounts). Exports were withdrawn within 3 hours; the affected merchant and the three recipients were informed; reported to the DPO.",
    reporter: "marcus",
    started: [56, "09:40"],
    detectedAfter: 150,
    mitigatedAfter: 170,
    resolvedAfter: 6 * 60,
    timeline: [
      [0, "trigger", "acme/merchant-exports#212 (new payout CSV with settlement batches) deployed."],
      [150, "detection", "A merchant wrote that their export listed payouts they did not recognise."],
      [158, "escalation", "Declared SEV2 as a data exposure; DPO informed."],
      [170, "mitigation", "Payout export disabled with its feature flag; generated files deleted from storage."],
      [6 * 60, "resolution", "Fix #215 deployed with a two-merchant test; exports re-enabled."],
    ],
    pullRequests: [
      { url: `${GH}/acme/merchant-exports/pull/212`, role: "trigger", tier: "T1", assisted: "yes", title: "Payout CSV with settlement batches", author: "mokafor", mergedAt: [57, "15:30"] },
      { url: `${GH}/acme/merchant-exports/pull/215`, role: "fix", tier: "T2", assisted: "no", title: "Scope the payout batch join by merchant_id", author: "mokafor", mergedAt: [56, "15:20"] },
    ],
    postmortem: {
      template: "google-sre",
      author: "marcus",
      writtenAt: [53, "11:00"],
      state: "published",
      publishedAt: [51, "15:30"],
      reviews: [{ at: [51, "15:00"], by: "priya", verdict: "approve", comment: "Thorough. Approving; the Semgrep rule is the part I want to see run, not just merged." }],
      body: `## Summary

A new payout export joined payouts to settlement batches without filtering the batches by merchant. When two merchants shared a settlement batch, each merchant's export included the other's payouts. Three exports leaked 41 rows before a merchant told us.

## Impact

- 41 payout rows of one merchant (amounts, dates, last four digits of the bank account) were in three other merchants' exports.
- The exports were withdrawn within three hours; all four merchants were contacted the same day, and the DPO recorded it.

## Root causes and trigger

**Trigger:** acme/merchant-exports#212, whose query was drafted with a coding assistant.

**Root causes:** the join on settlement batches had no merchant filter. The review concentrated on the CSV format; the tests used a single merchant, so a missing tenant filter could not show. The change was classified T1, though it reads personal data.

## Detection

A merchant found it. We have no check that an export contains only the requester's rows.

## Resolution

The export's feature flag disabled it in seconds; deleting the generated files and fixing the query took the rest of the morning.

## Contributing factors

An assisted change whose query was not checked for tenant scope, and single-tenant test fixtures. Tracked below.

## Action items

Tracked below: a Semgrep rule that fails queries on payout tables without a merchant filter, and two-merchant fixtures for every export test.

## Lessons learned

### What went well

- The feature flag made the mitigation immediate.
- The DPO was in the channel within ten minutes.

### What went wrong

- The PR looked like formatting work, and the risky part was four lines of SQL.

### Where we got lucky

- Only merchants sharing a settlement batch were affected, three in total.

## Timeline

See the incident.

## Supporting information

- Trigger: #212; fix: #215.`,
      factors: [
        {
          text: "The export query was drafted with a coding assistant and joined settlement batches without a merchant filter; the review checked the CSV format, and nothing checks queries on payout tables for tenant scope.",
          category: "assisted_change_unverified",
          tier: "T2",
          gates: [{ gate: "tenant-scope", involvement: "missing" }],
          pullRequests: [`${GH}/acme/merchant-exports/pull/212`],
          actions: [
            {
              title: "Semgrep rule: every query on payouts, balances and settlements filters by merchant_id",
              kind: "new_gate",
              owner: "marcus",
              dueIn: -35,
              newGate: TENANT_SCOPE,
              implementingPr: `${GH}/acme/merchant-exports/pull/219`,
              steps: [
                { to: "in_progress", at: [50, "10:00"] },
                { to: "done", at: [41, "16:30"] },
              ],
            },
          ],
        },
        {
          text: "Export tests ran against a single-merchant fixture, so a query that mixed merchants returned the right rows in every test.",
          category: "missing_test",
          tier: "T2",
          actions: [
            {
              title: "Two-merchant fixtures for every export test",
              kind: "better_test",
              owner: "marcus",
              dueIn: 12,
              steps: [{ to: "in_progress", at: [30, "09:00"] }],
            },
          ],
        },
      ],
    },
  },
  {
    title: "EU invoices showed VAT on reverse-charge customers",
    severity: "SEV3",
    status: "resolved",
    tier: "T2",
    areas: ["billing"],
    impact: "1,140 invoices to business customers in the EU showed 19–21% VAT where reverse charge applies. No money was collected wrongly; invoices were reissued.",
    reporter: "dana",
    started: [36, "00:00"],
    detectedAfter: 3 * 24 * 60 + 9 * 60,
    mitigatedAfter: 3 * 24 * 60 + 11 * 60,
    resolvedAfter: 5 * 24 * 60,
    timeline: [
      [0, "trigger", "Dependabot bump of taxkit 4.6 → 4.7 auto-merged after CI passed."],
      [3 * 24 * 60 + 9 * 60, "detection", "Finance flagged reverse-charge invoices with VAT lines during the monthly close."],
      [3 * 24 * 60 + 11 * 60, "mitigation", "taxkit pinned to 4.6; invoice run paused."],
      [5 * 24 * 60, "resolution", "1,140 invoices reissued with credit notes."],
    ],
    pullRequests: [
      { url: `${GH}/acme/billing/pull/733`, role: "trigger", tier: "T0", assisted: "no", title: "Bump taxkit from 4.6.2 to 4.7.0", author: "dependabot[bot]", mergedAt: [36, "00:00"] },
    ],
    postmortem: {
      template: "lightweight",
      author: "dana",
      writtenAt: [29, "14:00"],
      state: "in_review",
      edit: {
        by: "marcus",
        at: [28, "10:20"],
        afterReviews: 1,
        replace: [
          "- Dependency bumps that pass CI are auto-merged, including in billing.",
          "- Dependency bumps that pass CI are auto-merged, including in billing. The changelog said it plainly (\"reverse charge now requires vat_id_verified\"); nobody is asked to read it.",
        ],
      },
      reviews: [
        { at: [28, "09:40"], by: "marcus", verdict: "comment", comment: "Under 'Why it got through', the changelog did mention it (\"reverse charge now requires vat_id_verified\"). Worth quoting: it shows the problem is the auto-merge rule, not the library." },
        { at: [27, "16:00"], by: "priya", verdict: "comment", comment: "Could we add how finance found it? The monthly close is our only detection here, which is its own factor." },
      ],
      body: `## What happened

A minor version of our tax library started requiring a verified VAT id before applying reverse charge. Ours are verified in a separate field, so for five days invoices to EU business customers showed VAT they do not owe.

## Impact

1,140 invoices showed 19–21% VAT on reverse-charge customers. The amounts charged were right (payments use a different path); the invoices were wrong and had to be reissued.

## Why it got through

- Dependency bumps that pass CI are auto-merged, including in billing.
- Our invoice tests use French and German consumers; none covers a business customer with reverse charge.

## What changes now

- Route tax and currency library bumps through billing maintainers (tracked below).`,
      factors: [
        {
          text: "Dependency bumps that pass CI are auto-merged, including for the tax library, so a behaviour change described in its changelog reached production without a reader.",
          category: "dependency_risk",
          tier: "T2",
          pullRequests: [`${GH}/acme/billing/pull/733`],
          actions: [
            {
              title: "Exclude tax and currency libraries from auto-merge; route their bumps to billing maintainers",
              kind: "tier_rule",
              owner: "dana",
              dueIn: 9,
            },
          ],
        },
      ],
    },
  },
  {
    title: "Card authorisations declined in eu-west-1 after a load balancer change",
    severity: "SEV2",
    status: "resolved",
    tier: "T3",
    areas: ["infra", "observability"],
    impact: "For 47 minutes, 29% of card authorisations in eu-west-1 were declined with a gateway timeout (about 14,500 payments). Other regions were unaffected.",
    reporter: "priya",
    started: [23, "19:05"],
    detectedAfter: 31,
    mitigatedAfter: 47,
    resolvedAfter: 90,
    timeline: [
      [0, "trigger", "acme/infra#3318 applied: idle timeout on the eu-west-1 payments load balancer lowered from 60 s to 10 s."],
      [31, "detection", "A large merchant's on-call called our support line; the global authorisation success alert was still green (96.8%)."],
      [35, "escalation", "Priya Natarajan incident commander; infra and payments on-call joined."],
      [43, "action", "Per-region dashboard showed eu-west-1 at 71% success; the only change there was #3318."],
      [47, "mitigation", "#3318 reverted by an admin merge, skipping the plan review."],
      [90, "resolution", "Success rate in eu-west-1 back to 99.4% and stable for 40 minutes."],
    ],
    pullRequests: [
      { url: `${GH}/acme/infra/pull/3318`, role: "trigger", tier: "T2", assisted: "unknown", title: "payments-lb: idle timeout 10s", author: "infra-bot", mergedAt: [23, "18:50"] },
      { url: `${GH}/acme/infra/pull/3320`, role: "fix", tier: "T3", assisted: "no", title: "Revert payments-lb idle timeout", author: "pnatarajan", mergedAt: [23, "19:52"] },
    ],
    postmortem: {
      template: "google-sre",
      author: "priya",
      writtenAt: [18, "11:00"],
      state: "in_review",
      reviews: [
        { at: [17, "10:00"], by: "marcus", verdict: "approve", comment: "Approved. The 10 s timeout was shorter than the processor's slowest 3DS step; good that the postmortem says so plainly." },
        { at: [16, "15:30"], by: "dana", verdict: "comment", comment: "Third time an average has hidden a failure (INC-2, INC-7, now this). Before I approve: can we agree in RFC-1 whether per-region alerts are part of the canary or separate?" },
      ],
      body: `## Summary

A load balancer change in eu-west-1 lowered the idle timeout to 10 seconds, shorter than the card processor's slowest step. Authorisations waiting on 3-D Secure were cut off, and 29% of payments in that region were declined for 47 minutes. Our alert watches the global success rate, which stayed at 96.8%.

## Impact

- About 14,500 declined authorisations in eu-west-1; most customers retried, many on another card.
- Other regions were not affected.

## Root causes and trigger

**Trigger:** acme/infra#3318, a routine tuning change generated by the infra bot and approved as T2.

**Root causes:** config changes reach every host of a region at once, with no canary. The alert on authorisation success uses the global rate.

## Detection

31 minutes, from a merchant's phone call. The alert we have could not see a one-region failure of this size.

## Resolution

Reverting #3318 restored service. The revert was merged with an admin override to skip the plan review; it was the right call in the moment, and it is also how a second bad change could land.

## Contributing factors

Tracked below: the admin override that bypassed branch protection, and alerts on a global average.

## Action items

Tracked below. The canary for config pushes is proposed in RFC-1.

## Lessons learned

### What went well

- Once the per-region dashboard was open, the cause was clear in four minutes.

### What went wrong

- We learned about it from a customer, for the third time this half.

### Where we got lucky

- It was evening in Europe, past the peak.

## Timeline

See the incident.

## Supporting information

- Trigger: acme/infra#3318; revert: #3320. Proposal: RFC-1 (canary for config pushes).`,
      factors: [
        {
          text: "The revert was merged with an admin override that skipped branch protection and the plan review; the override needs no second person and leaves no record beyond the merge.",
          category: "gate_bypassed",
          tier: "T3",
          gates: [{ gate: "infra-branch-protection", involvement: "bypassed" }],
          pullRequests: [`${GH}/acme/infra/pull/3320`],
          actions: [
            {
              title: "Admin overrides on acme/infra need a second approver and open an audit ticket",
              kind: "tier_rule",
              owner: "priya",
              dueIn: 20,
              gate: "infra-branch-protection",
            },
          ],
        },
        {
          text: "The authorisation success alert uses the global rate, so one region at 71% left the global figure at 96.8%, above the threshold.",
          category: "observability_gap",
          tier: "T2",
          gates: [{ gate: "config-canary", involvement: "missing" }],
          actions: [
            {
              title: "Per-region authorisation success alerts, paging below 95% for 5 minutes",
              kind: "alert",
              owner: "dana",
              dueIn: -3,
            },
          ],
        },
      ],
    },
  },
  {
    title: "Apple Pay sheet failed to open on iOS 18.2",
    severity: "SEV3",
    status: "resolved",
    tier: "T1",
    areas: [],
    impact: "Apple Pay did not open for customers on iOS 18.2 for about 2 hours (roughly 11% of mobile checkouts); card entry still worked.",
    reporter: "dana",
    started: [9, "15:30"],
    detectedAfter: 25,
    mitigatedAfter: 95,
    resolvedAfter: 120,
    timeline: [
      [0, "trigger", "iOS 18.2 reached most devices; a deprecated merchant-validation call began to throw."],
      [25, "detection", "Alert: Apple Pay session starts down 60% on mobile."],
      [95, "mitigation", "Apple Pay button hidden for iOS 18.2 with a feature flag; customers saw card entry."],
      [120, "resolution", "checkout-web#912 moved merchant validation to the new API."],
    ],
    pullRequests: [
      { url: `${GH}/acme/checkout-web/pull/912`, role: "fix", tier: "T1", assisted: "yes", title: "Use ApplePaySession.onmerchantvalidation v2", author: "dana-demo", mergedAt: [9, "17:20"] },
    ],
    postmortem: {
      template: "lightweight",
      author: "dana",
      writtenAt: [5, "16:40"],
      state: "draft",
      body: `## What happened

iOS 18.2 removed a merchant-validation call that our Apple Pay button still used. For about two hours the Apple Pay sheet did not open on iOS 18.2; card entry kept working.

## Impact

About 11% of mobile checkouts could not use Apple Pay. Conversion on those sessions dropped by a third.

## Why it got through

- Our device matrix follows released iOS versions only; the betas that announced the change were not in it.

## What changes now

Still to be discussed with Priya: whether a beta lane in the device matrix is worth its flakiness.`,
      factors: [
        {
          text: "The device matrix covers released iOS versions only, so a deprecation announced in the 18.2 betas was first exercised in production.",
          category: "missing_test",
          tier: "T1",
          pullRequests: [`${GH}/acme/checkout-web/pull/912`],
          actions: [],
        },
      ],
    },
  },
  {
    title: "Settlement report emails delayed for some merchants",
    severity: "SEV4",
    status: "monitoring",
    tier: "T1",
    areas: ["observability"],
    impact: "Daily settlement report emails arrived 3–5 hours late for about 300 merchants. The reports were available in the dashboard on time.",
    reporter: "priya",
    started: [1, "05:00"],
    detectedAfter: 190,
    mitigatedAfter: 260,
    resolvedAfter: null,
    timeline: [
      [0, "trigger", "Email provider started deferring messages from one of our sending IPs."],
      [190, "detection", "Merchants asked support where this morning's settlement report was."],
      [260, "mitigation", "Traffic moved to the second sending pool; backlog delivered."],
      [300, "note", "Monitoring the deferral rate for 48 hours before closing."],
    ],
    pullRequests: [],
  },
];

// ---------------------------------------------------------------------------------------------
// Check runs GitHub reports: the gate is seen enforced, which verifies the actions done before.

export const CHECK_RUNS: { gate: string; at: When; runId: number }[] = [
  { gate: "retry-idempotency", at: [162, "08:12"], runId: 7_104_220_118 },
  { gate: "migration-lint", at: [125, "11:03"], runId: 7_388_012_554 },
  { gate: "webkit-smoke", at: [139, "09:41"], runId: 7_291_650_037 },
  { gate: "retry-contract", at: [79, "10:27"], runId: 8_020_447_901 },
  { gate: "retry-contract", at: [2, "13:58"], runId: 9_115_301_662 },
];

/** After the contract test replaced it, the old gate is retired (days before the anchor). */
export const RETIRED_GATES: { gate: string; at: When; description: string }[] = [
  {
    gate: "retry-idempotency",
    at: [78, "09:00"],
    description: "Retired: replaced by the Payment retry contract (INC-6), which checks the idempotency key and the pacing of retries.",
  },
];

// ---------------------------------------------------------------------------------------------
// Decision records, in the order they were written.

export type StoryDecision = {
  kind: "adr" | "rfc";
  template: "madr" | "nygard" | "rfc";
  title: string;
  status: "proposed" | "accepted" | "rejected" | "deprecated";
  deciders: string[];
  decidedOn: number | null;
  tags: string[];
  author: Person;
  writtenAt: When;
  supersedes?: string;
  informedBy?: number[];
  implements?: { actions?: number[]; gates?: string[] };
  body: string;
};

export const DECISIONS: StoryDecision[] = [
  {
    kind: "adr",
    template: "nygard",
    title: "Retry failed card captures immediately, up to three times",
    status: "accepted",
    deciders: ["Marcus Okafor", "Dana Demo"],
    decidedOn: 410,
    tags: ["payments", "retries"],
    author: "marcus",
    writtenAt: [410, "15:00"],
    body: `## Context

Card captures fail transiently a few times a day: gateway timeouts, brief processor errors. Each failed capture becomes a support ticket and a manual retry by finance.

## Decision

The retry worker retries a failed capture immediately, up to three times, and gives up after that.

## Consequences

Most transient failures are recovered without anyone noticing. Retries are not spaced out, so a processor outage means four times the traffic for every failed capture.`,
  },
  {
    kind: "adr",
    template: "madr",
    title: "Payment retries carry the original idempotency key",
    status: "accepted",
    deciders: ["Marcus Okafor", "Dana Demo", "Priya Natarajan"],
    decidedOn: 160,
    tags: ["payments", "retries", "idempotency"],
    author: "marcus",
    writtenAt: [160, "11:00"],
    supersedes: "ADR-1",
    informedBy: [1],
    implements: { actions: [1] },
    body: `## Context and Problem Statement

INC-1 showed that a retry which builds a new request also gets a new idempotency key, and the processor then charges twice. How do retries stay safe whatever shape the retry code takes?

## Decision Drivers

- A retry must never create a second charge.
- The rule has to survive refactors of the retry code.

## Considered Options

- Generate the idempotency key when the payment intent is created and store it with the intent.
- Keep generating keys per request, and deduplicate captures afterwards.

## Decision Outcome

Chosen option: the key is generated once per payment intent, stored, and every attempt reuses it. Retries stay immediate, up to three times.

### Consequences

- Good: a retry can be written any way and still cannot double charge.
- Bad: the pacing of retries is unchanged (see ADR-1).

### Confirmation

The retry idempotency test (ACT-1) runs on every pull request to acme/payments-api.

## More Information

Supersedes ADR-1. Informed by INC-1.`,
  },
  {
    kind: "adr",
    template: "madr",
    title: "Online schema migrations only, with a lock timeout",
    status: "accepted",
    deciders: ["Priya Natarajan", "Marcus Okafor"],
    decidedOn: 127,
    tags: ["database", "migrations", "tiers"],
    author: "priya",
    writtenAt: [127, "10:00"],
    informedBy: [3],
    implements: { actions: [5, 6] },
    body: `## Context and Problem Statement

INC-3: a migration rewrote the transactions table under an exclusive lock. Which migrations may run during normal deploys, and how do we know?

## Decision Drivers

- Payment confirmations must never queue behind a migration.
- The rule must be checked by a machine, not remembered.

## Considered Options

- Only online migrations (no table rewrites), each with SET lock_timeout = '2s'; squawk enforces it.
- Run all migrations in a weekly change window.

## Decision Outcome

Chosen option: online migrations only, each with a 2-second lock timeout; squawk fails pull requests that break the rule. Every change under migrations/ is T3.

### Consequences

- Good: a migration that would lock fails fast instead of stalling payments.
- Bad: some changes now take three deploys (add, backfill, constrain).

### Confirmation

squawk runs as a required check in acme/ledger (ACT-6).

## More Information

Informed by INC-3.`,
  },
  {
    kind: "adr",
    template: "nygard",
    title: "Signing keys rotate with a 24-hour overlap",
    status: "accepted",
    deciders: ["Priya Natarajan"],
    decidedOn: 102,
    tags: ["auth", "secrets"],
    author: "priya",
    writtenAt: [102, "09:00"],
    informedBy: [5],
    body: `## Context

INC-5: rotating the session-signing key deleted the old key at once, and every session signed with it failed. sso-bridge caches the key set for an hour.

## Decision

A rotation publishes the new key alongside the old one. Both verify for 24 hours; only the new one signs. The old key is deleted by a separate, scheduled step.

## Consequences

Rolling back a rotation is a config change, not a secret restore. A leaked key stays valid up to 24 hours after rotation; an emergency revocation skips the overlap.`,
  },
  {
    kind: "adr",
    template: "madr",
    title: "Payment retries use capped exponential backoff and honour Retry-After",
    status: "accepted",
    deciders: ["Marcus Okafor", "Dana Demo", "Priya Natarajan"],
    decidedOn: 82,
    tags: ["payments", "retries", "idempotency"],
    author: "marcus",
    writtenAt: [82, "14:30"],
    supersedes: "ADR-2",
    informedBy: [1, 6],
    implements: { actions: [10], gates: ["retry-contract"] },
    body: `## Context and Problem Statement

INC-6: immediate retries of 429 responses tripled our rate at the card processor. ADR-2 made retries safe to repeat, but said nothing about when to repeat them. What is the whole contract of a retry?

## Decision Drivers

- Never double charge (ADR-2 still holds).
- Never let retries crowd out first attempts.
- The contract must be a test, so a refactor cannot drop half of it.

## Considered Options

- Capped exponential backoff with jitter, at most 5 attempts, honouring Retry-After; one contract test for all of it.
- Keep immediate retries and add a token bucket for the retry worker.

## Decision Outcome

Chosen option: backoff from 2 s doubling to 5 minutes with full jitter, at most 5 attempts, and Retry-After always wins. The idempotency key rule of ADR-2 is part of this contract.

### Consequences

- Good: a processor incident no longer turns into our incident.
- Bad: some recoverable payments now take minutes rather than seconds to succeed.

### Confirmation

The Payment retry contract gate (retry-contract) is a required check on acme/payments-api, and has been seen passing on main.

## More Information

Supersedes ADR-2. Informed by INC-1 and INC-6. The token bucket (ACT-11) was declined in favour of this.`,
  },
  {
    kind: "adr",
    template: "nygard",
    title: "Freeze production deploys on Fridays",
    status: "rejected",
    deciders: ["Dana Demo", "Priya Natarajan", "Marcus Okafor"],
    decidedOn: 60,
    tags: ["release", "process"],
    author: "dana",
    writtenAt: [62, "16:00"],
    informedBy: [6],
    body: `## Context

After INC-6 (an evening deploy), we discussed freezing production deploys on Fridays.

## Decision

Rejected. Of our last ten incidents, one started on a Friday. A freeze would push risky changes into larger Monday batches. We put the effort into canaries and sharper gates instead (RFC-1, ADR-5).

## Consequences

Deploys stay continuous. Changes under incident pressure stay T3, with their supervised rollout.`,
  },
  {
    kind: "rfc",
    template: "rfc",
    title: "Canary every config push to one region first",
    status: "proposed",
    deciders: ["Priya Natarajan", "Dana Demo"],
    decidedOn: null,
    tags: ["infra", "release", "observability"],
    author: "priya",
    writtenAt: [15, "10:00"],
    informedBy: [10],
    implements: { gates: ["config-canary"] },
    body: `## Summary

Apply every config change in acme/infra to one region first, compare its authorisation success rate with the others for 15 minutes, and only then apply it everywhere.

## Motivation

INC-10: a one-line load balancer change declined 29% of payments in one region, and our global alert could not see it. Config pushes have no canary today; code deploys do.

## Detailed design

A new CI job, config-canary, applies the plan to the canary region, waits 15 minutes, and fails if that region's success rate is more than 1 point below the others'. The merge to main waits for it.

## Rollout and verification

Start as advisory for two weeks, then make it a required check. The gate counts as enforced once it has been seen passing on main.

## Drawbacks

Every config change takes at least 15 minutes longer. Incident fixes need a documented way to skip it.

## Alternatives

Per-region alerts alone (ACT-17) would shorten detection but not prevent the harm.

## Unresolved questions

- Should per-region alerts be part of this RFC, or separate?
- Which region is the canary: the smallest, or rotating?`,
  },
];

/** Pull requests that implement actions (not linked to an incident): what GitHub reports about them. */
export const IMPLEMENTING_PULL_REQUESTS: Omit<StoryPullRequest, "role" | "tier" | "assisted">[] = [
  { url: `${GH}/acme/payments-api/pull/1193`, title: "Test: a capture retried after a timeout reuses its idempotency key", author: "mokafor", mergedAt: [163, "16:05"] },
  { url: `${GH}/acme/checkout-web/pull/884`, title: "Run the checkout smoke suite in WebKit", author: "pnatarajan", mergedAt: [140, "15:10"] },
  { url: `${GH}/acme/ledger/pull/409`, title: "CI: squawk on migrations, fail on table rewrites", author: "mokafor", mergedAt: [126, "17:30"] },
  { url: `${GH}/acme/merchant-exports/pull/219`, title: "Semgrep: payouts, balances and settlements are filtered by merchant_id", author: "mokafor", mergedAt: [41, "16:10"] },
];
