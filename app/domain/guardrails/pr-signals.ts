/**
 * What a pull request says about itself: its tier from a label (`tier:T2`, `tier/T2`, `risk:T2`:
 * the accepted patterns are a workspace setting) and whether a model assisted it, from a label or
 * an `Assisted-by:` / `Co-authored-by:` trailer naming a configured tool. Pure: forms and the
 * webhook share it. A person's explicit choice always wins over these guesses (the caller's rule).
 */
import type { TierKey } from "#db/schema";

export const DEFAULT_TIER_LABEL_PATTERNS = ["tier:{tier}", "tier/{tier}", "risk:{tier}"];
export const DEFAULT_ASSIST_TOOLS = ["Copilot", "Claude", "Cursor", "Codex", "Gemini"];
const TIERS: readonly TierKey[] = ["T0", "T1", "T2", "T3"];

/** A pattern must hold `{tier}` once; the rest is matched literally, case-insensitively. */
export function tierPatternProblem(pattern: string): string | null {
  const parts = pattern.split("{tier}");
  if (parts.length !== 2) return `“${pattern}” must contain {tier} exactly once, like tier:{tier}.`;
  if (pattern.length > 60) return `“${pattern.slice(0, 20)}…” is longer than 60 characters.`;
  return null;
}

/** The highest tier any label names (a PR labelled T1 and T3 is treated as T3). */
export function tierFromLabels(labels: readonly string[], patterns: readonly string[]): TierKey | null {
  let found: TierKey | null = null;
  for (const label of labels) {
    const text = label.trim().toLowerCase();
    for (const pattern of patterns) {
      const [before, after] = pattern.toLowerCase().split("{tier}");
      if (before === undefined || after === undefined) continue;
      if (!text.startsWith(before) || !text.endsWith(after) || text.length <= before.length + after.length) continue;
      const tier = text.slice(before.length, text.length - after.length).trim().toUpperCase() as TierKey;
      if (TIERS.includes(tier) && (!found || tier > found)) found = tier;
    }
  }
  return found;
}

function namesTool(text: string, tools: readonly string[]): string | null {
  const lower = text.toLowerCase();
  return tools.find((tool) => tool.trim() && new RegExp(`(^|[^a-z0-9])${escapeRegExp(tool.trim().toLowerCase())}([^a-z0-9]|$)`).test(lower)) ?? null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const TRAILER = /^\s*(assisted-by|co-authored-by)\s*:\s*(.+)$/gim;

/**
 * The configured tool a pull request names, and where: a label such as `assisted-by:copilot` or
 * `ai-assisted` (any label naming a tool), or a trailer line in its body. Null when none does.
 */
export function assistanceFrom(labels: readonly string[], body: string | null, tools: readonly string[]): { tool: string; from: string } | null {
  for (const label of labels) {
    const tool = namesTool(label, tools);
    if (tool) return { tool, from: `label “${label}”` };
    if (/^(ai|model)[-_ ]?assisted$/i.test(label.trim())) return { tool: label.trim(), from: `label “${label}”` };
  }
  for (const match of (body ?? "").matchAll(TRAILER)) {
    const tool = namesTool(match[2]!, tools);
    if (tool) return { tool, from: `${match[1]} trailer` };
  }
  return null;
}
