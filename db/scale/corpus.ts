/**
 * Realistic, reproducible text for a large workspace (`npm run db:seed -- --scale N`): incident
 * titles, multi-paragraph postmortems, factors, actions and decision records drawn from word
 * banks with a seeded random generator. Common words are common, rare words are rare (a Zipf
 * draw over a bank of made-up codenames), so searches behave the way they do on real data.
 * Pure: no database, no Node APIs.
 */
import type { ActionKind, ActionStatus, DocumentJSON, DocumentNodeJSON, FactorCategory, Severity, TierKey } from "../schema";

export type Random = () => number;

/** mulberry32: small, fast, good enough for test data, and the same sequence for the same seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const chance = (random: Random, p: number) => random() < p;
export const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** Index into a bank of `size` with a Zipf-like skew: the first few are common, the tail is rare. */
function zipfIndex(random: Random, size: number): number {
  return Math.min(size - 1, Math.floor(Math.exp(random() * Math.log(size + 1))) - 1);
}

const SERVICES = [
  "checkout-api", "payments-gateway", "ledger-reconciler", "auth-service", "session-store", "search-indexer",
  "notification-worker", "billing-cron", "export-service", "analytics-pipeline", "feature-flag-service", "edge-proxy",
  "kafka-cluster", "postgres-primary", "redis-cache", "object-storage", "ci-runner", "deploy-controller", "dns-resolver",
  "rate-limiter", "webhook-dispatcher", "image-resizer", "pdf-renderer", "fraud-scoring", "invoice-generator",
  "sso-bridge", "admin-console", "mobile-bff", "graphql-gateway", "audit-log-writer", "email-relay", "cdn-origin",
  "secrets-manager", "terraform-pipeline", "cluster-autoscaler", "tax-calculator", "subscription-service", "usage-metering",
];
const SYMPTOMS = [
  "elevated 5xx errors", "a latency spike", "an exhausted connection pool", "a slow memory leak", "a full disk",
  "an expired TLS certificate", "stale cache entries", "duplicate charges", "missing invoices", "login failures",
  "a queue backlog", "replication lag", "DNS resolution failures", "repeated OOM kills", "a thundering herd of retries",
  "a lock contention deadlock", "request timeouts", "dropped webhooks", "wrong tax amounts", "a partial data export",
  "throttled API calls", "a crash loop", "failed health checks", "corrupted search results", "double-sent emails",
];
const TRIGGERS = [
  "a config push", "a schema migration", "a dependency upgrade", "a feature flag flip", "a certificate rotation",
  "an autoscaler change", "a terraform apply", "a Kubernetes node upgrade", "a hotfix made under incident pressure",
  "a model-assisted refactor", "a library bump", "an index rebuild", "a secret rotation", "a CDN purge",
  "a load balancer change", "a cron schedule change", "a retry policy change", "a connection limit change",
  "a permissions change", "a data backfill",
];
const METRICS = ["p99 latency", "error rate", "queue depth", "replication lag", "connection count", "disk usage", "heap usage", "checkout conversion", "login success rate", "webhook delivery rate"];
const TEAMS = ["payments", "platform", "identity", "data", "growth", "infrastructure", "billing", "search", "mobile", "developer experience"];
const SYLLABLES = ["zan", "vor", "quil", "mex", "tor", "bal", "drin", "kos", "fen", "lux", "pra", "shi", "gor", "nim", "vel", "ox", "tra", "zu", "rek", "mol", "bri", "cad", "jun", "wex"];

/** Made-up codenames ("vortrix", "quilmexo"): the rare words of the corpus, a few frequent, most seen once or twice. */
const CODENAMES: string[] = (() => {
  const random = seededRandom(42);
  const names = new Set<string>();
  while (names.size < 3000) names.add(Array.from({ length: between(random, 2, 3) }, () => pick(random, SYLLABLES)).join(""));
  return [...names];
})();

/** The codename at a rank of the bank: low ranks are common in a corpus, high ranks rare (bench/search picks its rare words so). */
export function codenameAt(rank: number): string {
  return CODENAMES[Math.min(CODENAMES.length - 1, Math.max(0, rank))]!;
}

function codename(random: Random): string {
  return CODENAMES[zipfIndex(random, CODENAMES.length)]!;
}

const errorCode = (random: Random) => `${pick(random, ["ERR", "E", "PG", "HTTP"])}_${codename(random).toUpperCase()}_${between(random, 100, 999)}`;
const host = (random: Random) => `${pick(random, ["db", "api", "worker", "cache", "edge"])}-${between(random, 1, 40)}.${pick(random, ["eu-west-1", "us-east-1", "ap-south-1"])}`;

export type Context = { service: string; other: string; symptom: string; trigger: string; metric: string; team: string; code: string; host: string; flag: string };

export function incidentContext(random: Random): Context {
  const service = pick(random, SERVICES);
  let other = pick(random, SERVICES);
  if (other === service) other = pick(random, SERVICES);
  return {
    service,
    other,
    symptom: pick(random, SYMPTOMS),
    trigger: pick(random, TRIGGERS),
    metric: pick(random, METRICS),
    team: pick(random, TEAMS),
    code: errorCode(random),
    host: host(random),
    flag: `${pick(random, ["enable", "use", "rollout"])}_${codename(random)}`,
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function incidentTitle(random: Random, c: Context): string {
  return pick(random, [
    () => `${cap(c.symptom)} in ${c.service} after ${c.trigger}`,
    () => `${c.service}: ${c.symptom}`,
    () => `${cap(c.symptom)} on ${c.host}`,
    () => `${cap(c.trigger)} caused ${c.symptom} in ${c.other}`,
    () => `${c.service} ${c.code} during ${c.trigger}`,
    () => `Project ${cap(codename(random))}: ${c.symptom} in ${c.service}`,
  ])();
}

export function incidentImpact(random: Random, c: Context): string {
  const pct = between(random, 1, 60);
  const minutes = between(random, 4, 240);
  return pick(random, [
    `About ${pct}% of requests to ${c.service} failed for ${minutes} minutes.`,
    `${cap(c.team)} customers saw ${c.symptom} for ${minutes} minutes; ${between(random, 10, 9000)} support tickets.`,
    `${c.metric} breached its SLO for ${minutes} minutes in ${c.host.split(".")[1]}.`,
    `No data loss. ${cap(c.symptom)} affected ${c.other} for ${minutes} minutes.`,
  ]);
}

/** Ways of saying the same thing, so no phrase is in every other document the way a template would put it. */
const say = {
  flag: ["feature flag", "kill switch", "rollout toggle", "flag", "percentage rollout", "config toggle"],
  limit: ["connection limit", "pool size", "max connections setting", "worker count", "concurrency cap"],
  snapshot: ["a production-sized snapshot", "a copy of production data", "realistic data volumes", "last week's backup", "the staging clone"],
  paged: ["was paged by", "got paged from", "was woken by", "noticed", "was alerted by"],
  rollback: ["Rolling back", "Reverting", "Undoing", "Backing out"],
  recovered: ["recovered", "stabilised", "came back", "returned to normal"],
  lucky: ["We got lucky that", "Fortunately", "Luckily", "By chance"],
  status: ["the status page", "the customer status page", "our public status site", "the incident channel"],
};

function sentence(random: Random, c: Context): string {
  const s = (key: keyof typeof say) => pick(random, say[key]);
  return pick(random, [
    () => `At ${between(random, 0, 23)}:${String(between(random, 0, 59)).padStart(2, "0")} UTC ${c.trigger} reached ${c.service} and ${c.symptom} followed within minutes.`,
    () => `The on-call engineer for ${c.team} ${s("paged")} the ${c.metric} alert and began investigating ${c.host}.`,
    () => `Logs showed ${c.code} on every replica of ${c.service}, which pointed at ${c.other} rather than the deploy itself.`,
    () => `${s("rollback")} ${c.trigger} took ${between(random, 3, 90)} minutes because the previous artifact had been garbage collected.`,
    () => `The ${s("flag")} ${c.flag} was turned off, which reduced the error rate but did not clear the backlog in ${c.other}.`,
    () => `Retries from ${c.other} amplified the load, and the rate limiter in front of ${c.service} started shedding healthy traffic.`,
    () => `Nobody had run the migration against ${s("snapshot")}, so the lock it took on the ${pick(random, ["largest", "busiest", "oldest", "widest"])} table was a surprise.`,
    () => `The runbook for ${c.service} described a failover procedure that no longer matched the current cluster layout.`,
    () => `Dashboards for ${c.metric} were green because they averaged over all regions and hid the failing one.`,
    () => `Support escalated reports of ${c.symptom} before any alert fired, so time to detect was longer than it should have been.`,
    () => `The change was reviewed by one engineer outside the ${c.team} maintainers and merged on a Friday evening.`,
    () => `A canary would have caught it: the first ${between(random, 1, 10)}% of traffic showed the same ${c.code} errors.`,
    () => `${s("lucky")} ${c.other} had spare capacity; otherwise the outage would have spread to ${pick(random, SERVICES)}.`,
    () => `Codename ${codename(random)} refers to the ${c.service} rewrite that was half rolled out at the time.`,
    () => `Communication went out on ${s("status")} ${between(random, 5, 60)} minutes after detection, and customers were updated every ${pick(random, ["half hour", "hour", "fifteen minutes"])}.`,
    () => `The integration tests passed because they stub ${c.other}, so the contract change was never exercised before production.`,
    () => `Observability was the gap: ${c.service} emitted no metric for ${c.metric}, and traces were sampled at one percent.`,
    () => `Once ${c.flag} was disabled and the ${s("limit")} raised, ${c.service} ${s("recovered")} and the queue drained in ${between(random, 2, 40)} minutes.`,
    () => `The assisted refactor renamed a configuration key that ${c.other} still read, and nothing in CI compared the two.`,
    () => `Secrets for ${c.service} were rotated without restarting the pods that cached them, so half the fleet kept the old value.`,
  ])();
}

function paragraph(random: Random, c: Context, sentences: number): string {
  return Array.from({ length: sentences }, () => sentence(random, c)).join(" ");
}

const SECTIONS = ["Summary", "Impact", "Timeline", "Root causes", "Contributing factors", "What went well", "What went wrong", "Where we got lucky", "Lessons learned"];

const text = (value: string): DocumentNodeJSON => ({ type: "text", text: value });
const heading = (value: string): DocumentNodeJSON => ({ type: "heading", attrs: { level: 2 }, content: [text(value)] });
const para = (value: string): DocumentNodeJSON => ({ type: "paragraph", content: [text(value)] });

/** A postmortem body as the editor stores it, and its plain text (as documentText would give it). */
export function postmortemBody(random: Random, c: Context, impact: string): { doc: DocumentJSON; text: string } {
  const blocks: DocumentNodeJSON[] = [];
  const lines: string[] = [];
  const sections = SECTIONS.filter((_, i) => i < 3 || chance(random, 0.7));
  for (const section of sections) {
    blocks.push(heading(section));
    lines.push(section);
    const body = section === "Impact" ? `${impact} ${paragraph(random, c, between(random, 1, 2))}` : paragraph(random, c, between(random, 2, 5));
    blocks.push(para(body));
    lines.push(body);
    if (chance(random, 0.3)) {
      const more = paragraph(random, c, between(random, 1, 3));
      blocks.push(para(more));
      lines.push(more);
    }
  }
  return { doc: { type: "doc", content: blocks }, text: lines.join("\n") };
}

const CATEGORIES: FactorCategory[] = [
  "review_gap", "missing_test", "missing_gate", "gate_bypassed", "tier_misclassified", "dependency_risk",
  "assisted_change_unverified", "observability_gap", "rollback_gap", "runbook_gap", "other",
];

export function factor(random: Random, c: Context): { text: string; category: FactorCategory } {
  const category = pick(random, CATEGORIES);
  const texts: Record<FactorCategory, string[]> = {
    review_gap: [`The change to ${c.service} was approved without a reviewer from the ${c.team} maintainers.`, `Review focused on style; nobody asked how ${c.trigger} would behave under load.`],
    missing_test: [`No test covered ${c.service} when ${c.other} returns ${c.code}.`, `The migration had no dry run against ${pick(random, say.snapshot)}.`],
    missing_gate: [`No CI check compares configuration keys between ${c.service} and ${c.other}.`, `Nothing blocks a deploy while the ${c.metric} alert is firing.`],
    gate_bypassed: [`The required check was skipped with an admin merge during ${c.trigger}.`, `Branch protection on ${c.service} was disabled for the hotfix and never re-enabled.`],
    tier_misclassified: [`${cap(c.trigger)} was filed as T1 although it touched ${c.service}, a T3 surface.`, `The tier rule did not treat ${c.flag} as a permissions change.`],
    dependency_risk: [`${c.other} was upgraded without reading its changelog, which removed a default.`, `A transitive dependency of ${c.service} changed its retry behaviour.`],
    assisted_change_unverified: [`A model-assisted refactor of ${c.service} was merged without running it against ${c.other}.`, `Generated code for ${c.flag} was not checked against the contract tests.`],
    observability_gap: [`${c.service} exposes no metric for ${c.metric}, so the failure was silent.`, `Alerts on ${c.host} averaged across regions and stayed green.`],
    rollback_gap: [`Rolling back ${c.trigger} required a manual database change.`, `The previous artifact for ${c.service} was gone, so rollback meant a rebuild.`],
    runbook_gap: [`The runbook for ${c.service} failover was out of date.`, `No runbook existed for ${c.symptom} in ${c.other}.`],
    other: [`Codename ${codename(random)} work overlapped with ${c.trigger}.`, `Two teams changed ${c.service} in the same window without knowing.`],
  };
  return { category, text: pick(random, texts[category]) };
}

const KINDS: ActionKind[] = ["new_gate", "sharpen_gate", "better_test", "narrower_permission", "tier_rule", "alert", "runbook", "other"];

export function action(random: Random, c: Context): { title: string; kind: ActionKind } {
  const kind = pick(random, KINDS);
  const titles: Record<ActionKind, string[]> = {
    new_gate: [`Add a CI check that diffs ${c.service} config keys against ${c.other}`, `Block deploys of ${c.service} while ${c.metric} alerts fire`],
    sharpen_gate: [`Make the ${c.service} contract test fail on ${c.code}`, `Run the migration linter on every schema change, not only T3`],
    better_test: [`Test ${c.service} against ${pick(random, say.snapshot)}`, `Add an integration test for ${c.symptom} in ${c.other}`],
    narrower_permission: [`Remove admin merge rights on ${c.service}`, `Scope the ${c.team} deploy token to its own namespace`],
    tier_rule: [`Classify changes to ${c.flag} as T2`, `Treat ${c.trigger} on ${c.service} as T3`],
    alert: [`Alert on ${c.metric} per region for ${c.service}`, `Page ${c.team} on ${c.code} above one per minute`],
    runbook: [`Write the ${c.service} failover runbook`, `Document how to roll back ${c.trigger}`],
    other: [`Schedule a game day for ${c.symptom}`, `Retire codename ${codename(random)} feature flags`],
  };
  return { kind, title: pick(random, titles[kind]) };
}

const TECH = ["Kafka", "Postgres logical replication", "Redis streams", "gRPC", "OpenTelemetry", "Argo CD", "Terraform modules", "feature flags", "canary releases", "idempotency keys", "outbox pattern", "SLO-based alerting", "CODEOWNERS", "merge queues", "signed commits"];
const PURPOSES = ["payment events", "audit logging", "search indexing", "config rollout", "tenant isolation", "billing exports", "session storage", "schema migrations", "incident communication", "rate limiting"];
const TAGS = ["security", "reliability", "payments", "infra", "data", "observability", "process", "performance", "compliance", "developer-experience"];

export function decision(random: Random): { title: string; text: string; doc: DocumentJSON; tags: string[]; deciders: string[] } {
  const c = incidentContext(random);
  const tech = pick(random, TECH);
  const purpose = pick(random, PURPOSES);
  const title = pick(random, [`Use ${tech} for ${purpose}`, `Require ${tech} for T2 and T3 changes to ${c.service}`, `Adopt ${tech} in ${c.service}`, `Replace ${c.other} polling with ${tech}`]);
  const sections: Array<[string, string]> = [
    ["Context", `${paragraph(random, c, between(random, 2, 4))} Today ${purpose} rely on ${c.other}, which has caused ${c.symptom} more than once.`],
    ["Decision", `We will use ${tech} for ${purpose}. ${paragraph(random, c, between(random, 1, 2))}`],
    ["Consequences", `${cap(c.team)} owns the migration. ${paragraph(random, c, between(random, 1, 3))}`],
  ];
  const blocks: DocumentNodeJSON[] = [];
  const lines: string[] = [];
  for (const [h, p] of sections) {
    blocks.push(heading(h), para(p));
    lines.push(h, p);
  }
  const tags = [...new Set(Array.from({ length: between(random, 1, 3) }, () => pick(random, TAGS)))];
  const deciders = Array.from({ length: between(random, 1, 3) }, () => `${cap(pick(random, TEAMS))} lead`);
  return { title, text: lines.join("\n"), doc: { type: "doc", content: blocks }, tags, deciders: [...new Set(deciders)] };
}

export const SEVERITY_WEIGHTS: Array<[Severity, number]> = [["SEV1", 0.08], ["SEV2", 0.22], ["SEV3", 0.45], ["SEV4", 0.25]];
export const TIER_WEIGHTS: Array<[TierKey, number]> = [["T0", 0.1], ["T1", 0.4], ["T2", 0.3], ["T3", 0.2]];
export const ACTION_STATUS_WEIGHTS: Array<[ActionStatus, number]> = [["open", 0.3], ["in_progress", 0.2], ["done", 0.15], ["verified", 0.3], ["wont_do", 0.05]];

export function weighted<T>(random: Random, weights: Array<[T, number]>): T {
  let r = random();
  for (const [value, weight] of weights) {
    r -= weight;
    if (r <= 0) return value;
  }
  return weights[weights.length - 1]![0];
}
