/** Incidents of the demo story (see story-model.ts): middle part of the six months. */
import { GH, RETRY_CONTRACT, TENANT_SCOPE, type StoryIncident } from "./story-model";

export const MIDDLE_INCIDENTS: StoryIncident[] = [
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
];
