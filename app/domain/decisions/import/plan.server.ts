/**
 * Plans an import of parsed decision records: numbers, duplicates, typed links between the files
 * and to what the workspace holds, and each file's problems. Pure: no database. The caller passes
 * what the workspace already holds (apply.server.ts).
 */
import { createHash } from "node:crypto";
import path from "node:path/posix";
import type { DecisionKind, DecisionStatus } from "#db/schema";
import { rewriteLinks, type DocumentJSON } from "~/domain/documents/index.server";
import { reachable } from "../graph";
import { decisionReference, parseDecisionReference, parseLinkTarget, type LinkTargetRef, type ResolvedTarget } from "../rules";
import { clip, squash, type ExternalLinkKind, type PairLinkKind, type ParsedAdr, type ParsedFile, type ParsedSource, type RawLink } from "./parse.server";

// ---------------------------------------------------------------------------------------------
// Planning an import

export type ExistingDecision = { id: string; kind: DecisionKind; number: number; title: string; bodyText: string; status: DecisionStatus };

export type ImportContext = {
  /** Kind of the records whose files don't say. */
  defaultKind: DecisionKind;
  existing: ExistingDecision[];
  /** Links already stored between records, newer → older, as record ids. */
  existingPairs: Array<{ kind: "supersedes" | "amends"; newer: string; older: string }>;
  /** The last number handed out per kind (workspace_counters). */
  counters: Record<DecisionKind, number>;
  /** Incidents, actions and gates the files name, resolved in the workspace (missing ones absent). */
  targets: Map<string, ResolvedTarget>;
};

/** A record the plan creates or one that is already in the workspace. */
export type Endpoint = { type: "new"; index: number } | { type: "existing"; id: string };

export type PlannedRecord = {
  path: string;
  kind: DecisionKind;
  number: number;
  ref: string;
  title: string;
  status: DecisionStatus;
  statusWord: string | null;
  priorStatus: Exclude<DecisionStatus, "superseded"> | null;
  decidedOn: string | null;
  deciders: string[];
  tags: string[];
  body: DocumentJSON;
  bodyText: string;
  frontMatter: Record<string, unknown>;
  /** The file as uploaded, kept so an unedited record exports byte for byte. */
  source: ParsedSource;
};

export type PlannedPair = { kind: "supersedes" | "amends"; newer: Endpoint; older: Endpoint; newerRef: string; olderRef: string };
export type PlannedExternal = { index: number; kind: ExternalLinkKind; target: ResolvedTarget };

export type FileReport = {
  path: string;
  outcome: "create" | "duplicate" | "error" | "ignored";
  ref?: string;
  /** The number the file gave itself, when it is not the one it gets here. */
  sourceRef?: string;
  title?: string;
  status?: DecisionStatus;
  decidedOn?: string | null;
  tags?: string[];
  duplicateOf?: string;
  links: string[];
  errors: string[];
  warnings: string[];
};

export type ImportPlan = {
  files: FileReport[];
  records: PlannedRecord[];
  pairs: PlannedPair[];
  externals: PlannedExternal[];
  /** Records already in the workspace that this import marks superseded. */
  supersedesExisting: Array<{ id: string; ref: string; title: string; from: DecisionStatus }>;
  counts: { create: number; duplicate: number; error: number; ignored: number; links: number; warnings: number };
  /** Changes when anything the import would do changes: the import step compares it with the preview's. */
  hash: string;
};

/** The kinds of target a file names outside the decision log, for the caller to look up first. */
export function externalReferences(files: ParsedFile[]): ExternalTargetRef[] {
  const refs: ExternalTargetRef[] = [];
  for (const file of files) {
    if (file.outcome !== "parsed") continue;
    for (const link of file.adr.links) {
      if (link.kind === "informed_by" || link.kind === "implements" || link.kind === "pull_request") {
        const parsed = parseLinkTarget(link.kind, link.href ?? link.text);
        if (parsed.ok && parsed.target.type !== "decision") refs.push(parsed.target);
      }
    }
  }
  return refs;
}
export type ExternalTargetRef = Exclude<LinkTargetRef, { type: "decision" }>;

const VERB: Record<PairLinkKind, string> = { supersedes: "supersedes", superseded_by: "is superseded by", amends: "amends", amended_by: "is amended by" };

/**
 * Decides what an import does, file by file: which records are created and with which numbers,
 * which files duplicate records already here, which typed links are written, and what each file's
 * problems are. Imported records keep their own numbers when those are free, so "ADR-7" in commit
 * messages still means the same record; a taken number moves the record past the highest in use.
 */
export function planImport(parsedFiles: ParsedFile[], ctx: ImportContext): ImportPlan {
  const files = [...parsedFiles].sort((a, b) => a.path.localeCompare(b.path));
  const reports: FileReport[] = files.map((f) =>
    f.outcome === "parsed"
      ? { path: f.path, outcome: "create", title: f.adr.title, status: f.adr.status, decidedOn: f.adr.decidedOn, tags: f.adr.tags, links: [], errors: [], warnings: [...f.adr.warnings] }
      : f.outcome === "error"
        ? { path: f.path, outcome: "error", links: [], errors: [f.error], warnings: [] }
        : { path: f.path, outcome: "ignored", links: [], errors: [], warnings: [f.reason] },
  );
  const adrs = files.map((f) => (f.outcome === "parsed" ? f.adr : null));
  const kindOf = (i: number) => adrs[i]!.kind ?? ctx.defaultKind;
  const existingByNumber = new Map(ctx.existing.map((e) => [`${e.kind}-${e.number}`, e]));
  const plan: Planning = { ctx, files, adrs, reports, kindOf, existingByNumber, endpointOf: new Map(), records: [] };
  const duplicateTarget = findDuplicates(plan);
  const creating = numberRecords(plan, duplicateTarget);
  const find = recordFinder(plan);
  const { pairs, externals, reportOf } = planLinks(plan, creating, find);
  const supersedesExisting = supersedeInPlan(plan, pairs, reportOf);

  // 6. Links in the text to other imported files point at their records here.
  plan.records.forEach((record) => {
    record.body = rewriteLinks(record.body, (href) => {
      const file = find.fileFor(record.path, href);
      const target = file !== undefined ? plan.endpointOf.get(file) : undefined;
      return target ? find.refOf(target) : null;
    });
  });
  return summarise(plan, pairs, externals, supersedesExisting);
}

/** What the steps of one plan share: the files in path order, their reports, and what each readable file becomes. */
type Planning = {
  ctx: ImportContext;
  files: ParsedFile[];
  adrs: Array<ParsedAdr | null>;
  reports: FileReport[];
  kindOf: (i: number) => DecisionKind;
  existingByNumber: Map<string, ExistingDecision>;
  /** File index → the record it creates, or the one already here it repeats. */
  endpointOf: Map<number, Endpoint>;
  records: PlannedRecord[];
};

type RecordFinder = ReturnType<typeof recordFinder>;

const endpointKey = (e: Endpoint) => (e.type === "new" ? `new:${e.index}` : e.id);

/** Marks the files that repeat a record: returns file index → the earlier file it repeats. */
function findDuplicates(plan: Planning): Map<number, number> {
  const { ctx, files, adrs, reports, kindOf, existingByNumber, endpointOf } = plan;
  const existingByTitle = new Map<string, ExistingDecision>();
  for (const e of ctx.existing) existingByTitle.set(`${e.kind}|${squash(e.title)}|${squash(e.bodyText)}`, e);

  // 1. Duplicates: of a record already here (same number and title, or same title and text), or of an earlier file.
  const duplicateTarget = new Map<number, number>(); // file index → file index it repeats
  const seen = new Map<string, number>();
  adrs.forEach((adr, i) => {
    if (!adr) return;
    const kind = kindOf(i);
    const byNumber = adr.sourceNumber !== null ? existingByNumber.get(`${kind}-${adr.sourceNumber}`) : undefined;
    const existing =
      byNumber && squash(byNumber.title) === squash(adr.title) ? byNumber : existingByTitle.get(`${kind}|${squash(adr.title)}|${squash(adr.bodyText)}`);
    if (existing) {
      endpointOf.set(i, { type: "existing", id: existing.id });
      Object.assign(reports[i]!, { outcome: "duplicate", duplicateOf: decisionReference(existing.kind, existing.number), ref: undefined });
      return;
    }
    const keys = [adr.sourceNumber !== null ? `${kind}#${adr.sourceNumber}|${squash(adr.title)}` : null, `${kind}|${squash(adr.title)}|${squash(adr.bodyText)}`];
    const earlier = keys.map((k) => (k ? seen.get(k) : undefined)).find((v) => v !== undefined);
    if (earlier !== undefined) {
      duplicateTarget.set(i, earlier);
      Object.assign(reports[i]!, { outcome: "duplicate", duplicateOf: files[earlier]!.path });
      return;
    }
    for (const k of keys) if (k) seen.set(k, i);
  });
  return duplicateTarget;
}

/** Numbers the records the plan creates; returns the indexes of their files. */
function numberRecords(plan: Planning, duplicateTarget: Map<number, number>): number[] {
  const { ctx, files, adrs, reports, kindOf, endpointOf, records } = plan;
  // 2. Numbers: a file's own number when it is free, otherwise the next past everything in use.
  const claimed: Record<DecisionKind, Map<number, string>> = { adr: new Map(), rfc: new Map() };
  for (const e of ctx.existing) claimed[e.kind].set(e.number, `"${e.title}"`);
  const creating = adrs.map((adr, i) => (adr && reports[i]!.outcome === "create" ? i : -1)).filter((i) => i >= 0);
  const numberOf = new Map<number, number>();
  for (const i of creating) {
    const n = adrs[i]!.sourceNumber;
    if (n !== null && !claimed[kindOf(i)].has(n)) {
      numberOf.set(i, n);
      claimed[kindOf(i)].set(n, files[i]!.path);
    }
  }
  const unnumbered = creating.filter((i) => !numberOf.has(i)).sort((a, b) => adrs[a]!.sortKey.localeCompare(adrs[b]!.sortKey));
  for (const i of unnumbered) {
    const kind = kindOf(i);
    const next = Math.max(ctx.counters[kind], 0, ...claimed[kind].keys()) + 1;
    const wanted = adrs[i]!.sourceNumber;
    if (wanted !== null) {
      reports[i]!.sourceRef = decisionReference(kind, wanted);
      reports[i]!.warnings.push(`${decisionReference(kind, wanted)} is already used by ${claimed[kind].get(wanted)}; this record becomes ${decisionReference(kind, next)}.`);
    }
    numberOf.set(i, next);
    claimed[kind].set(next, files[i]!.path);
  }

  for (const i of creating) {
    const adr = adrs[i]!;
    const kind = kindOf(i);
    const number = numberOf.get(i)!;
    endpointOf.set(i, { type: "new", index: records.length });
    reports[i]!.ref = decisionReference(kind, number);
    records.push({
      path: adr.path,
      kind,
      number,
      ref: decisionReference(kind, number),
      title: adr.title,
      status: adr.status,
      statusWord: adr.statusWord,
      priorStatus: null,
      decidedOn: adr.decidedOn,
      deciders: adr.deciders,
      tags: adr.tags,
      body: adr.body,
      bodyText: adr.bodyText,
      frontMatter: adr.frontMatter,
      source: adr.source,
    });
  }
  for (const [i, earlier] of duplicateTarget) {
    const target = endpointOf.get(earlier);
    if (target) endpointOf.set(i, target);
  }
  return creating;
}

function recordFinder(plan: Planning) {
  const { ctx, files, adrs, kindOf, existingByNumber, endpointOf, records } = plan;
  // 3. Finding the record a link names: a file of this import, or a record already here.
  const byPath = new Map<string, number>();
  const byBase = new Map<string, number | null>();
  const bySource = new Map<string, number>();
  files.forEach((f, i) => {
    if (!adrs[i]) return;
    byPath.set(f.path.toLowerCase(), i);
    const base = path.basename(f.path).toLowerCase();
    byBase.set(base, byBase.has(base) ? null : i);
    const n = adrs[i]!.sourceNumber;
    if (n !== null && !bySource.has(`${kindOf(i)}-${n}`)) bySource.set(`${kindOf(i)}-${n}`, i);
  });
  const refOf = (e: Endpoint): string => {
    if (e.type === "new") return records[e.index]!.ref;
    const found = ctx.existing.find((x) => x.id === e.id)!;
    return decisionReference(found.kind, found.number);
  };
  const fileFor = (fromPath: string, href: string): number | undefined => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return undefined;
    const clean = decodeSafely(href.split(/[?#]/)[0]!);
    if (!/\.(md|markdown)$/i.test(clean)) return undefined;
    const joined = path.normalize(path.join(path.dirname(fromPath), clean)).replace(/^(\.\.\/)+/, "").replace(/^\.\//, "");
    return byPath.get(joined.toLowerCase()) ?? byBase.get(path.basename(clean).toLowerCase()) ?? undefined;
  };
  const resolveRecord = (i: number, link: RawLink): Endpoint | null => {
    if (link.href) {
      const file = fileFor(files[i]!.path, link.href);
      if (file !== undefined) return endpointOf.get(file) ?? null;
    }
    const ref = /^\d{1,9}$/.test(link.text) ? { kind: kindOf(i), number: Number(link.text) } : parseDecisionReference(link.text);
    if (!ref) return null;
    const file = bySource.get(`${ref.kind}-${ref.number}`);
    if (file !== undefined) return endpointOf.get(file) ?? null;
    const existing = existingByNumber.get(`${ref.kind}-${ref.number}`);
    return existing ? { type: "existing", id: existing.id } : null;
  };
  return { refOf, fileFor, resolveRecord };
}

function planLinks(plan: Planning, creating: number[], { refOf, resolveRecord }: RecordFinder) {
  const { ctx, adrs, reports, endpointOf } = plan;
  // 4. Typed links. Pairs from every readable file (a duplicate may name a new record); outside links from new records only.
  const edges: Array<[string, string]> = ctx.existingPairs.filter((p) => p.kind === "supersedes").map((p) => [p.newer, p.older]);
  const pairKeys = new Set(ctx.existingPairs.map((p) => `${p.kind}|${p.newer}|${p.older}`));
  const pairs: PlannedPair[] = [];
  const externals: PlannedExternal[] = [];
  const externalKeys = new Set<string>();
  const createdReports = new Map(creating.map((i) => [endpointKey(endpointOf.get(i)!), reports[i]!]));
  const reportOf = (e: Endpoint) => createdReports.get(endpointKey(e));
  adrs.forEach((adr, i) => {
    if (!adr) return;
    const self = endpointOf.get(i);
    if (!self) return;
    for (const link of adr.links) {
      const label = link.text || link.href || "?";
      if (link.kind === "supersedes" || link.kind === "superseded_by" || link.kind === "amends" || link.kind === "amended_by") {
        const other = resolveRecord(i, link);
        if (!other) {
          reports[i]!.warnings.push(`This record ${VERB[link.kind]} "${clip(label)}", which is neither in this import nor in the workspace; that link was left out.`);
          continue;
        }
        if (endpointKey(other) === endpointKey(self)) continue;
        const reversed = link.kind === "superseded_by" || link.kind === "amended_by";
        const [newer, older] = reversed ? [other, self] : [self, other];
        const forward = link.kind === "supersedes" || link.kind === "superseded_by" ? "supersedes" : "amends";
        const pairKey = `${forward}|${endpointKey(newer)}|${endpointKey(older)}`;
        if (pairKeys.has(pairKey)) continue;
        if (forward === "supersedes" && reachable(edges, endpointKey(older), endpointKey(newer))) {
          reports[i]!.warnings.push(`${refOf(older)} already leads to ${refOf(newer)} through supersede links; "${clip(label)}" would make a loop and was left out.`);
          continue;
        }
        pairKeys.add(pairKey);
        if (forward === "supersedes") edges.push([endpointKey(newer), endpointKey(older)]);
        pairs.push({ kind: forward, newer, older, newerRef: refOf(newer), olderRef: refOf(older) });
        reportOf(newer)?.links.push(`${forward === "supersedes" ? "Supersedes" : "Amends"} ${refOf(older)}`);
        reportOf(older)?.links.push(`${forward === "supersedes" ? "Superseded by" : "Amended by"} ${refOf(newer)}`);
        continue;
      }
      if (self.type !== "new" || reports[i]!.outcome !== "create") continue;
      const parsed = parseLinkTarget(link.kind, link.href ?? link.text);
      if (!parsed.ok || parsed.target.type === "decision") {
        reports[i]!.warnings.push(`"${clip(label)}" is not something a ${link.kind.replace("_", " ")} link can point at; it was left out.`);
        continue;
      }
      const target = ctx.targets.get(parsed.target.ref);
      if (!target) {
        reports[i]!.warnings.push(`${parsed.target.ref} is not in this workspace; that link was left out.`);
        continue;
      }
      const externalKey = `${self.index}|${link.kind}|${target.type}|${target.id}`;
      if (externalKeys.has(externalKey)) continue;
      externalKeys.add(externalKey);
      externals.push({ index: self.index, kind: link.kind, target });
      reports[i]!.links.push(`${link.kind === "informed_by" ? "Informed by" : link.kind === "implements" ? "Implements" : "Pull request"} ${target.ref}`);
    }
  });
  return { pairs, externals, reportOf };
}

function supersedeInPlan(plan: Planning, pairs: PlannedPair[], reportOf: (e: Endpoint) => FileReport | undefined): ImportPlan["supersedesExisting"] {
  const { ctx, records } = plan;
  // 5. Superseding sets the older record's status, for new records and ones already here.
  const supersedesExisting: ImportPlan["supersedesExisting"] = [];
  for (const pair of pairs) {
    if (pair.kind !== "supersedes") continue;
    if (pair.older.type === "new") {
      const record = records[pair.older.index]!;
      if (record.status !== "superseded") {
        record.priorStatus = record.status;
        record.status = "superseded";
        const report = reportOf(pair.older);
        if (report) {
          report.status = "superseded";
          report.warnings.push(`It becomes superseded: ${pair.newerRef} supersedes it.`);
        }
      }
    } else {
      const id = pair.older.id;
      const existing = ctx.existing.find((e) => e.id === id)!;
      if (existing.status !== "superseded" && !supersedesExisting.some((s) => s.id === id)) {
        supersedesExisting.push({ id, ref: decisionReference(existing.kind, existing.number), title: existing.title, from: existing.status });
      }
    }
  }
  return supersedesExisting;
}

function summarise(plan: Planning, pairs: PlannedPair[], externals: PlannedExternal[], supersedesExisting: ImportPlan["supersedesExisting"]): ImportPlan {
  const { reports, records } = plan;
  const counts = {
    create: records.length,
    duplicate: reports.filter((r) => r.outcome === "duplicate").length,
    error: reports.filter((r) => r.outcome === "error").length,
    ignored: reports.filter((r) => r.outcome === "ignored").length,
    links: pairs.length + externals.length,
    warnings: reports.filter((r) => r.warnings.length > 0 && r.outcome !== "ignored").length,
  };
  const hash = createHash("sha256")
    .update(
      JSON.stringify({
        records: records.map((r) => [r.path, r.kind, r.number, r.title, r.status]),
        pairs: pairs.map((p) => [p.kind, endpointKey(p.newer), endpointKey(p.older)]),
        externals: externals.map((e) => [e.index, e.kind, e.target.id]),
        supersedesExisting: supersedesExisting.map((s) => s.id),
      }),
    )
    .digest("hex");
  return { files: reports, records, pairs, externals, supersedesExisting, counts, hash };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
