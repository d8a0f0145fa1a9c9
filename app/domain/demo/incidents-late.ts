/** Incidents of the demo story (see story-model.ts): late part of the six months. */
import { GH, type StoryIncident } from "./story-model";

export const LATE_INCIDENTS: StoryIncident[] = [
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
