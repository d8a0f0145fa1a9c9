/**
 * A postmortem's live blocks (ADR 25) through the database: a new postmortem holds its tracked
 * factors and actions as blocks, exports and prints them from the records, reads its exported
 * Markdown back as the same blocks, and points out sections still holding only guidance.
 */
import { expect, it } from "vitest";
import { collapseTrackedMarkers, markdownToDocument, trackedKindsIn, type DocumentJSON } from "~/domain/documents/index.server";
import { updateFactor } from "~/domain/guardrails/index.server";
import { findPostmortem, postmortemMarkdown, postmortemPrintHtml, savePostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor } from "../support/guardrails";
import { makeIncident } from "../support/incidents";

describeEachEngine("Live blocks in postmortems", (testDb) => {
  async function started(template = "google-sre") {
    const db = testDb();
    const actor = await makeUser(db, "Writer");
    const ws = await makeWorkspace(db, actor);
    const { number } = await makeIncident(db, actor, ws.id, { tier: "T2" });
    expect(await startPostmortem(db, actor, ws.id, number, template)).toEqual({ ok: true });
    return { db, actor, ws, number };
  }

  it("a postmortem started from a template shows its tracked records where the sections are, in Markdown and print", async () => {
    const { db, actor, ws, number } = await started();
    const pm = (await findPostmortem(db, ws.id, number))!;
    expect(trackedKindsIn(pm.body as DocumentJSON)).toEqual(["factors", "actions"]);

    const factorId = await makeFactor(db, actor, ws.id, number, { text: "Config changes skip the canary stage", category: "missing_gate" });
    const act = await makeAction(db, actor, ws.id, factorId, { title: "Canary for config pushes" });
    const edited = await updateFactor(db, actor, ws.id, factorId, { text: "Config changes skip the canary stage entirely", category: "missing_gate", tier: "T2", gates: [], pullRequestUrls: [] });
    expect(edited).toEqual({ ok: true, id: factorId });

    const { markdown } = (await postmortemMarkdown(db, ws.id, number))!;
    expect(markdown).toMatch(/## Contributing factors\n\n<!-- hindsight:factors -->\n\n- \*\*Missing gate\*\* \(T2\): Config changes skip the canary stage entirely Actions: ACT-\d+\.\n\n<!-- \/hindsight:factors -->/);
    expect(markdown).toContain(`| [ACT-${act} Canary for config pushes](/w/${ws.slug}/guardrails/actions/${act}) |`);
    // Guidance is not text: nothing of it in the export.
    expect(markdown).not.toContain("In two or three sentences");

    const html = (await postmortemPrintHtml(db, ws.id, number))!;
    expect(html).toContain("Config changes skip the canary stage entirely");
    expect(html).toContain(`ACT-${act} Canary for config pushes`);

    // The export reads back as the live blocks, not as a copy of the records.
    const body = markdown.slice(markdown.indexOf("## Summary"), markdown.indexOf("## Incident timeline"));
    const back = collapseTrackedMarkers(markdownToDocument(body));
    expect(trackedKindsIn(back)).toEqual(["factors", "actions"]);
    expect(JSON.stringify(back)).not.toContain("canary stage entirely");
  });

  it("points out sections that still hold only guidance, and stops once they are written", async () => {
    const { db, actor, ws, number } = await started("lightweight");
    const before = (await findPostmortem(db, ws.id, number))!;
    // "Why it got through" holds the live factors block: that is content.
    expect(before.warnings).toEqual(["“What happened”, “Impact” still hold only the template's guidance."]);

    const body = structuredClone(before.body as DocumentJSON);
    const impact = body.content!.findIndex((b) => b.type === "heading" && b.content?.[0]?.text === "Impact");
    body.content![impact + 1] = { type: "paragraph", content: [{ type: "text", text: "About 3% of checkouts failed for 40 minutes." }] };
    expect(await savePostmortem(db, actor, ws.id, number, { baseVersion: before.version, title: before.title, body })).toMatchObject({ ok: true });
    const after = (await findPostmortem(db, ws.id, number))!;
    expect(after.warnings).toEqual(["“What happened” still holds only the template's guidance."]);
    // Warnings never block: they are not among the publish rules.
    expect(after.blockers.join(" ")).not.toMatch(/guidance/);
  });
});
