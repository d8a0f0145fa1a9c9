/** Supersede graphs as plain data: reachability (no loops) and the order of a chain. Pure: no database. */
import type { DecisionKind } from "#db/schema";

/** Graph walk over [newer, older] pairs; shared with the importer, which adds planned links. */
export function reachable(edges: Array<[string, string]>, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(next.get(node) ?? []));
  }
  return false;
}

/** Topological order along "supersedes" (the replaced record before its replacement); ties by kind and number. */
export function oldestFirst<T extends { id: string; kind: DecisionKind; number: number }>(rows: T[], edges: Array<{ newer: string; older: string }>): T[] {
  const pending = new Map(rows.map((r) => [r.id, 0]));
  for (const e of edges) pending.set(e.newer, (pending.get(e.newer) ?? 0) + 1);
  const byOrder = (a: T, b: T) => a.kind.localeCompare(b.kind) || a.number - b.number;
  const ready = rows.filter((r) => pending.get(r.id) === 0).sort(byOrder);
  const out: T[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  while (ready.length > 0) {
    const next = ready.shift()!;
    out.push(next);
    for (const e of edges.filter((edge) => edge.older === next.id)) {
      const left = (pending.get(e.newer) ?? 0) - 1;
      pending.set(e.newer, left);
      if (left === 0 && byId.has(e.newer)) {
        ready.push(byId.get(e.newer)!);
        ready.sort(byOrder);
      }
    }
  }
  // Cycles are refused when links are written; anything left over still shows, at the end.
  return [...out, ...rows.filter((r) => !out.includes(r)).sort(byOrder)];
}

/** At most this many records are walked for one chain; real chains are a handful long. */
export const MAX_CHAIN = 50;

/** The records joined to `start` by supersede links in either direction, at most `max` of them; empty when it has none. */
export function supersedeComponent(edges: Array<{ newer: string; older: string }>, start: string, max: number): Set<string> {
  const neighbours = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!neighbours.has(e.newer)) neighbours.set(e.newer, new Set());
    if (!neighbours.has(e.older)) neighbours.set(e.older, new Set());
    neighbours.get(e.newer)!.add(e.older);
    neighbours.get(e.older)!.add(e.newer);
  }
  if (!neighbours.has(start)) return new Set();
  const component = new Set([start]);
  const queue = [start];
  while (queue.length > 0 && component.size < max) {
    for (const next of neighbours.get(queue.shift()!) ?? []) {
      if (component.size >= max) break;
      if (!component.has(next)) {
        component.add(next);
        queue.push(next);
      }
    }
  }
  return component;
}
