/**
 * Tracker deliveries for the sync tests: GitHub's `issues` examples from @octokit/webhooks-examples
 * (and the `closed` one built from GitHub's schema), Jira's and Linear's documented examples from
 * test/fixtures/trackers, each pointed at one issue and time, signed the way each vendor signs.
 */
import { readFileSync } from "node:fs";
import type { Db } from "#db/connection";
import { runTrackerOp } from "~/domain/trackers/index.server";
import { githubExample, hmac, post } from "./integrations";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../fixtures/trackers/${name}`, import.meta.url), "utf8"));

let deliveries = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(deliveries += 1)}`;

/** GitHub `issues` with `action`, for issue `number` of `repository`, at `at`. */
export function githubIssues(action: "closed" | "reopened" | "assigned" | "unassigned" | "opened", repository: string, number: number, at: string, options: { sender?: string; assigneeEmail?: string } = {}) {
  const payload = action === "closed" ? fixture("github-issues-closed.json") : githubExample("issues", (p) => p.action === action);
  const [owner, name] = repository.split("/");
  payload.repository.full_name = repository;
  payload.repository.name = name;
  payload.repository.owner.login = owner;
  payload.issue.number = number;
  payload.issue.updated_at = at;
  if (action === "closed") payload.issue.closed_at = at;
  if (options.sender) payload.sender.login = options.sender;
  if (options.assigneeEmail && payload.issue.assignee) payload.issue.assignee.email = options.assigneeEmail;
  return payload;
}

/** Jira's documented `jira:issue_updated` example (In Progress → Done), for `key` at `at`, to the given status category. */
export function jiraUpdated(key: string, id: string, at: string, category: "done" | "indeterminate" | "new" = "done", options: { assigneeEmail?: string; actor?: string; fields?: string[] } = {}) {
  const payload = fixture("jira-issue-updated.json");
  payload.timestamp = new Date(at).getTime();
  payload.issue.key = key;
  payload.issue.id = id;
  payload.issue.fields.updated = at;
  payload.issue.fields.status.statusCategory.key = category;
  if (options.assigneeEmail) payload.issue.fields.assignee.emailAddress = options.assigneeEmail;
  if (options.actor) payload.user.accountId = options.actor;
  if (options.fields) payload.changelog.items = options.fields.map((field) => ({ field, fieldtype: "jira", fieldId: field, from: null, fromString: null, to: null, toString: null }));
  return payload;
}

/** Linear's documented `Issue` update example, for `identifier` at `at`, to a state of `type`. */
export function linearUpdate(identifier: string, id: string, at: string, type: "completed" | "started" | "unstarted" | "canceled" = "completed") {
  const payload = fixture("linear-issue-update.json");
  payload.data.identifier = identifier;
  payload.data.id = id;
  payload.data.updatedAt = at;
  payload.data.state.type = type;
  payload.webhookTimestamp = Date.now();
  return payload;
}

export type Vendor = "github" | "jira" | "linear";

/** A delivery request as each vendor sends it: its event and delivery headers, and its signature. */
export function trackerRequest(slug: string, connectionId: string, vendor: Vendor, payload: unknown, secret: string, options: { id?: string; signature?: string; event?: string } = {}) {
  const body = JSON.stringify(payload);
  const id = options.id ?? nextId(vendor);
  const signature = options.signature ?? hmac(secret, body);
  const headers: Record<string, string> =
    vendor === "github"
      ? { "x-github-event": options.event ?? "issues", "x-github-delivery": id, "x-hub-signature-256": `sha256=${signature}` }
      : vendor === "jira"
        ? { "x-atlassian-webhook-identifier": id, "x-hub-signature": `sha256=${signature}` }
        : { "linear-delivery": id, "linear-event": "Issue", "linear-signature": signature };
  return post(`/webhooks/trackers/${slug}/${connectionId}`, body, headers);
}

/** Runs every pending outbound call, as the job queue would, until none is left (retries included). */
export async function drainOps(db: Db, rounds = 8): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    const pending = await db.selectFrom("tracker_ops").select("id").where("status", "=", "pending").orderBy("created_at").execute();
    if (!pending.length) return;
    for (const op of pending) await runTrackerOp(db, op.id).catch(() => undefined);
  }
}
