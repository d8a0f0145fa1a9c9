/**
 * The guardrails board's views and pages, the gate list's incident count and the decision log's
 * pages, on both engines. 1,600 actions (more than the 500 the board used to stop at) are written
 * straight into the table with known owners, areas, tiers, gates, statuses and dates; every view
 * is compared with the same rule applied to those rows in JavaScript, and walking the pages must
 * give each matching action exactly once, in the board's order.
 */
import { beforeAll, expect, test } from "vitest";
import type { Db } from "#db/connection";
import type { ActionStatus } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { addDecisionLink, createDecision, decisionLogPage, decodeDecisionCursor, encodeDecisionCursor, linkedRecords, withImplementedDecisions } from "~/domain/decisions/index.server";
import {
  type BoardCursor,
  type BoardFilters,
  boardTotals,
  createAction,
  createGate,
  decodeBoardCursor,
  encodeBoardCursor,
  guardrailBoard,
  guardrailCounts,
  listGates,
} from "~/domain/guardrails/index.server";
import { listAreas } from "~/domain/workspaces/index.server";
import { parseBoardView } from "~/domain/guardrails/forms";
import { boardQuery } from "~/domain/guardrails/rules";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { actionInput, makeAction, makeFactor, makePostmortem } from "../support/guardrails";

const TODAY = "2026-11-26";
const STATUSES: ActionStatus[] = ["open", "in_progress", "done", "verified", "wont_do"];
const N = 1600;

type Plain = {
  id?: string;
  number: number;
  incident: number;
  owner: PublicUser | null;
  gate: { id: string; name: string } | null;
  status: ActionStatus;
  due: string | null;
  drift: boolean;
  created: Date;
  done: Date | null;
  verified: Date | null;
  byPerson: boolean;
};

const day = (offset: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describeEachEngine("guardrails board views and pages", (testDb) => {
  let db: Db;
  let ada: PublicUser;
  let bea: PublicUser;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let gates: { id: string; name: string; state: string }[];
  let incidents: { number: number; tier: string; severity: string; areas: { slug: string; name: string; id: string }[] }[];
  let rows: Plain[];

  beforeAll(async () => {
    db = testDb();
    ada = await makeUser(db, "Ada Admin");
    bea = await makeUser(db, "Bea Owner");
    const ws = await makeWorkspace(db, ada);
    workspaceId = ws.id;
    otherWorkspaceId = (await makeWorkspace(db, ada)).id;
    await addMember(db, workspaceId, ada, bea, "editor");
    const areas = (await listAreas(db, workspaceId)).slice(0, 2).map((a) => ({ slug: a.slug, name: a.name, id: a.id }));
    incidents = [
      { number: 0, tier: "T1", severity: "SEV3", areas: [areas[0]!] },
      { number: 0, tier: "T2", severity: "SEV1", areas: [areas[0]!, areas[1]!] },
      { number: 0, tier: "T3", severity: "SEV2", areas: [] },
    ];
    const factors: string[] = [];
    for (const inc of incidents) {
      inc.number = await makePostmortem(db, ada, workspaceId, { tier: inc.tier as "T1", severity: inc.severity as "SEV1", areaIds: inc.areas.map((a) => a.id) });
      factors.push(await makeFactor(db, ada, workspaceId, inc.number));
    }
    gates = [];
    for (const name of ["Contract tests", "Migration dry run"]) {
      const gate = await createGate(db, ada, workspaceId, { name, kind: "ci_check", repository: "acme/api", checkName: name.toLowerCase(), tiers: [], status: "enforced", description: "" });
      if (!gate.ok) throw new Error("gate refused");
      gates.push({ id: gate.id, name, state: "proposed" });
    }
    // The second gate drifted: its actions are "regressed" whatever their own status.
    await db.updateTable("gates").set({ state: "regressed" }).where("id", "=", gates[1]!.id).execute();
    gates[1]!.state = "regressed";

    rows = [];
    for (let n = 0; n < N; n++) {
      const status = STATUSES[n % 5]!;
      const created = new Date(Date.parse("2026-06-01T09:00:00Z") + n * 3 * 3_600_000);
      const done = status === "done" || status === "verified" ? new Date(created.getTime() + 5 * 86_400_000) : null;
      rows.push({
        number: 1000 + n,
        incident: n % 3,
        owner: [null, ada, bea][Math.floor(n / 3) % 3]!,
        gate: [null, gates[0]!, gates[1]!][Math.floor(n / 9) % 3]!,
        status,
        due: n % 7 === 0 ? null : day((n % 41) - 20),
        drift: status === "in_progress" && n % 4 === 0,
        created,
        done,
        verified: status === "verified" ? new Date(done!.getTime() + 86_400_000) : null,
        byPerson: n % 2 === 0,
      });
    }
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insertInto("guardrail_actions")
        .values(
          rows.slice(i, i + 200).map((r) => ({
            workspace_id: workspaceId,
            number: r.number,
            factor_id: factors[r.incident]!,
            title: `Guardrail ${r.number}`,
            kind: "better_test" as const,
            owner_id: r.owner?.id ?? null,
            due_on: r.due,
            status: r.status,
            gate_id: r.gate?.id ?? null,
            drift_reason: r.drift ? "Gate regressed." : null,
            created_at: r.created,
            done_at: r.done,
            verified_at: r.verified,
            verified_by: r.verified && r.byPerson ? ada.id : null,
            evidence_note: r.verified ? "Seen passing on main" : null,
            wont_do_reason: r.status === "wont_do" ? "Covered by the platform's own check" : null,
            created_by: ada.id,
          })),
        )
        .execute();
    }
  });

  const isClosed = (r: Plain) => r.status === "done" || r.status === "verified" || r.status === "wont_do";
  const isOverdue = (r: Plain) => !isClosed(r) && r.due !== null && r.due < TODAY;
  const isRegressed = (r: Plain) => r.drift || r.gate?.id === gates[1]!.id;
  const boardOrder = (a: Plain, b: Plain) =>
    Number(isClosed(a)) - Number(isClosed(b)) ||
    Number(!isOverdue(a)) - Number(!isOverdue(b)) ||
    (a.due ?? "9999-12-31").localeCompare(b.due ?? "9999-12-31") ||
    a.number - b.number;

  /** Every page of a view, walked by its cursors (each cursor passing through the address's encoding). */
  async function walk(filters: BoardFilters, limit = 100) {
    const seen: { number: number; group: string | null }[] = [];
    let after: BoardCursor | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await guardrailBoard(db, workspaceId, filters, { after, limit }, TODAY);
      seen.push(...page.actions.map((a) => ({ number: a.number, group: a.group_id })));
      if (!page.next) return seen;
      expect(page.actions).toHaveLength(limit);
      after = decodeBoardCursor(encodeBoardCursor(page.next));
    }
    throw new Error("too many pages");
  }

  test("the default view pages past 500 rows: every open action once, overdue first, then by due date", async () => {
    const expected = rows.filter((r) => !isClosed(r)).sort(boardOrder).map((r) => r.number);
    expect(expected.length).toBeGreaterThan(500);
    const seen = await walk({ status: "open" });
    expect(seen.map((s) => s.number)).toEqual(expected);
    expect((await boardTotals(db, workspaceId, { status: "open" }, TODAY)).total).toBe(expected.length);
    // The whole board too, closed work after open work.
    const all = await walk({ status: "all" }, 250);
    expect(all.map((s) => s.number)).toEqual([...rows].sort(boardOrder).map((r) => r.number));
  });

  test("each filter lists exactly the actions its rule selects", async () => {
    const cases: [BoardFilters, (r: Plain) => boolean][] = [
      [{ status: "overdue" }, isOverdue],
      [{ status: "regressed" }, isRegressed],
      [{ status: "done" }, (r) => r.status === "done"],
      [{ status: "verified" }, (r) => r.status === "verified"],
      [{ status: "wont_do" }, (r) => r.status === "wont_do"],
      [{ status: "closed" }, isClosed],
      [{ status: "all", ownerId: bea.id }, (r) => r.owner?.id === bea.id],
      [{ status: "open", ownerId: null }, (r) => !isClosed(r) && r.owner === null],
      [{ status: "all", areaSlugs: [incidents[1]!.areas[1]!.slug] }, (r) => r.incident === 1],
      [{ status: "all", areaSlugs: [incidents[0]!.areas[0]!.slug] }, (r) => r.incident === 0 || r.incident === 1],
      [{ status: "all", tier: "T3" }, (r) => r.incident === 2],
      [{ status: "all", severity: "SEV1" }, (r) => r.incident === 1],
      [{ status: "all", gateId: gates[0]!.id }, (r) => r.gate?.id === gates[0]!.id],
      [{ status: "all", gateId: null }, (r) => r.gate === null],
      [{ status: "overdue", ownerId: ada.id, tier: "T1" }, (r) => isOverdue(r) && r.owner?.id === ada.id && r.incident === 0],
      [{ status: "all", dates: { field: "opened", from: "2026-07-01", to: "2026-07-31" } }, (r) => r.created.toISOString().slice(0, 7) === "2026-07"],
      [{ status: "all", dates: { field: "done", from: "2026-08-01", to: "2026-08-10" } }, (r) => r.done !== null && r.done.toISOString().slice(0, 10) >= "2026-08-01" && r.done.toISOString().slice(0, 10) <= "2026-08-10"],
      [{ status: "verified", verifiedBy: "gate" }, (r) => r.status === "verified" && !r.byPerson],
      [{ status: "verified", verifiedBy: "person" }, (r) => r.status === "verified" && r.byPerson],
    ];
    for (const [filters, rule] of cases) {
      const expected = rows.filter(rule).sort(boardOrder).map((r) => r.number);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      const seen = await walk(filters, 500);
      expect(seen.map((s) => s.number), JSON.stringify(filters)).toEqual(expected);
      expect((await boardTotals(db, workspaceId, filters, TODAY)).total, JSON.stringify(filters)).toBe(expected.length);
    }
    expect(await walk({ status: "all" }).then((s) => s.length)).toBe(N);
    expect(await guardrailBoard(db, otherWorkspaceId, { status: "all" }, {}, TODAY)).toEqual({ actions: [], next: null });
  });

  test("the cards count what their views list", async () => {
    const counts = await guardrailCounts(db, workspaceId, TODAY);
    expect(counts).toEqual({
      open: rows.filter((r) => !isClosed(r)).length,
      overdue: rows.filter(isOverdue).length,
      regressed: rows.filter(isRegressed).length,
      awaiting_verification: rows.filter((r) => r.status === "done").length,
      verified: rows.filter((r) => r.status === "verified").length,
    });
    for (const [status, n] of [["open", counts.open], ["overdue", counts.overdue], ["regressed", counts.regressed], ["done", counts.awaiting_verification], ["verified", counts.verified]] as const) {
      expect((await boardTotals(db, workspaceId, { status }, TODAY)).total).toBe(n);
    }
  });

  test("grouped by owner, gate or area: groups in name order, the unnamed last, each group in the board's order", async () => {
    const open = rows.filter((r) => !isClosed(r));
    const byOwner = await walk({ status: "open", group: "owner" });
    const ownerRank = (r: Plain) => (r.owner === null ? 2 : r.owner.id === ada.id ? 0 : 1);
    expect(byOwner.map((s) => s.number)).toEqual([...open].sort((a, b) => ownerRank(a) - ownerRank(b) || boardOrder(a, b)).map((r) => r.number));
    const totals = await boardTotals(db, workspaceId, { status: "open", group: "owner" }, TODAY);
    expect(totals.groups.get(bea.id)).toBe(open.filter((r) => r.owner?.id === bea.id).length);
    expect(totals.groups.get("")).toBe(open.filter((r) => r.owner === null).length);

    const byGate = await walk({ status: "overdue", group: "gate" }, 50);
    const gateRank = (r: Plain) => (r.gate === null ? 2 : r.gate.id === gates[0]!.id ? 0 : 1);
    expect(byGate.map((s) => s.number)).toEqual(rows.filter(isOverdue).sort((a, b) => gateRank(a) - gateRank(b) || boardOrder(a, b)).map((r) => r.number));

    // An incident of two areas lists its actions under each; one of none under "no area".
    const byArea = await walk({ status: "open", group: "area" });
    const [first, second] = [...incidents[1]!.areas].sort((a, b) => a.name.localeCompare(b.name));
    const inArea = (id: string) => open.filter((r) => incidents[r.incident]!.areas.some((a) => a.id === id)).sort(boardOrder).map((r) => r.number);
    expect(byArea.map((s) => s.number)).toEqual([...inArea(first!.id), ...inArea(second!.id), ...open.filter((r) => r.incident === 2).sort(boardOrder).map((r) => r.number)]);
    expect((await boardTotals(db, workspaceId, { status: "open", group: "area" }, TODAY)).total).toBe(open.length);
  });

  test("a malformed or foreign cursor reads as the first page", async () => {
    const first = await guardrailBoard(db, workspaceId, { status: "open" }, { limit: 5 }, TODAY);
    for (const bad of ["", "not-base64!", Buffer.from("[1,2]").toString("base64url"), Buffer.from('["owner",0,"x","y",0,0,"2026-01-01",1]').toString("base64url")]) {
      const page = await guardrailBoard(db, workspaceId, { status: "open" }, { after: decodeBoardCursor(bad), limit: 5 }, TODAY);
      expect(page.actions.map((a) => a.number)).toEqual(first.actions.map((a) => a.number));
    }
  });

  test("the address says the view, and says it back", () => {
    const params = new URLSearchParams("status=overdue&owner=none&area=b&area=a&area=Bad%20Slug&tier=T2&gate=none&group=owner&dates=done&from=2026-01-01&to=2026-13-01&verifiedBy=person&severity=SEV9");
    const view = parseBoardView(params);
    expect(view).toEqual({ status: "overdue", owner: "none", areas: ["a", "b"], tier: "T2", gate: "none", group: "owner", dates: "done", from: "2026-01-01", to: undefined, verifiedBy: "person", severity: undefined });
    expect(parseBoardView(new URLSearchParams(boardQuery(view)))).toEqual(view);
    expect(parseBoardView(new URLSearchParams("status=bogus"))).toMatchObject({ status: "open", areas: [], dates: "opened" });
  });
});

describeEachEngine("gates and decisions beside the board", (testDb) => {
  test("a gate proposed by an incident's action counts that incident; a gate named by factors counts theirs, each once", async () => {
    const db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const first = await makePostmortem(db, admin, ws.id);
    const second = await makePostmortem(db, admin, ws.id);
    const factor = await makeFactor(db, admin, ws.id, first);
    const proposed = await createAction(db, admin, ws.id, factor, actionInput({ newGate: { name: "Schema diff check", kind: "ci_check", repository: "acme/api", checkName: "schema-diff", tiers: [], status: "proposed", description: "" } }));
    expect(proposed.ok).toBe(true);
    const gateOf = async (name: string) => (await listGates(db, ws.id)).find((g) => g.name === name)!;
    expect((await gateOf("Schema diff check")).incident_count).toBe(1);
    // Named by a factor of the same incident (no double count), then by one of another incident.
    const schemaGate = await gateOf("Schema diff check");
    await makeFactor(db, admin, ws.id, first, { text: "Schema changes went out unchecked", gates: [{ gateId: schemaGate.id, involvement: "missing" }] });
    expect((await gateOf("Schema diff check")).incident_count).toBe(1);
    await makeFactor(db, admin, ws.id, second, { text: "Again a schema change went out unchecked", gates: [{ gateId: schemaGate.id, involvement: "missing" }] });
    expect((await gateOf("Schema diff check")).incident_count).toBe(2);
    expect((await gateOf("Schema diff check")).action_count).toBe(1);
    // The gate list filters by evidence state and tier.
    expect((await listGates(db, ws.id, { state: "proposed" })).map((g) => g.name)).toEqual(["Schema diff check"]);
    expect(await listGates(db, ws.id, { state: "regressed" })).toEqual([]);
    expect(await listGates(db, ws.id, { tier: "T2" })).toEqual([]);
  });

  test("an action shows the decision records linked to it", async () => {
    const db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const factor = await makeFactor(db, admin, ws.id, await makePostmortem(db, admin, ws.id));
    const number = await makeAction(db, admin, ws.id, factor);
    const record = await createDecision(db, admin, ws.id, { kind: "adr", template: "madr", title: "Contract tests gate every payment change", status: "accepted", deciders: [], decidedOn: null, tags: [], supersedes: null });
    if (!record.ok) throw new Error("decision refused");
    const linked = await addDecisionLink(db, admin, ws.id, { kind: "adr", number: record.number }, "implements", `ACT-${number}`);
    expect(linked).toEqual({ ok: true });
    const page = await guardrailBoard(db, ws.id, { status: "all" });
    expect((await withImplementedDecisions(db, ws.id, page.actions))[0]!.decisions).toEqual([{ ref: `ADR-${record.number}`, title: "Contract tests gate every payment change" }]);
    const action = page.actions[0]!;
    expect((await linkedRecords(db, ws.id, "action", [action.id])).get(action.id)).toEqual([
      { ref: `ADR-${record.number}`, kind: "adr", number: record.number, title: "Contract tests gate every payment change", status: "accepted", link: "implements" },
    ]);
  });

  test("the decision log pages past 500 records, ADRs then RFCs, newest first, each once", async () => {
    const db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const values = [
      ...Array.from({ length: 560 }, (_, i) => ({ kind: "adr" as const, number: i })),
      ...Array.from({ length: 90 }, (_, i) => ({ kind: "rfc" as const, number: i })),
    ];
    for (let i = 0; i < values.length; i += 200) {
      await db
        .insertInto("decision_records")
        .values(
          values.slice(i, i + 200).map((v) => ({
            workspace_id: ws.id,
            kind: v.kind,
            number: v.number,
            title: `${v.kind} ${v.number}`,
            template: "madr",
            body: JSON.stringify({ type: "doc", content: [] }),
            body_text: "",
            created_by: admin.id,
            updated_by: admin.id,
          })),
        )
        .execute();
    }
    const seen: string[] = [];
    let after = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: Awaited<ReturnType<typeof decisionLogPage>> = await decisionLogPage(db, ws.id, {}, after, 100);
      seen.push(...page.decisions.map((d) => d.ref));
      if (!page.next) break;
      after = decodeDecisionCursor(encodeDecisionCursor(page.next));
    }
    const expected = [...values.filter((v) => v.kind === "adr").reverse(), ...values.filter((v) => v.kind === "rfc").reverse()].map((v) => `${v.kind.toUpperCase()}-${v.number}`);
    expect(seen).toEqual(expected);
    expect(decodeDecisionCursor("adr-x")).toBeNull();
    expect((await decisionLogPage(db, ws.id, { kind: "rfc" }, decodeDecisionCursor("rfc-10"), 100)).decisions.map((d) => d.number)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });
});
