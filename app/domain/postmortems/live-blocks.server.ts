/**
 * A postmortem's live blocks rendered from its records (docs/decisions/0025): the contributing
 * factors as a list and the guardrail actions as a table, as document blocks, so the read page,
 * the Markdown export and the print view render them with the one document renderer.
 */
import type { Db } from "#db/connection";
import type { DocumentJSON, DocumentNodeJSON } from "#db/schema";
import { expandTrackedBlocks, type TrackedKind } from "~/domain/documents/index.server";
import { ACTION_KINDS, ACTION_STATUSES, actionReference, FACTOR_CATEGORIES, factorsOfPostmortem, GATE_INVOLVEMENTS } from "~/domain/guardrails/index.server";

export type TrackedFactors = Awaited<ReturnType<typeof factorsOfPostmortem>>;

const text = (value: string, marks?: DocumentNodeJSON["marks"]): DocumentNodeJSON => ({ type: "text", text: value.replace(/\s+/g, " ") || "—", ...(marks ? { marks } : {}) });
const paragraph = (...content: DocumentNodeJSON[]): DocumentNodeJSON => ({ type: "paragraph", content });
const cell = (type: "tableHeader" | "tableCell", ...content: DocumentNodeJSON[]): DocumentNodeJSON => ({ type, content: [paragraph(...content)] });

function factorList(factors: TrackedFactors): DocumentNodeJSON[] {
  if (!factors.length) return [paragraph(text("No contributing factors recorded yet."))];
  return [
    {
      type: "bulletList",
      content: factors.map((f) => {
        const after: string[] = [];
        if (f.gates.length) after.push(`Gates: ${f.gates.map((g) => `${g.name} ${GATE_INVOLVEMENTS[g.involvement]}`).join("; ")}.`);
        if (f.actions.length) after.push(`Actions: ${f.actions.map((a) => actionReference(a.number)).join(", ")}.`);
        else if (f.no_action_reason) after.push(`No action needed: ${f.no_action_reason}`);
        else after.push("No guardrail action yet.");
        return { type: "listItem", content: [paragraph(text(FACTOR_CATEGORIES[f.category], [{ type: "bold" }]), text(` (${f.tier}): ${f.text.trim()} ${after.join(" ")}`))] };
      }),
    },
  ];
}

/** " · ACT-7 ↔ PLAT-123" after an action with an issue in the team's tracker, the key linked to the issue (issue 19). */
function trackerKey(action: TrackedFactors[number]["actions"][number]): DocumentNodeJSON[] {
  if (!action.tracker_key) return [];
  const safeUrl = action.tracker_url && /^https?:\/\//i.test(action.tracker_url) ? action.tracker_url : null;
  return [text(` · ${actionReference(action.number)} ↔ `), text(action.tracker_key, safeUrl ? [{ type: "link", attrs: { href: safeUrl } }] : undefined)];
}

function actionTable(slug: string, factors: TrackedFactors): DocumentNodeJSON[] {
  const actions = factors.flatMap((f) => f.actions);
  if (!actions.length) return [paragraph(text("No guardrail actions yet."))];
  const header = ["Action", "Kind", "Owner", "Due", "Status"].map((h) => cell("tableHeader", text(h)));
  const rows = actions.map((a) => ({
    type: "tableRow",
    content: [
      cell(
        "tableCell",
        text(`${actionReference(a.number)} ${a.title}`, [{ type: "link", attrs: { href: `/w/${slug}/guardrails/actions/${a.number}` } }]),
        ...trackerKey(a),
      ),
      cell("tableCell", text(ACTION_KINDS[a.kind])),
      cell("tableCell", text(a.owner_name ?? "No owner")),
      cell("tableCell", text(a.due_on ?? "—")),
      cell("tableCell", text(ACTION_STATUSES[a.status])),
    ],
  }));
  return [{ type: "table", content: [{ type: "tableRow", content: header }, ...rows] }];
}

/** The body with its live blocks replaced by the records, ready for renderDocumentHtml or documentToMarkdown. */
export function withTrackedRecords(body: DocumentJSON, slug: string, factors: TrackedFactors): DocumentJSON {
  return expandTrackedBlocks(body, (kind: TrackedKind) => (kind === "factors" ? factorList(factors) : actionTable(slug, factors)));
}

/** Loads a postmortem's factors and expands its body with them. */
export async function expandPostmortemBody(db: Db, workspace: { id: string; slug: string }, postmortemId: string, body: DocumentJSON): Promise<DocumentJSON> {
  if (!(body.content ?? []).some((b) => b.type === "trackedRecords")) return body;
  return withTrackedRecords(body, workspace.slug, await factorsOfPostmortem(db, workspace.id, postmortemId));
}
