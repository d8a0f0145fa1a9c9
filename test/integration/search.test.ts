import { Migrator, sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { closeDatabase, migrateToLatest, openDatabase, type Db } from "#db/connection";
import { migrations } from "#db/migrations/index";
import type { PublicUser } from "~/domain/accounts/index.server";
import { createWorkspace, listAreas } from "~/domain/workspaces/index.server";
import { createDecision, saveDecision } from "~/domain/decisions/index.server";
import { changeActionStatus, createAction, removeFactor, updateFactor } from "~/domain/guardrails/index.server";
import { addTimelineEvent, createIncident, updateIncident } from "~/domain/incidents/index.server";
import { requestReview, savePostmortem } from "~/domain/postmortems/index.server";
import { RANKED_CANDIDATES } from "~/domain/search/rules";
import {
  indexSearchDocument,
  rebuildWorkspaceSearch,
  refreshSearchDocument,
  removeSearchDocument,
  searchDocumentForIncident,
  searchWorkspace,
  type SearchOutcome,
  type SearchRequest,
} from "~/domain/search/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace, unique } from "../support/factories";
import { actionInput, makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { incidentInput, makeIncident } from "../support/incidents";

const doc = (...paragraphs: string[]) => ({
  type: "doc",
  content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })),
});

/** A made-up word no other test uses, so each test's records are the only ones that match. */
function word(): string {
  return unique("zq").replace(/[^a-z]/g, "").slice(0, 14) + "x";
}

function results(outcome: SearchOutcome) {
  if (outcome.kind !== "results") throw new Error(`expected results, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function plain(runs: Array<{ text: string }>): string {
  return runs.map((r) => r.text).join("");
}

describeEachEngine("search", (testDb) => {
  async function setup() {
    const db = testDb();
    const user = await makeUser(db);
    const ws = await makeWorkspace(db, user);
    const find = async (q: string, extra: Partial<SearchRequest> = {}) => results(await searchWorkspace(db, ws.id, { q, ...extra }));
    return { db, user, ws, find };
  }

  it("a new incident is findable as soon as it is created, and a refused one never is", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const { number } = await makeIncident(db, user, ws.id, { title: `Checkout ${w} outage` });
    const found = await find(w);
    expect(found.hits.map((h) => [h.type, h.reference, h.path])).toEqual([["incident", `INC-${number}`, `incidents/${number}`]]);

    const other = word();
    const foreignArea = (await listAreas(db, (await makeWorkspace(db, user)).id))[0]!;
    const refused = await createIncident(db, user, ws.id, incidentInput({ title: `Refused ${other}`, areaIds: [foreignArea.id] }));
    expect(refused.ok).toBe(false);
    expect((await find(other)).total).toBe(0);
  });

  it("edits, timeline notes and postmortem saves are findable right after they are saved", async () => {
    const { db, user, ws, find } = await setup();
    const [before, after, note, body] = [word(), word(), word(), word()];
    const number = await makePostmortem(db, user, ws.id, { title: `Queue ${before}` });
    expect((await updateIncident(db, user, ws.id, number, 1, incidentInput({ title: `Queue ${after}` })))?.ok).toBe(true);
    // The postmortem keeps the title it started with; the incident moved on.
    expect((await find(before)).hits.map((h) => h.type)).toEqual(["postmortem"]);
    expect((await find(after)).hits[0]).toMatchObject({ type: "incident", reference: `INC-${number}` });

    await addTimelineEvent(db, user, ws.id, number, { occurredAt: new Date("2026-11-20T10:30:00Z"), kind: "note", text: `Paged ${note}` });
    expect((await find(note)).hits.map((h) => h.type)).toEqual(["incident"]);

    const saved = await savePostmortem(db, user, ws.id, number, { baseVersion: 1, title: "Queue postmortem", body: doc("Summary", `The ${body} consumer fell behind.`) });
    expect(saved.ok).toBe(true);
    const pm = (await find(body)).hits;
    expect(pm.map((h) => [h.type, h.path, h.status])).toEqual([["postmortem", `incidents/${number}/postmortem`, "draft"]]);

    expect(await requestReview(db, user, ws.id, number)).toEqual({ ok: true });
    expect((await find(body)).hits[0]!.status).toBe("in_review");
    expect((await find(body, { status: "draft" })).total).toBe(0);
  });

  it("factors and actions follow their changes, and a removed factor disappears", async () => {
    const { db, user, ws, find } = await setup();
    const [factorWord, newWord, actionWord] = [word(), word(), word()];
    const number = await makePostmortem(db, user, ws.id);
    const factorId = await makeFactor(db, user, ws.id, number, { text: `No dry run for ${factorWord} migrations` });
    expect((await find(factorWord)).hits.map((h) => [h.type, h.path])).toEqual([["factor", `incidents/${number}/postmortem#factor-${factorId}`]]);

    const updated = await updateFactor(db, user, ws.id, factorId, { text: `Review gap around ${newWord}`, category: "review_gap", tier: "T2", gates: [], pullRequestUrls: [] });
    expect(updated.ok).toBe(true);
    expect((await find(factorWord)).total).toBe(0);
    expect((await find(newWord, { tag: "review_gap" })).total).toBe(1);

    const act = await makeAction(db, user, ws.id, factorId, { title: `Add a ${actionWord} check` });
    const hit = (await find(actionWord)).hits[0]!;
    expect(hit).toMatchObject({ type: "action", reference: `ACT-${act}`, path: `guardrails/actions/${act}`, status: "open" });
    expect(await changeActionStatus(db, user, ws.id, act, { to: "in_progress", expectedVersion: 1 })).toMatchObject({ ok: true });
    expect((await find(actionWord, { status: "in_progress" })).total).toBe(1);
    expect((await find(`ACT-${act}`)).hits[0]).toMatchObject({ type: "action", reference: `ACT-${act}` });

    const lonely = await makeFactor(db, user, ws.id, number, { text: `Lonely ${factorWord}` });
    expect((await find(factorWord)).total).toBe(1);
    expect(await removeFactor(db, user, ws.id, lonely)).toMatchObject({ ok: true });
    expect((await find(factorWord)).total).toBe(0);
  });

  it("an incident edit carries its tier and areas to its postmortem, factors and actions", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const [billing] = (await listAreas(db, ws.id)).filter((a) => a.slug === "billing");
    const number = await makePostmortem(db, user, ws.id, { title: `Ledger ${w}`, tier: "T1" });
    await savePostmortem(db, user, ws.id, number, { baseVersion: 1, title: `Postmortem ${w}`, body: doc(`About ${w}`) });
    const factorId = await makeFactor(db, user, ws.id, number, { text: `Factor ${w}`, tier: "T1" });
    expect((await createAction(db, user, ws.id, factorId, actionInput({ title: `Action ${w}` }))).ok).toBe(true);
    expect((await find(w, { area: "billing" })).total).toBe(0);

    await updateIncident(db, user, ws.id, number, 1, incidentInput({ title: `Ledger ${w}`, tier: "T3", areaIds: [billing!.id] }));
    const inBilling = await find(w, { area: "billing" });
    expect(inBilling.hits.map((h) => h.type).sort()).toEqual(["action", "factor", "incident", "postmortem"]);
    expect((await find(w, { tier: "T3" })).hits.map((h) => h.type).sort()).toEqual(["incident", "postmortem"]);
  });

  it("ranks a match in the title above a match in the body", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    await makeIncident(db, user, ws.id, { title: "Slow dashboards", impact: `Reports mentioned ${w} in passing.` });
    await makeIncident(db, user, ws.id, { title: `The ${w} cluster ran out of disk`, impact: "Writes failed." });
    const found = await find(w);
    expect(found.hits.map((h) => plain(h.title))).toEqual([`The ${w} cluster ran out of disk`, "Slow dashboards"]);
    expect(found.hits[0]!.title).toContainEqual({ text: w, hit: true });
  });

  it("matches words by prefix while typing, and exact phrases in quotes", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    await makeIncident(db, user, ws.id, { title: `${w} connection pool exhausted on the primary` });
    await makeIncident(db, user, ws.id, { title: `${w} pool for connection retries exhausted` });
    expect((await find(`${w} connec`)).total).toBe(2);
    expect((await find(`${w.slice(0, 8)} exhaus`)).total).toBe(2);
    // A partial word is not stemmed as if it were whole: "flyw" finds Flyway ("fly" alone would stem to "fli").
    await makeIncident(db, user, ws.id, { title: `${w} Flyway migration stuck on a lock` });
    expect((await find(`${w} flyw`)).total).toBe(1);
    expect((await find(`${w} fly`)).total).toBe(1);
    const phrase = await find(`${w} "connection pool exhausted"`);
    expect(phrase.hits.map((h) => plain(h.title))).toEqual([`${w} connection pool exhausted on the primary`]);
    // Unbalanced quotes are read as plain words, not an error.
    expect((await find(`${w} "connection pool`)).total).toBe(2);
  });

  it("filters by type, status, tier, area, tag and date, and counts facets", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const [auth] = (await listAreas(db, ws.id)).filter((a) => a.slug === "auth");
    const a = await makePostmortem(db, user, ws.id, { title: `Login ${w}`, tier: "T2", startedAt: new Date("2026-03-01T10:00:00Z"), detectedAt: null, areaIds: [auth!.id] });
    await makeIncident(db, user, ws.id, { title: `Export ${w}`, tier: "T1", status: "resolved", startedAt: new Date("2026-05-01T10:00:00Z"), detectedAt: null, resolvedAt: new Date("2026-05-01T12:00:00Z") });
    await savePostmortem(db, user, ws.id, a, { baseVersion: 1, title: `Postmortem of the ${w} login outage`, body: doc(w) });

    const all = await find(w);
    expect(all.total).toBe(3);
    expect(all.facets.types).toEqual([
      { value: "incident", count: 2 },
      { value: "postmortem", count: 1 },
    ]);
    expect(all.facets.tiers).toEqual([
      { value: "T1", count: 1 },
      { value: "T2", count: 2 },
    ]);
    expect(all.facets.statuses).toEqual(
      expect.arrayContaining([
        { type: "incident", value: "investigating", count: 1 },
        { type: "incident", value: "resolved", count: 1 },
        { type: "postmortem", value: "draft", count: 1 },
      ]),
    );

    const incidents = await find(w, { type: "incident" });
    expect(incidents.total).toBe(2);
    // Other dimensions' facets follow the type filter; the type facet still shows every type.
    expect(incidents.facets.types.map((t) => t.value)).toEqual(["incident", "postmortem"]);
    expect(incidents.facets.tiers).toEqual([
      { value: "T1", count: 1 },
      { value: "T2", count: 1 },
    ]);
    expect((await find(w, { type: "incident", status: "resolved" })).hits.map((h) => plain(h.title))).toEqual([`Export ${w}`]);
    expect((await find(w, { tier: "T2" })).total).toBe(2);
    expect((await find(w, { area: "auth" })).total).toBe(2);
    expect((await find(w, { from: "2026-04-01" })).hits.map((h) => plain(h.title))).toEqual([`Export ${w}`]);
    expect((await find(w, { to: "2026-03-01" })).total).toBe(2);
    expect((await find(w, { from: "2026-03-02", to: "2026-04-30" })).total).toBe(0);
    expect((await find(w, { sort: "newest" })).hits.map((h) => plain(h.title))[0]).toBe(`Export ${w}`);
  });

  it("never shows one workspace's records in another", async () => {
    const { db, user, find } = await setup();
    const w = word();
    const stranger = await makeUser(db, "Stranger");
    const theirs = await makeWorkspace(db, stranger);
    await makeIncident(db, stranger, theirs.id, { title: `Secret ${w}` });
    expect((await find(w)).total).toBe(0);
    expect(results(await searchWorkspace(db, theirs.id, { q: w })).total).toBe(1);
    void user;
  });

  it("returns titles and snippets as text runs: markup in a record stays text", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const title = `Retry ${w} <script>alert(1)</script> in Map<string, Job> & co`;
    const number = await makePostmortem(db, user, ws.id);
    const hostile = `${w} said <script>alert("x")</script> & <b>bold</b> \u0001not a mark\u0002`;
    await savePostmortem(db, user, ws.id, number, { baseVersion: 1, title, body: doc(hostile) });
    const hit = (await find(w)).hits[0]!;
    expect(plain(hit.title)).toBe(title);
    expect(hit.title.filter((r) => r.hit).map((r) => r.text)).toEqual([w]);
    const snippet = plain(hit.snippet);
    // Postgres drops tags from snippets; what is left is text, and our marks can't be forged.
    expect(snippet).toContain('alert("x")');
    expect(snippet).toContain("not a mark");
    expect(snippet.includes("\u0001") || snippet.includes("\u0002")).toBe(false);
    expect(hit.snippet.filter((r) => r.hit).map((r) => r.text)).toEqual([w]);
  });

  it("finds a record by its reference and puts it first", async () => {
    const { db, user, ws, find } = await setup();
    const first = await makeIncident(db, user, ws.id, { title: "Certificate expired on the edge" });
    await makeIncident(db, user, ws.id, { title: "Follow-up", impact: `Same cause as INC-${first.number}.` });
    const found = await find(`inc ${first.number}`);
    expect(found.hits.map((h) => [h.type, h.reference])).toEqual([
      ["incident", `INC-${first.number}`],
      ["incident", `INC-${first.number + 1}`],
    ]);
  });

  it("answers every odd input with results or a message, never an error", async () => {
    const { db, user, ws } = await setup();
    await makeIncident(db, user, ws.id, { title: "Café crème outage in 東京 region 🔥" });
    const odd = [
      "",
      "   ",
      "x".repeat(10_000),
      "a".repeat(500),
      "& | ! ( ) : * ' \\ <-> <2>",
      "'; drop table search_documents; --",
      "foo:* & !bar | (baz",
      "\"unbalanced",
      "\"\"",
      "the and of",
      "😀 🔥",
      "\u0000\u0001\u0002",
      "東京",
      "café",
      "cafe\u0301",
      "INC-0",
      "ADR-99999999999",
      "%_\\",
      "\ud800",
      Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "),
    ];
    for (const q of odd) {
      const outcome = await searchWorkspace(db, ws.id, { q });
      expect(["empty", "refused", "results"], q.slice(0, 40)).toContain(outcome.kind);
      if (outcome.kind === "refused") expect(outcome.message.length).toBeGreaterThan(10);
    }
    expect((await searchWorkspace(db, ws.id, { q: "x".repeat(10_000) })).kind).toBe("refused");
    expect(results(await searchWorkspace(db, ws.id, { q: "東京" })).total).toBe(1);
    expect(results(await searchWorkspace(db, ws.id, { q: "cafe\u0301" })).total).toBe(1);
    expect(results(await searchWorkspace(db, ws.id, { q: "crème 🔥" })).total).toBe(1);
    expect((await searchWorkspace(db, ws.id, { q: "outage", page: 51 })).kind).toBe("refused");
  });

  it("pages through results without repeats", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    for (let i = 0; i < 7; i++) await makeIncident(db, user, ws.id, { title: `${w} number ${i}` });
    const pages = [await find(w, { pageSize: 3 }), await find(w, { pageSize: 3, page: 2 }), await find(w, { pageSize: 3, page: 3 })];
    expect(pages.map((p) => p.hits.length)).toEqual([3, 3, 1]);
    expect(pages[0]!.pageCount).toBe(3);
    expect(new Set(pages.flatMap((p) => p.hits.map((h) => h.id))).size).toBe(7);
  });

  it("ranks the newest matches when a word is everywhere, says so, and still counts every match", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    // Written in bulk, the way the scale seed does, then indexed from the same view.
    await sql`insert into incidents (workspace_id, number, title, severity, status, tier, impact, started_at, created_by)
              select ${ws.id}, n, 'Bulk incident ' || n, 'SEV3', 'resolved', 'T1', 'Mentions ' || ${w} || ' once.',
                     timestamptz '2026-01-01T00:00:00Z' + n * interval '1 hour', ${user.id}
                from generate_series(1, ${RANKED_CANDIDATES + 10}) as n`.execute(db);
    // The oldest record has the word in its title: outside the newest candidates, so not ranked first.
    await sql`update incidents set title = ${`The ${w} outage`} where workspace_id = ${ws.id} and number = 1`.execute(db);
    expect(await rebuildWorkspaceSearch(db, ws.id)).toBe(RANKED_CANDIDATES + 10);
    const found = await find(w);
    expect(found).toMatchObject({ total: RANKED_CANDIDATES + 10, rankedAll: false, pageCount: RANKED_CANDIDATES / 20 });
    expect(found.facets.types).toEqual([{ value: "incident", count: RANKED_CANDIDATES + 10 }]);
    expect(found.hits[0]!.reference).toBe(`INC-${RANKED_CANDIDATES + 10}`);
    expect((await searchWorkspace(db, ws.id, { q: w, page: RANKED_CANDIDATES / 20 + 1 })).kind).toBe("refused");
    // Narrowed below the limit, ranking is exact again: the title match comes first.
    const narrowed = await find(w, { to: "2026-01-05" });
    expect(narrowed.rankedAll).toBe(true);
    expect(narrowed.hits[0]!.reference).toBe("INC-1");
    const newest = await find(w, { sort: "newest", page: 2 });
    expect(newest.hits[0]!.reference).toBe(`INC-${RANKED_CANDIDATES + 10 - 20}`);
  });

  it("past the count limit, counts are lower bounds and the newest matches are still found", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    await sql`insert into incidents (workspace_id, number, title, severity, status, tier, impact, started_at, created_by)
              select ${ws.id}, n, 'Bulk incident ' || n, 'SEV3', 'resolved', case when n <= 3 then 'T3' else 'T1' end,
                     'Mentions ' || ${w} || ' once.', timestamptz '2026-01-01T00:00:00Z' + n * interval '1 hour', ${user.id}
                from generate_series(1, 30) as n`.execute(db);
    expect(await rebuildWorkspaceSearch(db, ws.id)).toBe(30);

    const exact = await find(w, { countLimit: 30 });
    expect(exact).toMatchObject({ total: 30, countsExact: true, rankedAll: true });

    const capped = await find(w, { countLimit: 10 });
    expect(capped.countsExact).toBe(false);
    expect(capped.rankedAll).toBe(false);
    // Lower bounds: the facets count the sample (one past the limit, so "more than 10" is known);
    // the total is the larger of that and the matches found for the page.
    const counted = capped.facets.types[0]!.count;
    expect(capped.facets.types).toEqual([{ value: "incident", count: counted }]);
    expect(counted).toBeGreaterThanOrEqual(11);
    expect(capped.facets.tiers.reduce((n, t) => n + t.count, 0)).toBe(counted);
    expect(capped.total).toBe(30);
    // The newest matches come from the newest-first walk, not from the sample the counts saw.
    expect(capped.hits.map((h) => h.reference).slice(0, 3)).toEqual(["INC-30", "INC-29", "INC-28"]);
    expect(capped.pageCount).toBe(2);
    expect((await find(w, { countLimit: 10, page: 2 })).hits.map((h) => h.reference)).toEqual(
      Array.from({ length: 10 }, (_, i) => `INC-${10 - i}`),
    );
    expect((await find(w, { countLimit: 10, sort: "newest" })).hits[0]!.reference).toBe("INC-30");

    // A filter that the sample barely saw still finds every one of its matches.
    const t3 = await find(w, { countLimit: 10, tier: "T3" });
    expect(t3.hits.map((h) => h.reference)).toEqual(["INC-3", "INC-2", "INC-1"]);
    expect(t3.total).toBe(3);
    expect(t3.countsExact).toBe(false);
  });

  it("past the limit, a kind of record only the newest matches hold still gets its facet", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    await sql`insert into incidents (workspace_id, number, title, severity, status, tier, impact, started_at, created_by)
              select ${ws.id}, n, 'Bulk incident ' || n, 'SEV3', 'resolved', 'T1', 'Mentions ' || ${w} || ' once.',
                     timestamptz '2026-01-01T00:00:00Z' + n * interval '1 hour', ${user.id}
                from generate_series(1, 30) as n`.execute(db);
    await rebuildWorkspaceSearch(db, ws.id);
    // The newest record, and the only T3 one.
    const fresh = await sql<{ id: string }>`
      insert into incidents (workspace_id, number, title, severity, status, tier, impact, started_at, created_by)
      values (${ws.id}, 31, ${`Fresh ${w}`}, 'SEV2', 'resolved', 'T3', '', timestamptz '2026-06-01T00:00:00Z', ${user.id})
      returning id`.execute(db);
    await db.transaction().execute((trx) => refreshSearchDocument(trx, "incident", fresh.rows[0]!.id));
    // A sample of one record holds one kind (T1 or T3) whatever the table's order: the other
    // tier's facet can only come from the walk.
    const capped = await find(w, { countLimit: 0 });
    expect(capped.countsExact).toBe(false);
    expect(capped.hits[0]!.reference).toBe("INC-31");
    expect(capped.facets.tiers.map((t) => t.value)).toEqual(["T1", "T3"]);
  });

  it("checks a quoted phrase's word order within the limit, and past it still shows the phrase's matches", async () => {
    const { db, user, ws, find } = await setup();
    const [a, b] = [word(), word()];
    await sql`insert into incidents (workspace_id, number, title, severity, status, tier, impact, started_at, created_by)
              select ${ws.id}, n, 'Bulk incident ' || n, 'SEV3', 'resolved', 'T1',
                     case when n <= 2 then ${b} || ' ' || ${a} else ${a} || ' then ' || ${b} end,
                     timestamptz '2026-01-01T00:00:00Z' + n * interval '1 hour', ${user.id}
                from generate_series(1, 25) as n`.execute(db);
    await rebuildWorkspaceSearch(db, ws.id);
    const phrase = `"${b} ${a}"`;
    expect(await find(phrase)).toMatchObject({ total: 2, countsExact: true });
    const capped = await find(phrase, { countLimit: 5 });
    expect(capped.countsExact).toBe(false);
    expect(capped.hits.map((h) => h.reference)).toEqual(["INC-2", "INC-1"]);
    expect((await find(`${a} ${b}`, { countLimit: 5 })).hits).toHaveLength(20);
  });

  it("answers area and tag filters from the index, and a typed word never matches a filter", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const [billing] = (await listAreas(db, ws.id)).filter((a) => a.slug === "billing");
    await makeIncident(db, user, ws.id, { title: `Invoices ${w}`, areaIds: [billing!.id] });
    await makeIncident(db, user, ws.id, { title: `Exports ${w}` });
    expect((await find(w, { area: "billing" })).hits.map((h) => plain(h.title))).toEqual([`Invoices ${w}`]);
    expect((await find(w, { area: "auth" })).total).toBe(0);
    // The filter's lexeme is "#area:billing": no word typed in the box reaches it.
    for (const q of ["#area", "area billing", "area:billing"]) {
      expect((await find(`${w} ${q}`)).hits.map((h) => plain(h.title)), q).not.toContain(`Exports ${w}`);
    }
    // Values are only ever values, whatever they hold.
    for (const hostile of ["bill'ing", "a\\b", "x & y | !z", "':*", "", " "]) {
      expect((await find(w, { area: hostile, tag: hostile })).total, hostile).toBe(hostile ? 0 : 2);
    }
  });

  it("makes a snippet from where the word is, even deep in a long record", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const row = await db
      .insertInto("decision_records")
      .values({
        workspace_id: ws.id,
        kind: "adr",
        number: 1,
        title: "Queue retention",
        status: "accepted",
        deciders: JSON.stringify(["Ada"]),
        decided_on: "2026-02-03",
        tags: JSON.stringify([]),
        template: "madr",
        body: JSON.stringify(doc("Context")),
        body_text: `${"Background paragraph about retention windows. ".repeat(600)}We keep ${w} for thirty days. Closing notes.`,
        created_by: user.id,
        updated_by: user.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.transaction().execute((trx) => refreshSearchDocument(trx, "decision", row.id));
    const [hit] = (await find(w)).hits;
    expect(hit!.snippet.filter((r) => r.hit).map((r) => r.text)).toEqual([w]);
    expect(plain(hit!.snippet)).toContain(`We keep ${w} for thirty days`);
  });

  it("decision records are findable once written, and superseding shows at once", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const details = { status: "accepted" as const, deciders: ["Platform lead"], decidedOn: "2026-03-04", tags: ["infra"] };
    const older = await createDecision(db, user, ws.id, { ...details, kind: "adr", template: "madr", title: `Queue on ${w}`, supersedes: null });
    expect(older.ok).toBe(true);
    if (!older.ok) return;
    expect((await find(w)).hits.map((h) => [h.type, h.reference, h.status, h.path])).toEqual([["decision", older.ref, "accepted", `decisions/${older.ref}`]]);
    const newer = await createDecision(db, user, ws.id, { ...details, kind: "adr", template: "madr", title: `Move off ${w}`, supersedes: older.ref });
    expect(newer.ok).toBe(true);
    expect((await find(w, { status: "superseded" })).hits.map((h) => h.reference)).toEqual([older.ref]);
    const saved = await saveDecision(db, user, ws.id, { kind: "adr", number: older.number }, { baseVersion: 1, title: `Queue on ${w}`, body: doc("We chose lanternfish.") });
    expect(saved.ok).toBe(true);
    expect((await find("lanternfish")).hits.map((h) => h.reference)).toContain(older.ref);
  });

  it("offers the building blocks too: a document read from its record, stored and removed", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const { number } = await makeIncident(db, user, ws.id, { title: `Blocks ${w}` });
    const row = await db.selectFrom("incidents").select("id").where("workspace_id", "=", ws.id).where("number", "=", number).executeTakeFirstOrThrow();
    const doc = await searchDocumentForIncident(db, row.id);
    expect(doc).toMatchObject({ entity_type: "incident", entity_id: row.id, reference: `INC-${number}`, title: `Blocks ${w}`, workspace_id: ws.id });
    await db.transaction().execute((trx) => removeSearchDocument(trx, "incident", row.id));
    expect((await find(w)).total).toBe(0);
    await db.transaction().execute((trx) => indexSearchDocument(trx, { ...doc!, title: `Blocks ${w} rebuilt` }));
    expect((await find(`${w} rebuilt`)).total).toBe(1);
  });

  it("indexes decision records from the same definition", async () => {
    const { db, user, ws, find } = await setup();
    const w = word();
    const row = await db
      .insertInto("decision_records")
      .values({
        workspace_id: ws.id,
        kind: "adr",
        number: 7,
        title: `Use ${w} for queues`,
        status: "accepted",
        deciders: JSON.stringify(["Ada", "Grace"]),
        decided_on: "2026-02-03",
        tags: JSON.stringify(["messaging", "infra"]),
        template: "madr",
        body: JSON.stringify(doc("Context")),
        body_text: "We need durable queues.",
        created_by: user.id,
        updated_by: user.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.transaction().execute((trx) => refreshSearchDocument(trx, "decision", row.id));
    const hit = (await find(w, { tag: "messaging", from: "2026-02-03", to: "2026-02-03" })).hits[0];
    expect(hit).toMatchObject({ type: "decision", reference: "ADR-7", status: "accepted", path: "decisions/ADR-7" });
    expect((await find("grace durable", { type: "decision" })).hits.map((h) => h.id)).toContain(row.id);
  });
});

describe("search upgrade [pglite]", () => {
  it("records written before search existed are findable after the upgrade", async () => {
    const db = openDatabase({ engine: "pglite", dataDir: null });
    try {
      const before = Object.keys(migrations).filter((name) => name < "0006");
      const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
      const result = await migrator.migrateTo(before[before.length - 1]!);
      if (result.error) throw result.error;
      const admin = await makeAdmin(db);
      const ws = await createWorkspace(db, admin, { name: "Old", slug: unique("old").toLowerCase().slice(0, 30) });
      if (!ws.ok) throw new Error("workspace");
      await sql`insert into incidents (workspace_id, number, title, severity, status, tier, started_at, created_by)
                values (${ws.workspace.id}, 1, 'Legacy replication lag', 'SEV2', 'resolved', 'T3', now(), ${admin.id})`.execute(db);
      await sql`insert into incident_areas (incident_id, area_id)
                select i.id, a.id from incidents i join areas a on a.workspace_id = i.workspace_id and a.slug = 'data-access'
                 where i.workspace_id = ${ws.workspace.id}`.execute(db);
      await migrateToLatest(db as never);
      const found = results(await searchWorkspace(db, ws.workspace.id, { q: "replication" }));
      expect(found.hits.map((h) => h.reference)).toEqual(["INC-1"]);
      // 0008 regenerated the vectors with area lexemes, so the area filter finds it.
      expect(results(await searchWorkspace(db, ws.workspace.id, { q: "replication", area: "data-access" })).total).toBe(1);
      expect(results(await searchWorkspace(db, ws.workspace.id, { q: "replication", area: "billing" })).total).toBe(0);
    } finally {
      await closeDatabase(db);
    }
  });
});

async function makeAdmin(db: Db): Promise<PublicUser> {
  const row = await db
    .insertInto("users")
    .values({ email: `${unique("old")}@example.test`.toLowerCase(), display_name: "Old Admin", password_hash: "x" })
    .returning(["id", "email", "display_name"])
    .executeTakeFirstOrThrow();
  return row as PublicUser;
}
