/**
 * How much a postmortem changed since it was approved: characters inserted plus characters
 * removed in its title and text (Myers' diff, jsdiff), counted only up to the limit asked about,
 * so a large rewrite costs no more than a small one. Formatting alone changes nothing here.
 */
import { diffChars } from "diff";

/** The text an approval is measured on: the title, then the plain text of the body. */
export function approvedText(title: string, bodyText: string): string {
  return `${title}\n${bodyText}`;
}

/** Whether `after` differs from `before` by at most `limit` characters inserted plus removed. */
export function changedWithin(before: string, after: string, limit: number): boolean {
  if (before === after) return true;
  if (limit <= 0) return false;
  if (Math.abs(before.length - after.length) > limit) return false;
  // diffChars answers undefined once the edit script would pass the limit.
  const parts = diffChars(before, after, { maxEditLength: limit });
  if (!parts) return false;
  let changed = 0;
  for (const part of parts) if (part.added || part.removed) changed += part.value.length;
  return changed <= limit;
}
