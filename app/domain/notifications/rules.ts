/**
 * Client-safe notification rules: what the inbox holds and which kinds of mail a person can turn
 * off, and how they get them (docs/decisions/0024).
 */
import type { NotificationDelivery } from "#db/schema";

/** The kinds of mail a person can turn off, in the order the settings list them. */
export const MAIL_KINDS = ["reviewRequests", "mentions", "actionsDue", "actionsRegressed"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  reviewRequests: "Reviews requested of me",
  mentions: "Mentions of me in a postmortem or decision record",
  actionsDue: "My guardrail actions overdue",
  actionsRegressed: "My guardrail actions sent back by a gate that regressed",
};

export const DELIVERIES: readonly NotificationDelivery[] = ["immediate", "daily"];
export const DELIVERY_LABELS: Record<NotificationDelivery, string> = {
  immediate: "As it happens (review requests and mentions within a minute; actions in the 07:00 UTC digest)",
  daily: "One daily digest at 07:00 UTC",
};

export type NotificationSettings = Record<MailKind, boolean> & { delivery: NotificationDelivery };
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = { reviewRequests: true, mentions: true, actionsDue: true, actionsRegressed: true, delivery: "immediate" };

/** Actions due within this many days show in the inbox (overdue ones always do). */
export const DUE_SOON_DAYS = 7;

/** A workspace member as mentions see them: "@" + display name, or "@" + the part of the email before "@". */
export type MentionCandidate = { id: string; displayName: string; email: string };

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The members a text mentions, each with where their first mention starts (the "@"): "@"
 * followed by a member's display name or the local part of their email, case-insensitive, ending
 * at a word boundary; the longest name wins ("@Dana Scully" is Dana Scully, not Dana). An "@"
 * right after a letter or digit (an email address in the text) mentions no one.
 */
export function mentionsIn(text: string, members: readonly MentionCandidate[]): Map<string, number> {
  const found = new Map<string, number>();
  if (!text.includes("@")) return found;
  const names = members
    .flatMap((m) => [m.displayName, m.email.split("@")[0] ?? ""].map((name) => ({ id: m.id, name: name.trim().toLowerCase() })))
    .filter((n) => n.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const lower = text.toLowerCase();
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && WORD_CHAR.test(lower[at - 1]!)) continue;
    const match = names.find((n) => lower.startsWith(n.name, at + 1) && !WORD_CHAR.test(lower.charAt(at + 1 + n.name.length)));
    if (match && !found.has(match.id)) found.set(match.id, at);
  }
  return found;
}

/** The members a text mentions (see mentionsIn). */
export function mentionedMembers(text: string, members: readonly MentionCandidate[]): Set<string> {
  return new Set(mentionsIn(text, members).keys());
}

/** The longest excerpt a mention's mail quotes, in characters. */
export const MENTION_EXCERPT_LENGTH = 240;

/**
 * The sentence around position `at` of a document's plain text (one block per line), for a
 * mention's mail: from the end of the previous sentence or line to the end of this one, spaces
 * folded; cut between words to at most `max` characters around `at`, with "…" where it was cut.
 */
export function mentionExcerpt(text: string, at: number, max = MENTION_EXCERPT_LENGTH): string {
  const endsSentence = (i: number) => /[.!?]/.test(text.charAt(i)) && (i + 1 >= text.length || /\s/.test(text.charAt(i + 1)));
  let start = at;
  while (start > 0 && text[start - 1] !== "\n" && !endsSentence(start - 2)) start -= 1;
  let end = at;
  while (end < text.length && text[end] !== "\n" && !endsSentence(end - 1)) end += 1;
  let from = start;
  let to = end;
  if (to - from > max) {
    from = Math.max(start, Math.min(at - Math.floor(max / 3), end - max));
    to = from + max;
    // Cut between words, never through the mention.
    const space = text.slice(from, at).search(/\s/);
    if (from > start && space !== -1) from += space + 1;
    const lastSpace = text.slice(at, to).search(/\s\S*$/);
    if (to < end && lastSpace > 0) to = at + lastSpace;
  }
  const words = text.slice(from, to).replace(/\s+/g, " ").trim();
  return `${from > start ? "…" : ""}${words}${to < end ? "…" : ""}`;
}
