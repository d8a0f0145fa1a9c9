/** Check runs, retired gates, decision records and implementing pull requests of the demo story (see story-model.ts). */
import { GH, type StoryPullRequest, type When, type Person } from "./story-model";

// ---------------------------------------------------------------------------------------------
// Branch protection on main, as GitHub reports it: a gate is enforced once its check is required
// here AND seen passing on main (ADR 0023). One rule per repository; an edit adds a check.

export const BRANCH_PROTECTIONS: { repository: string; ruleId: number; checks: string[]; at: When; edited?: boolean }[] = [
  { repository: "acme/payments-api", ruleId: 31_004_101, checks: ["retry-idempotency"], at: [170, "09:00"] },
  { repository: "acme/checkout-web", ruleId: 31_004_102, checks: ["e2e-webkit"], at: [141, "09:00"] },
  { repository: "acme/ledger", ruleId: 31_004_103, checks: ["squawk"], at: [127, "09:00"] },
  { repository: "acme/payments-api", ruleId: 31_004_101, checks: ["retry-idempotency", "retry-contract"], at: [80, "09:00"], edited: true },
  // Required before its first run: the tenant-scope gate waits to be seen passing.
  { repository: "acme/merchant-exports", ruleId: 31_004_104, checks: ["semgrep-tenant-scope"], at: [40, "09:00"] },
];

// Check runs GitHub reports: a required gate seen passing is enforced, which verifies the actions done before.

export const CHECK_RUNS: { gate: string; at: When; runId: number }[] = [
  { gate: "retry-idempotency", at: [162, "08:12"], runId: 7_104_220_118 },
  { gate: "retry-idempotency", at: [85, "08:05"], runId: 7_960_331_407 },
  { gate: "migration-lint", at: [125, "11:03"], runId: 7_388_012_554 },
  { gate: "webkit-smoke", at: [139, "09:41"], runId: 7_291_650_037 },
  { gate: "retry-contract", at: [79, "10:27"], runId: 8_020_447_901 },
  { gate: "retry-contract", at: [2, "13:58"], runId: 9_115_301_662 },
  // Recent runs: a required check not seen passing for 14 days would make its gate stale.
  { gate: "migration-lint", at: [3, "16:40"], runId: 9_098_114_230 },
  { gate: "webkit-smoke", at: [1, "09:12"], runId: 9_130_775_019 },
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
