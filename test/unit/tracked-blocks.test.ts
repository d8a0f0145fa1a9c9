import { describe, expect, it } from "vitest";
import {
  collapseTrackedMarkers,
  documentText,
  documentToMarkdown,
  guidanceFromComments,
  expandTrackedBlocks,
  markdownToDocument,
  renderDocumentHtml,
  renderDocumentSegments,
  sectionsOnlyGuidance,
  validateDocument,
  type DocumentJSON,
} from "~/domain/documents/index.server";

const body: DocumentJSON = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2, guidance: "In two or three sentences: what happened." }, content: [{ type: "text", text: "Summary" }] },
    { type: "paragraph" },
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Contributing factors" }] },
    { type: "trackedRecords", attrs: { kind: "factors" } },
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Action items" }] },
    { type: "trackedRecords", attrs: { kind: "actions" } },
  ],
};

const records = (kind: "factors" | "actions") =>
  kind === "factors"
    ? [{ type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Config changes skip the canary stage." }] }] }] }]
    : [{ type: "paragraph", content: [{ type: "text", text: "ACT-4 Canary for config pushes" }] }];

describe("live blocks and guidance (ADR 25)", () => {
  it("a body with live blocks and guidance is a valid document; guidance is not text", () => {
    const result = validateDocument(body);
    expect(result.ok).toBe(true);
    expect(documentText(body)).toBe("Summary\nContributing factors\nAction items");
  });

  it("exports a live block as its records between markers, and reads it back as the live block", () => {
    const markdown = documentToMarkdown(expandTrackedBlocks(body, records));
    expect(markdown).toContain("<!-- hindsight:factors -->\n\n- Config changes skip the canary stage.\n\n<!-- /hindsight:factors -->");
    expect(markdown).toContain("<!-- hindsight:actions -->\n\nACT-4 Canary for config pushes\n\n<!-- /hindsight:actions -->");
    const back = collapseTrackedMarkers(markdownToDocument(markdown));
    expect(back.content?.filter((b) => b.type === "trackedRecords").map((b) => b.attrs?.kind)).toEqual(["factors", "actions"]);
    expect(JSON.stringify(back)).not.toContain("canary stage");
  });

  it("writes a live block without its records as the marker alone, and (for re-import) an empty section's guidance as its comment; both read back the same", () => {
    const markdown = documentToMarkdown(body, undefined, { keepGuidance: true });
    expect(markdown).toContain("<!-- hindsight:factors -->");
    expect(markdown).not.toContain("/hindsight:factors");
    expect(markdown).toContain("## Summary\n\n<!-- guidance: In two or three sentences: what happened. -->");
    const back = collapseTrackedMarkers(guidanceFromComments(markdownToDocument(markdown)));
    expect(back.content?.map((b) => b.type)).toEqual(["heading", "paragraph", "heading", "trackedRecords", "heading", "trackedRecords"]);
    expect(back.content?.[0]?.attrs?.guidance).toBe("In two or three sentences: what happened.");
  });

  it("keeps no guidance comment for a section that has been written", () => {
    const written: DocumentJSON = { ...body, content: [body.content![0]!, { type: "paragraph", content: [{ type: "text", text: "Checkout failed for 40 minutes." }] }, ...body.content!.slice(2)] };
    expect(documentToMarkdown(written, undefined, { keepGuidance: true })).not.toContain("guidance:");
    expect(documentToMarkdown(body)).not.toContain("guidance:");
  });

  it("renders the records on the read page and a note where they are unknown", () => {
    expect(renderDocumentHtml(expandTrackedBlocks(body, records))).toContain("<li><p>Config changes skip the canary stage.</p></li>");
    expect(renderDocumentHtml(body)).toContain("tracked contributing factors are shown here");
  });

  it("points out sections holding only guidance, also when the guidance was saved as text", () => {
    expect(sectionsOnlyGuidance(body)).toEqual(["Summary"]);
    const legacy: DocumentJSON = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Impact" }] },
        { type: "paragraph", content: [{ type: "text", text: "Who was affected and how much." }] },
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Detection" }] },
        { type: "paragraph", content: [{ type: "text", text: "The pager fired after four minutes." }] },
      ],
    };
    expect(sectionsOnlyGuidance(legacy, new Map([["impact", ["Who was affected and how much."]]]))).toEqual(["Impact"]);
  });

  it("cuts the read page's HTML around live blocks, each with the heading it stands under", () => {
    expect(renderDocumentSegments(body)).toEqual([
      { html: "<h2>Summary</h2><p></p>" },
      { tracked: "factors", heading: { text: "Contributing factors", level: 2 } },
      { tracked: "actions", heading: { text: "Action items", level: 2 } },
    ]);
  });

  it("refuses a live block of an unknown kind", () => {
    expect(validateDocument({ type: "doc", content: [{ type: "trackedRecords", attrs: { kind: "people" } }] }).ok).toBe(false);
  });
});
