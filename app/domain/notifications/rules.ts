/**
 * Client-safe notification rules: what the inbox holds and which kinds of mail a person can turn
 * off, and how they get them (docs/decisions/0024).
 */
import type { NotificationDelivery } from "#db/schema";

/** The kinds of mail a person can turn off, in the order the settings list them. */
export const MAIL_KINDS = ["reviewRequests", "actionsDue", "actionsRegressed"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  reviewRequests: "Reviews requested of me",
  actionsDue: "My guardrail actions overdue",
  actionsRegressed: "My guardrail actions sent back by a gate that regressed",
};

export const DELIVERIES: readonly NotificationDelivery[] = ["immediate", "daily"];
export const DELIVERY_LABELS: Record<NotificationDelivery, string> = {
  immediate: "As it happens (review requests within a minute; actions in the 07:00 UTC digest)",
  daily: "One daily digest at 07:00 UTC",
};

export type NotificationSettings = Record<MailKind, boolean> & { delivery: NotificationDelivery };
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = { reviewRequests: true, actionsDue: true, actionsRegressed: true, delivery: "immediate" };

/** Actions due within this many days show in the inbox (overdue ones always do). */
export const DUE_SOON_DAYS = 7;

/** A workspace member as mentions see them: "@" + display name, or "@" + the part of the email before "@". */
export type MentionCandidate = { id: string; displayName: string; email: string };

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The members a text mentions: "@" followed by a member's display name or the local part of their
 * email, case-insensitive, ending at a word boundary; the longest name wins ("@Dana Scully" is
 * Dana Scully, not Dana). An "@" right after a letter or digit (an email address in the text)
 * mentions no one.
 */
export function mentionedMembers(text: string, members: readonly MentionCandidate[]): Set<string> {
  const found = new Set<string>();
  if (!text.includes("@")) return found;
  const names = members
    .flatMap((m) => [m.displayName, m.email.split("@")[0] ?? ""].map((name) => ({ id: m.id, name: name.trim().toLowerCase() })))
    .filter((n) => n.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const lower = text.toLowerCase();
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && WORD_CHAR.test(lower[at - 1]!)) continue;
    const match = names.find((n) => lower.startsWith(n.name, at + 1) && !WORD_CHAR.test(lower.charAt(at + 1 + n.name.length)));
    if (match) found.add(match.id);
  }
  return found;
}
