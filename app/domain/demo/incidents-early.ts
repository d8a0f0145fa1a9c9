/** Incidents of the demo story (see story-model.ts): early part of the six months. */
import { GH, RETRY_IDEMPOTENCY, PAYMENTS_CODEOWNERS, WEBKIT_SMOKE, MIGRATION_LINT, type StoryIncident } from "./story-model";

export const EARLY_INCIDENTS: StoryIncident[] = [
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
];
