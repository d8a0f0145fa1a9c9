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
