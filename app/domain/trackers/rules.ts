/**
 * Tracker sync's vocabulary and rules (docs/decisions/0028), shared by pages and the server.
 * Pure: no database, no secrets, no network.
 *
 * The one rule the rest follows: done in the tracker is not verified. A closed issue moves its
 * action to done; only an enforced gate or a person's evidence verifies it.
 */
import type { ActionStatus, Severity, TierKey, TrackerMapping, TrackerRemoteState, TrackerVendor } from "#db/schema";

export * from "./policy";

export const TRACKER_VENDORS: Record<TrackerVendor, string> = {
  github: "GitHub Issues",
  jira: "Jira Cloud",
  linear: "Linear",
};

/** What a connection's target is called, per vendor. */
export const TARGET_LABELS: Record<TrackerVendor, string> = {
  github: "Repository (owner/name)",
  jira: "Project key",
  linear: "Team key",
};

export const DEFAULT_API_URLS: Record<TrackerVendor, string> = {
  github: "https://api.github.com",
  jira: "",
  linear: "https://api.linear.app/graphql",
};

/** The address the webhook is sent to, per connection. */
export function trackerWebhookPath(slug: string, connectionId: string): string {
  return `/webhooks/trackers/${slug}/${connectionId}`;
}

// ---------------------------------------------------------------------------------------------
// Mapping: tier and severity → labels and priority

export const DEFAULT_LABELS: Record<TrackerVendor, string[]> = {
  github: ["guardrail", "tier:{tier}", "severity:{severity}"],
  jira: ["guardrail", "tier-{tier}"],
  linear: [],
};

/** Jira's default priority names and Linear's priority numbers (1 urgent, 2 high, 3 normal, 4 low). */
export const DEFAULT_PRIORITIES: Record<TrackerVendor, Partial<Record<Severity, string>>> = {
  github: {},
  jira: { SEV1: "Highest", SEV2: "High", SEV3: "Medium", SEV4: "Low" },
  linear: { SEV1: "1", SEV2: "2", SEV3: "3", SEV4: "4" },
};

export type IssueFacts = { tier: TierKey; severity: Severity };

export function labelsFor(vendor: TrackerVendor, mapping: TrackerMapping, facts: IssueFacts): string[] {
  const templates = mapping.labels ?? DEFAULT_LABELS[vendor];
  const labels = templates.map((t) => t.replaceAll("{tier}", facts.tier).replaceAll("{severity}", facts.severity).trim()).filter(Boolean);
  // Jira labels may not contain spaces.
  return [...new Set(vendor === "jira" ? labels.map((l) => l.replace(/\s+/g, "-")) : labels)];
}

/** The priority for an issue: the severity's, raised one step at tier T3 (a systemic change). */
export function priorityFor(vendor: TrackerVendor, mapping: TrackerMapping, facts: IssueFacts): string | null {
  const table = { ...DEFAULT_PRIORITIES[vendor], ...(mapping.priorities ?? {}) };
  const order: Severity[] = ["SEV1", "SEV2", "SEV3", "SEV4"];
  const index = order.indexOf(facts.severity);
  const raised = facts.tier === "T3" && index > 0 ? order[index - 1]! : facts.severity;
  return table[raised] ?? null;
}

// ---------------------------------------------------------------------------------------------
// The issue Hindsight opens

export type IssueSource = {
  reference: string;
  title: string;
  factorText: string;
  factorCategory: string;
  incidentReference: string;
  incidentTitle: string;
  gateName: string | null;
  gateCheck: string | null;
  actionUrl: string;
  ownerName: string | null;
};

export function issueTitle(source: IssueSource): string {
  return `${source.reference}: ${source.title}`.slice(0, 250);
}

/** The body, in Markdown (GitHub, Linear) — Jira gets the same lines as its document format. */
export function issueBodyLines(source: IssueSource, assigneeNote: string | null): string[] {
  return [
    `Guardrail action ${source.reference} from the postmortem of ${source.incidentReference} “${source.incidentTitle}”.`,
    "",
    `Contributing factor (${source.factorCategory}): ${source.factorText}`,
    source.gateName ? `Gate: ${source.gateName}${source.gateCheck ? ` (check “${source.gateCheck}”)` : ""}` : "Gate: none named yet.",
    "",
    `Closing this issue marks the action done in Hindsight. It is verified only when its gate is enforced (required and seen passing) or someone records evidence.`,
    ...(assigneeNote ? ["", assigneeNote] : []),
    "",
    `In Hindsight: ${source.actionUrl}`,
  ];
}

export function verifiedComment(reference: string, evidence: string | null): string {
  return `Hindsight: ${reference} is verified${evidence ? ` — ${evidence}` : ""}.`;
}

export function regressedComment(reference: string, reason: string): string {
  return `Hindsight: ${reference} is back in progress. ${reason}`;
}

// ---------------------------------------------------------------------------------------------
// Linking an existing issue by its URL

export type ParsedIssueUrl =
  | { ok: true; vendor: "github"; repository: string; number: string; key: string; url: string }
  | { ok: true; vendor: "jira"; site: string; key: string; url: string }
  | { ok: true; vendor: "linear"; key: string; url: string }
  | { ok: false; error: string };

/** https://github.com/o/r/issues/12 · https://acme.atlassian.net/browse/PLAT-123 · https://linear.app/acme/issue/ENG-42/slug */
export function parseIssueUrl(input: string): ParsedIssueUrl {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, error: "Paste the issue's full address, like https://acme.atlassian.net/browse/PLAT-123." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, error: "Only web addresses can be linked." };
  const github = /^\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})\/issues\/(\d{1,9})\/?$/.exec(url.pathname);
  if (github && (url.hostname === "github.com" || url.hostname === "www.github.com")) {
    const repository = `${github[1]}/${github[2]}`.toLowerCase();
    return { ok: true, vendor: "github", repository, number: github[3]!, key: `${repository}#${github[3]}`, url: `https://github.com/${repository}/issues/${github[3]}` };
  }
  const linear = /^\/[^/]+\/issue\/([A-Z][A-Z0-9]{0,9}-\d{1,9})(?:\/[^/]*)?\/?$/.exec(url.pathname);
  if (linear && url.hostname === "linear.app") return { ok: true, vendor: "linear", key: linear[1]!, url: `https://linear.app${url.pathname}` };
  // A Jira site may sit below a path (a server behind a proxy): the site is everything before /browse/.
  const jira = /^((?:\/[^/]+)*)\/browse\/([A-Z][A-Z0-9_]{0,9}-\d{1,9})\/?$/.exec(url.pathname);
  if (jira) {
    const site = `${url.origin}${jira[1]}`;
    return { ok: true, vendor: "jira", site, key: jira[2]!, url: `${site}/browse/${jira[2]}` };
  }
  return { ok: false, error: "That is not an issue address: expected …/issues/<number> (GitHub), …/browse/KEY-1 (Jira) or linear.app/…/issue/KEY-1." };
}

// ---------------------------------------------------------------------------------------------
// Two-way state: what a tracker's fact does to an action

/** Jira's status category keys: "new" (To Do), "indeterminate" (In Progress), "done". */
/** What a tracker says of an issue: open, or closed (done, completed, canceled). */
export type IssueState = Exclude<TrackerRemoteState, "pending">;

export function jiraState(statusCategoryKey: string): IssueState {
  return statusCategoryKey === "done" ? "closed" : "open";
}

/** Linear's workflow state types: triage, backlog, unstarted, started, completed, canceled. */
export function linearState(stateType: string): IssueState {
  return stateType === "completed" || stateType === "canceled" ? "closed" : "open";
}

export type StateEffect = { to: ActionStatus } | { to: null; why: string };

/**
 * Closed or done in the tracker → done, never verified; reopened → in progress. Verified and
 * won't do are the team's own conclusions and stay: a tracker can't unverify an action (only the
 * gate's regression or a person does), nor revive one the team dropped.
 */
export function stateEffect(current: ActionStatus, remote: IssueState): StateEffect {
  if (remote === "closed") {
    if (current === "open" || current === "in_progress") return { to: "done" };
    if (current === "done") return { to: null, why: "already done" };
    return { to: null, why: current === "verified" ? "already verified" : "won't do stays" };
  }
  // Reopened (or moved to a working state): in progress, from open as from done, so the end
  // state is the same when the close that came before it arrives late or never.
  if (current === "done" || current === "open") return { to: "in_progress" };
  if (current === "verified") return { to: null, why: "verified stays verified: only its gate's regression or a person reopens it" };
  if (current === "wont_do") return { to: null, why: "won't do stays" };
  return { to: null, why: "already in progress" };
}

/** A fact applies only when it happened after the one last applied (ties: the later-sorting delivery). */
export function isNewer(eventAt: Date, appliedAt: Date | null): boolean {
  return appliedAt === null || eventAt.getTime() > appliedAt.getTime();
}

export function trackerError(vendor: TrackerVendor, status: number | null, message: string): string {
  const name = TRACKER_VENDORS[vendor].replace(" Cloud", "").replace(" Issues", "");
  if (status === null) return `${name} could not be reached: ${message}`;
  const hint =
    status === 401
      ? "the token was refused"
      : status === 403
        ? "the token lacks permission for this"
        : status === 404
          ? "not found, or the token can't see it"
          : status === 410
            ? "the issue is gone"
            : status === 422 || status === 400
              ? "the request was refused"
              : status === 429
                ? "rate limited; it will be retried"
                : status >= 500
                  ? "the service failed; it will be retried"
                  : "unexpected answer";
  return `${name} answered ${status}: ${hint}${message ? ` (${message.slice(0, 200)})` : ""}.`;
}
