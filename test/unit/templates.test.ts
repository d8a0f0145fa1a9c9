import { describe, expect, it } from "vitest";
import { blamelessHints } from "~/domain/postmortems/rules";
import { documentText, renderDocumentHtml, sectionsOf, sectionsOnlyGuidance, trackedKindsIn, validateDocument } from "~/domain/documents/index.server";
import { listPostmortemTemplates, postmortemTemplate } from "~/domain/postmortems/index.server";

describe("postmortem templates", () => {
  it("offers the Google SRE and the lightweight template, each with a name and a description", () => {
    const templates = listPostmortemTemplates();
    expect(templates.map((t) => t.key)).toEqual(["google-sre", "lightweight"]);
    for (const template of templates) {
      expect(template.name).not.toBe("");
      expect(template.description.length).toBeGreaterThan(20);
    }
  });

  it.each(["google-sre", "lightweight"])("%s starts a valid document that renders", (key) => {
    const template = postmortemTemplate(key);
    expect(template).not.toBeNull();
    const result = validateDocument(template!.doc);
    expect(result.ok).toBe(true);
    expect(renderDocumentHtml(template!.doc)).toMatch(/^<h2>/);
  });

  it("gives the Google SRE template its sections, with live blocks for factors and actions instead of static copies", () => {
    const template = postmortemTemplate("google-sre")!;
    const html = renderDocumentHtml(template.doc);
    for (const section of [
      "Summary",
      "Impact",
      "Root causes and trigger",
      "Detection",
      "Resolution",
      "Contributing factors",
      "Action items",
      "Lessons learned",
      "Timeline",
      "Supporting information",
    ]) {
      expect(html).toContain(`<h2>${section}</h2>`);
    }
    for (const lesson of ["What went well", "What went wrong", "Where we got lucky"]) expect(html).toContain(`<h3>${lesson}</h3>`);
    expect(html).not.toContain('<th scope="col">Owner</th>');
    expect(trackedKindsIn(template.doc)).toEqual(["factors", "actions"]);
  });

  it.each(["google-sre", "lightweight"])("%s keeps its guidance as placeholders, never as text", (key) => {
    const doc = postmortemTemplate(key)!.doc;
    const summary = sectionsOf(doc)[0]!;
    expect(summary.guidance).toMatch(/sentences|what broke/);
    expect(documentText(doc)).not.toContain(summary.guidance!);
    expect(renderDocumentHtml(doc)).not.toContain(summary.guidance!);
    // A fresh postmortem: every guided section still holds only its guidance.
    expect(sectionsOnlyGuidance(doc)).toContain(summary.heading);
    expect(sectionsOnlyGuidance(doc)).not.toContain("Contributing factors");
  });

  it("gives the lightweight template the tracked actions under what changes now", () => {
    const template = postmortemTemplate("lightweight")!;
    const html = renderDocumentHtml(template.doc);
    for (const section of ["What happened", "Impact", "Why it got through", "What changes now"]) expect(html).toContain(`<h2>${section}</h2>`);
    expect(html).not.toContain('<ul class="task-list">');
    expect(trackedKindsIn(template.doc)).toEqual(["factors", "actions"]);
  });

  it.each(["google-sre", "lightweight"])("%s practises what it asks for: no blaming language", (key) => {
    expect(blamelessHints(documentText(postmortemTemplate(key)!.doc))).toEqual([]);
  });

  it.each(["../package", "google-sre.md", "", "GOOGLE-SRE", "missing", "a/b", "..", "%2e%2e", "google-sre\u0000", "constructor"])(
    "finds no template for the key %j",
    (key) => {
      expect(postmortemTemplate(key)).toBeNull();
    },
  );

  it("hands out copies, so editing one new postmortem cannot change the template", () => {
    const first = postmortemTemplate("lightweight")!;
    first.doc.content = [];
    expect(postmortemTemplate("lightweight")!.doc.content?.length).toBeGreaterThan(0);
  });
});
