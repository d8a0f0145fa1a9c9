/**
 * Mentions (issue 17, point 4; docs/decisions/0024): "@Name" of a workspace member in a
 * postmortem's or a decision record's text. Recorded by the save that first holds them, inside its
 * transaction (every save, restore and live store goes through writeVersion in
 * ~/domain/documents/versioned.server), once per record and person; shown in that person's inbox
 * until they open the record's page, and mailed once (./outbox.server, the person's settings
 * decide whether and when).
 */
import type { Db } from "#db/connection";
import { decisionReference } from "~/domain/decisions/rules";
import { incidentReference } from "~/domain/incidents/rules";
import { queueNotifications } from "./outbox.server";
import { mentionExcerpt, mentionsIn } from "./rules";

/** The record a mention is in: a postmortem or a decision record (the versioned documents' kinds). */
export type MentionedRecord = { store: "postmortem" | "decision"; id: string; workspaceId: string };

export type InboxMention = {
  mentionedBy: string;
  mentionedAt: Date;
  title: string;
  /** Set for a postmortem: its incident's number. */
  incidentNumber: number | null;
  /** Set for a decision record: its reference, e.g. "ADR-3". */
  decisionRef: string | null;
};

const ownerColumn = (store: MentionedRecord["store"]) => (store === "postmortem" ? "postmortem_id" : "decision_id");

/**
 * Records the members `text` mentions, in the caller's transaction: one row per record and person,
 * the first time only (a later save still holding the mention adds nothing). The author mentioning
 * themself, and names of people outside the workspace, record nothing. Each newly recorded
 * mention owes its person one mail (sent, or skipped, by the outbox per their settings).
 */
export async function recordMentions(trx: Db, record: MentionedRecord, text: string, authorId: string): Promise<void> {
  if (!text.includes("@")) return;
  const members = await trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.display_name as displayName", "users.email"])
    .where("memberships.workspace_id", "=", record.workspaceId)
    .execute();
  const found = mentionsIn(text, members);
  found.delete(authorId);
  if (found.size === 0) return;
  const owner = ownerColumn(record.store);
  const added = await trx
    .insertInto("mentions")
    .values([...found.keys()].map((userId) => ({ workspace_id: record.workspaceId, [owner]: record.id, user_id: userId, mentioned_by: authorId })))
    .onConflict((oc) => oc.columns([owner, "user_id"]).doNothing())
    .returning("user_id")
    .execute();
  if (added.length === 0) return;
  const place = await mentionPlace(trx, record);
  const { display_name: author } = await trx.selectFrom("users").select("display_name").where("id", "=", authorId).executeTakeFirstOrThrow();
  await queueNotifications(
    trx,
    added.map(({ user_id }) => ({
      workspaceId: record.workspaceId,
      userId: user_id,
      kind: "mentioned" as const,
      subject: `${author} mentioned you in ${place.words}`,
      body: `${author} mentioned you in ${place.words}, “${place.title}”, in ${place.workspace}:\n\n> ${mentionExcerpt(text, found.get(user_id)!)}`,
      link: place.link,
    })),
  );
}

/** Where a mention is, for its mail: "INC-12's postmortem" or "ADR-3", the title, the link. */
async function mentionPlace(trx: Db, record: MentionedRecord): Promise<{ words: string; title: string; workspace: string; link: string }> {
  const workspace = await trx.selectFrom("workspaces").select(["slug", "name"]).where("id", "=", record.workspaceId).executeTakeFirstOrThrow();
  if (record.store === "postmortem") {
    const pm = await trx
      .selectFrom("postmortems")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select(["postmortems.title", "incidents.number"])
      .where("postmortems.id", "=", record.id)
      .executeTakeFirstOrThrow();
    return { words: `${incidentReference(pm.number)}'s postmortem`, title: pm.title, workspace: workspace.name, link: `/w/${workspace.slug}/incidents/${pm.number}/postmortem` };
  }
  const decision = await trx.selectFrom("decision_records").select(["kind", "number", "title"]).where("id", "=", record.id).executeTakeFirstOrThrow();
  const ref = decisionReference(decision.kind, decision.number);
  return { words: ref, title: decision.title, workspace: workspace.name, link: `/w/${workspace.slug}/decisions/${ref}` };
}

/** Opening a record's page: the person's mentions in it are seen and leave their inbox. */
export async function markMentionsSeen(db: Db, record: MentionedRecord, userId: string, now = new Date()): Promise<void> {
  await db
    .updateTable("mentions")
    .set({ seen_at: now })
    .where("workspace_id", "=", record.workspaceId)
    .where(ownerColumn(record.store), "=", record.id)
    .where("user_id", "=", userId)
    .where("seen_at", "is", null)
    .execute();
}

/** A person's unseen mentions in a workspace (the inbox counts them with the rest, ./inbox.server.ts). */
export function unseenMentionsQuery(db: Db, workspaceId: string, userId: string) {
  return db
    .selectFrom("mentions")
    .where("mentions.workspace_id", "=", workspaceId)
    .where("mentions.user_id", "=", userId)
    .where("mentions.seen_at", "is", null);
}

/** A person's unseen mentions in a workspace, newest first. */
export async function unseenMentions(db: Db, workspaceId: string, userId: string, limit = 50): Promise<InboxMention[]> {
  const rows = await unseenMentionsQuery(db, workspaceId, userId)
    .innerJoin("users as author", "author.id", "mentions.mentioned_by")
    .leftJoin("postmortems", "postmortems.id", "mentions.postmortem_id")
    .leftJoin("incidents", "incidents.id", "postmortems.incident_id")
    .leftJoin("decision_records", "decision_records.id", "mentions.decision_id")
    .select([
      "author.display_name as mentioned_by",
      "mentions.created_at",
      "incidents.number as incident_number",
      "postmortems.title as postmortem_title",
      "decision_records.kind as decision_kind",
      "decision_records.number as decision_number",
      "decision_records.title as decision_title",
    ])
    .orderBy("mentions.created_at", "desc")
    .orderBy("mentions.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    mentionedBy: r.mentioned_by,
    mentionedAt: r.created_at,
    title: r.postmortem_title ?? r.decision_title ?? "",
    incidentNumber: r.incident_number,
    decisionRef: r.decision_kind && r.decision_number !== null ? decisionReference(r.decision_kind, r.decision_number) : null,
  }));
}

/** How many unseen mentions wait for the person (part of the count beside Inbox). */
