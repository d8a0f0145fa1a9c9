import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "#db/connection";
import type { DeliveryOutcome } from "#db/schema";
import { LinearWebhookClient } from "@linear/sdk/webhooks";
import { actionReference, applyOutsideChange } from "~/domain/guardrails/index.server";
import { secretKeyring, verifyGithubSignature, type Keyring } from "~/domain/integrations/index.server";
import type { RemoteIssue } from "./client";
import { webhookKeyOf } from "./connections.server";
import { stateEffect, isNewer, jiraState, linearState, type IssueState } from "./rules";

/**
 * Inbound sync: a tracker's webhook, verified by the route, becomes facts about one issue — its
 * state changed (closed, reopened), its assignee — each with the time it happened at the tracker.
 * A fact applies only if it is newer than the last one applied to the link, so redeliveries and
 * out-of-order deliveries end in the same state; facts caused by Hindsight's own calls (the
 * token's user, or the state Hindsight just pushed) change nothing. Each delivery counts once.
 */

export type IssueFact = {
  /** How the link knows the issue: "acme/api#12", "PLAT-123", "ENG-42". */
  key: string;
  /** The tracker's own id (GitHub: number; Jira: numeric id; Linear: uuid). */
  id: string;
  at: Date;
  /** A change of state this event reports, or null when it reports none. */
  transition: IssueState | null;
  /** The issue's assignee as of the event: undefined when the event is not about it. */
  assignee?: { email: string | null; name: string } | null;
  /** Who made the change at the tracker (login, accountId, user id). */
  actor: string | null;
  event: string;
  /**
   * The issue as Hindsight read it from the tracker (`at`: its last update), not an event: its
   * state counts as a change only where it differs from the state the link knew, and its
   * assignee only where it differs from the link's, so reading an issue never replays what the
   * link already followed (a person's later change in Hindsight stands).
   */
  snapshot?: boolean;
};

export type Parsed = { kind: "fact"; fact: IssueFact } | { kind: "ignored"; why: string } | { kind: "malformed"; why: string };

// ---------------------------------------------------------------------------------------------
// GitHub: the `issues` event (closed, reopened, assigned, unassigned)

const GithubUser = z.object({ login: z.string(), email: z.string().nullish() }).passthrough();
const GithubIssues = z.object({
  action: z.string(),
  issue: z.object({ number: z.number(), state: z.string().optional(), updated_at: z.string(), closed_at: z.string().nullish(), assignee: GithubUser.nullish() }).passthrough(),
  repository: z.object({ full_name: z.string() }).passthrough(),
  sender: GithubUser.nullish(),
});

export function parseGithubIssues(event: string, payload: unknown): Parsed {
  if (event === "ping") return { kind: "ignored", why: "ping" };
  if (event !== "issues") return { kind: "ignored", why: `${event} events are not followed here` };
  const parsed = GithubIssues.safeParse(payload);
  if (!parsed.success) return { kind: "malformed", why: "not an issues event payload" };
  const { action, issue, repository, sender } = parsed.data;
  const base = { key: `${repository.full_name.toLowerCase()}#${issue.number}`, id: String(issue.number), actor: sender?.login ?? null, event: `issues.${action}` };
  const at = new Date(action === "closed" && issue.closed_at ? issue.closed_at : issue.updated_at);
  if (action === "closed") return { kind: "fact", fact: { ...base, at, transition: "closed" } };
  if (action === "reopened") return { kind: "fact", fact: { ...base, at, transition: "open" } };
  if (action === "assigned" || action === "unassigned") {
    const who = issue.assignee;
    return { kind: "fact", fact: { ...base, at, transition: null, assignee: who ? { email: who.email ?? null, name: who.login } : null } };
  }
  return { kind: "ignored", why: `issues.${action} changes nothing in Hindsight` };
}

// ---------------------------------------------------------------------------------------------
// Jira Cloud: `jira:issue_updated`, judged by the status category

const JiraUser = z.object({ accountId: z.string().optional(), emailAddress: z.string().nullish(), displayName: z.string().optional() }).passthrough();
const JiraUpdated = z.object({
  timestamp: z.number(),
  webhookEvent: z.string(),
  user: JiraUser.nullish(),
  issue: z
    .object({
      id: z.string(),
      key: z.string(),
      fields: z.object({ status: z.object({ statusCategory: z.object({ key: z.string() }).passthrough() }).passthrough(), assignee: JiraUser.nullish() }).passthrough(),
    })
    .passthrough(),
  changelog: z.object({ items: z.array(z.object({ field: z.string() }).passthrough()) }).passthrough().nullish(),
});

export function parseJira(payload: unknown): Parsed {
  const event = z.object({ webhookEvent: z.string() }).safeParse(payload);
  if (!event.success) return { kind: "malformed", why: "not a Jira webhook payload (no webhookEvent)" };
  if (event.data.webhookEvent !== "jira:issue_updated") return { kind: "ignored", why: `${event.data.webhookEvent} changes nothing in Hindsight` };
  const parsed = JiraUpdated.safeParse(payload);
  if (!parsed.success) return { kind: "malformed", why: "not a jira:issue_updated payload" };
  const { issue, changelog, user, timestamp } = parsed.data;
  const fields = new Set((changelog?.items ?? []).map((i) => i.field.toLowerCase()));
  const assignee = issue.fields.assignee;
  return {
    kind: "fact",
    fact: {
      key: issue.key,
      id: issue.id,
      at: new Date(timestamp),
      transition: fields.has("status") || fields.has("resolution") ? jiraState(issue.fields.status.statusCategory.key) : null,
      ...(fields.has("assignee") ? { assignee: assignee ? { email: assignee.emailAddress ?? null, name: assignee.displayName ?? assignee.accountId ?? "?" } : null } : {}),
      actor: user?.accountId ?? null,
      event: "jira:issue_updated",
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Linear: the `Issue` webhook, judged by the workflow state's type

const LinearIssue = z.object({
  action: z.string(),
  type: z.string(),
  actor: z.object({ id: z.string() }).passthrough().nullish(),
  data: z
    .object({
      id: z.string(),
      identifier: z.string(),
      updatedAt: z.string(),
      state: z.object({ type: z.string() }).passthrough().nullish(),
      assignee: z.object({ name: z.string().optional(), email: z.string().nullish() }).passthrough().nullish(),
    })
    .passthrough(),
  updatedFrom: z.record(z.string(), z.unknown()).nullish(),
});

export function parseLinear(payload: unknown): Parsed {
  const head = z.object({ type: z.string(), action: z.string() }).safeParse(payload);
  if (!head.success) return { kind: "malformed", why: "not a Linear webhook payload" };
  if (head.data.type !== "Issue") return { kind: "ignored", why: `${head.data.type} events change nothing in Hindsight` };
  if (head.data.action !== "update") return { kind: "ignored", why: `Issue ${head.data.action} changes nothing in Hindsight` };
  const parsed = LinearIssue.safeParse(payload);
  if (!parsed.success) return { kind: "malformed", why: "not a Linear Issue payload" };
  const { data, updatedFrom, actor } = parsed.data;
  const from = updatedFrom ?? {};
  const assignee = data.assignee;
  return {
    kind: "fact",
    fact: {
      key: data.identifier,
      id: data.id,
      at: new Date(data.updatedAt),
      transition: "stateId" in from && data.state ? linearState(data.state.type) : null,
      ...("assigneeId" in from ? { assignee: assignee ? { email: assignee.email ?? null, name: assignee.name ?? "?" } : null } : {}),
      actor: actor?.id ?? null,
      event: "Issue.update",
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Applying a fact

export type TrackerDelivery = { workspaceId: string; connectionId: string; deliveryId: string; event: string };
export type TrackerDeliveryResult = { kind: "processed"; outcome: DeliveryOutcome; summary: string; changes: string[] } | { kind: "replay"; deliveryId: string };

export function bodyDigest(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/** Records the delivery once and applies its fact, in one transaction (a duplicate finds the claim taken). */
export async function receiveTrackerDelivery(db: Db, delivery: TrackerDelivery, parsed: Exclude<Parsed, { kind: "malformed" }>, now = new Date()): Promise<TrackerDeliveryResult> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto("tracker_deliveries")
      .values({ workspace_id: delivery.workspaceId, connection_id: delivery.connectionId, delivery_id: delivery.deliveryId.slice(0, 200), event: delivery.event.slice(0, 200) })
      .onConflict((oc) => oc.columns(["connection_id", "delivery_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!claimed) return { kind: "replay" as const, deliveryId: delivery.deliveryId };
    const result = parsed.kind === "ignored" ? { summary: `Ignored: ${parsed.why}.`, changes: [] } : await applyFact(trx, delivery, parsed.fact, { deliveryId: delivery.deliveryId }, now);
    const outcome: DeliveryOutcome = result.changes.length ? "applied" : "ignored";
    await trx.updateTable("tracker_deliveries").set({ outcome, summary: result.summary.slice(0, 2000) }).where("id", "=", claimed.id).execute();
    return { kind: "processed" as const, outcome, summary: result.summary, changes: result.changes };
  });
}

/**
 * An issue read from the tracker (the `fetch` op: a link made from a URL, an issue just created),
 * applied to its link by the webhooks' rules, inside the caller's transaction. Its time is the
 * issue's last update; it is no event, so it changes the action only where the issue differs from
 * what the link knew (see `IssueFact.snapshot`).
 */
export async function applyIssueSnapshot(trx: Db, link: { id: string; workspaceId: string; connectionId: string }, issue: RemoteIssue, opId: string, now = new Date()): Promise<{ summary: string; changes: string[] }> {
  const fact: IssueFact = {
    key: issue.key,
    id: issue.id,
    at: issue.updatedAt,
    transition: issue.state,
    ...(issue.assignee !== undefined ? { assignee: issue.assignee } : {}),
    actor: null,
    event: "read from the tracker",
    snapshot: true,
  };
  return applyFact(trx, { workspaceId: link.workspaceId, connectionId: link.connectionId, linkId: link.id }, fact, { opId }, now);
}

/** Where a fact goes: the connection's link to the fact's issue, or the given link. */
type FactTarget = { workspaceId: string; connectionId: string; linkId?: string };

async function applyFact(trx: Db, target: FactTarget, fact: IssueFact, source: { deliveryId: string } | { opId: string }, now: Date): Promise<{ summary: string; changes: string[] }> {
  let query = trx
    .selectFrom("tracker_links")
    .innerJoin("guardrail_actions", "guardrail_actions.id", "tracker_links.action_id")
    .innerJoin("tracker_connections", "tracker_connections.id", "tracker_links.connection_id")
    .select([
      "tracker_links.id",
      "tracker_links.action_id",
      "tracker_links.remote_state",
      "tracker_links.remote_state_at",
      "tracker_links.remote_assignee",
      "tracker_links.remote_assignee_at",
      "tracker_links.pushed_state",
      "tracker_links.pushed_at",
      "guardrail_actions.number",
      "guardrail_actions.status",
      "tracker_connections.bot_identity",
    ])
    .where("tracker_links.connection_id", "=", target.connectionId);
  query = target.linkId
    ? query.where("tracker_links.id", "=", target.linkId)
    : query.where((eb) => eb.or([eb("tracker_links.external_key", "=", fact.key), eb("tracker_links.external_id", "=", fact.id)]));
  const link = await query.forUpdate().executeTakeFirst();
  if (!link) return { summary: `Ignored: ${fact.key} is not linked to an action.`, changes: [] };
  const reference = actionReference(link.number);
  const changes: string[] = [];
  const notes: string[] = [];
  const ownEcho = link.bot_identity !== null && fact.actor === link.bot_identity;

  if (fact.transition) {
    if (!isNewer(fact.at, link.remote_state_at)) {
      notes.push(`${fact.event} at ${fact.at.toISOString()} is older than the state already applied: nothing changes`);
    } else {
      const pushedEcho = link.pushed_state === fact.transition && link.pushed_at !== null && fact.at.getTime() >= link.pushed_at.getTime() - 60_000;
      // What the link knew: a linked issue starts as open, a created one as the tracker made it.
      const known = link.remote_state === "closed" ? "closed" : "open";
      await trx.updateTable("tracker_links").set({ remote_state: fact.transition, remote_state_at: fact.at, last_synced_at: now }).where("id", "=", link.id).execute();
      if (fact.snapshot && fact.transition === known) {
        notes.push(`${fact.key} is ${known} in the tracker, which is no change to follow: ${reference} stays ${link.status.replace("_", " ")}`);
      } else if (ownEcho || pushedEcho) {
        notes.push(`${fact.key} ${fact.transition === "closed" ? "closed" : "reopened"} by Hindsight itself: not applied again`);
      } else {
        const effect = stateEffect(link.status, fact.transition);
        if (effect.to === "done" || effect.to === "in_progress") {
          await applyOutsideChange(trx, target.workspaceId, link.action_id, {
            status: effect.to,
            at: fact.at,
            auditAction: "action.synced_from_tracker",
            change: { key: fact.key, event: fact.event, ...source, at: fact.at.toISOString() },
          });
          changes.push(`${reference} ${effect.to === "done" ? "done (not verified: that needs its gate or evidence)" : "back in progress"}: ${fact.key} ${fact.transition === "closed" ? "closed" : "reopened"}.`);
        } else if (effect.to === null) {
          notes.push(`${reference} stays ${link.status.replace("_", " ")}: ${effect.why}`);
        }
      }
    }
  }

  if (fact.assignee !== undefined) {
    if (!isNewer(fact.at, link.remote_assignee_at)) {
      notes.push(`assignee from ${fact.at.toISOString()} is older than the one applied`);
    } else if (fact.snapshot && (fact.assignee?.name ?? null) === link.remote_assignee) {
      // The assignee the link knew: nothing to follow, only the time it is known as of.
      await trx.updateTable("tracker_links").set({ remote_assignee_at: fact.at, last_synced_at: now }).where("id", "=", link.id).execute();
    } else {
      await trx.updateTable("tracker_links").set({ remote_assignee: fact.assignee?.name ?? null, remote_assignee_at: fact.at, last_synced_at: now }).where("id", "=", link.id).execute();
      const email = fact.assignee?.email?.toLowerCase() ?? null;
      const member = email
        ? await trx
            .selectFrom("users")
            .innerJoin("memberships", "memberships.user_id", "users.id")
            .select(["users.id", "users.display_name"])
            .where("memberships.workspace_id", "=", target.workspaceId)
            .where("users.email", "=", email)
            .executeTakeFirst()
        : undefined;
      if (!fact.assignee) notes.push(`${fact.key} unassigned: the owner stays`);
      else if (!member) notes.push(`${fact.key} assigned to ${fact.assignee.name}${email ? "" : ", whose email the tracker does not send"}: no member matches, the owner stays`);
      else if (!ownEcho) {
        const moved = await applyOutsideChange(trx, target.workspaceId, link.action_id, {
          ownerId: member.id,
          at: fact.at,
          auditAction: "action.synced_from_tracker",
          change: { key: fact.key, event: fact.event, ...source, assignee: fact.assignee.name },
        });
        if (moved) changes.push(`${reference} owner: ${member.display_name}, assigned in ${fact.key}.`);
      }
    }
  }
  const summary = changes.length ? changes.join(" ") : `Ignored: ${notes.join("; ") || "nothing to change"}.`;
  return { summary: notes.length && changes.length ? `${summary} (${notes.join("; ")})` : summary, changes };
}

// ---------------------------------------------------------------------------------------------
// Verifying a delivery

export type TrackerWebhookTarget = { workspaceId: string; connectionId: string; vendor: "github" | "jira" | "linear"; key: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The connection a webhook address names, with its signing key; null for an unknown workspace or connection (both 404). */
export async function findTrackerWebhookTarget(db: Db, slug: string, connectionId: string, ring: Keyring = secretKeyring()): Promise<TrackerWebhookTarget | null> {
  if (!UUID.test(connectionId)) return null;
  const row = await db
    .selectFrom("tracker_connections")
    .innerJoin("workspaces", "workspaces.id", "tracker_connections.workspace_id")
    .selectAll("tracker_connections")
    .where("workspaces.slug", "=", slug)
    .where("tracker_connections.id", "=", connectionId)
    .executeTakeFirst();
  if (!row) return null;
  return { workspaceId: row.workspace_id, connectionId: row.id, vendor: row.vendor, key: webhookKeyOf(row, ring) };
}

export type TrackerSignatureVerdict = "ok" | "missing" | "mismatch" | "stale";
type Headers = { get(name: string): string | null };

/**
 * GitHub: `X-Hub-Signature-256: sha256=<HMAC>`. Jira Cloud (a webhook with a secret):
 * `X-Hub-Signature: sha256=<HMAC>`. Linear: `Linear-Signature: <hex HMAC>`, and the body's
 * `webhookTimestamp` within a minute (checked by @linear/sdk's LinearWebhookClient).
 */
export function verifyTrackerSignature(target: TrackerWebhookTarget, body: Uint8Array, headers: Headers): TrackerSignatureVerdict {
  if (target.vendor === "github") return verifyGithubSignature([target.key], body, headers.get("x-hub-signature-256"));
  if (target.vendor === "jira") return verifyGithubSignature([target.key], body, headers.get("x-hub-signature"));
  const signature = headers.get("linear-signature")?.trim();
  if (!signature) return "missing";
  try {
    new LinearWebhookClient(target.key).verify(Buffer.from(body), signature);
    return "ok";
  } catch (error) {
    return error instanceof Error && /timestamp/i.test(error.message) ? "stale" : "mismatch";
  }
}

/** The delivery's id (the sender's, or the body's SHA-256 when it sends none), its event, and what it says. */
export function readTrackerDelivery(target: TrackerWebhookTarget, body: Uint8Array, payload: unknown, headers: Headers): { deliveryId: string; event: string; parsed: Parsed } {
  if (target.vendor === "github") {
    const event = headers.get("x-github-event") ?? "";
    return { deliveryId: headers.get("x-github-delivery") ?? bodyDigest(body), event, parsed: parseGithubIssues(event, payload) };
  }
  if (target.vendor === "jira") {
    const parsed = parseJira(payload);
    return { deliveryId: headers.get("x-atlassian-webhook-identifier") ?? bodyDigest(body), event: parsed.kind === "fact" ? parsed.fact.event : "jira", parsed };
  }
  const parsed = parseLinear(payload);
  return { deliveryId: headers.get("linear-delivery") ?? bodyDigest(body), event: headers.get("linear-event") ?? "Linear", parsed };
}

/** Tracker deliveries follow the webhook deliveries' retention (90 days, never under 7; ADR 0016). */
export async function pruneTrackerDeliveries(db: Db, options: { retentionDays?: number; now?: Date } = {}): Promise<{ removed: number }> {
  const days = Math.max(7, options.retentionDays ?? 90);
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * 24 * 60 * 60 * 1000);
  const result = await db.deleteFrom("tracker_deliveries").where("received_at", "<", cutoff).executeTakeFirst();
  return { removed: Number(result.numDeletedRows) };
}
