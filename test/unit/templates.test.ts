import { describe, expect, it } from "vitest";
import { blamelessHints } from "~/domain/postmortems/rules";
import { documentText, renderDocumentHtml, validateDocument } from "~/domain/documents/index.server";
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

  it("gives the Google SRE template its sections and an action-item table", () => {
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
    expect(html).toContain('<th scope="col">Owner</th>');
  });

  it("gives the lightweight template a task list of what changes now", () => {
    const html = renderDocumentHtml(postmortemTemplate("lightweight")!.doc);
    for (const section of ["What happened", "Impact", "Why it got through", "What changes now"]) expect(html).toContain(`<h2>${section}</h2>`);
    expect(html).toContain('<ul class="task-list"><li class="task-item" data-checked="false">');
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
