import { describe, expect, it } from "vitest";
import { action, decision, factor, incidentContext, incidentImpact, postmortemBody, seededRandom } from "#db/scale/corpus";
import { documentText, validateDocument } from "~/domain/documents/index.server";

describe("the scale seed's text", () => {
  it("writes postmortems and decisions the editor would accept, with the text search indexes", () => {
    const random = seededRandom(7);
    for (let i = 0; i < 25; i++) {
      const c = incidentContext(random);
      const body = postmortemBody(random, c, incidentImpact(random, c));
      const checked = validateDocument(body.doc);
      expect(checked.ok).toBe(true);
      expect(body.text).toBe(documentText(body.doc));
      const d = decision(random);
      expect(validateDocument(d.doc).ok).toBe(true);
      expect(d.text).toBe(documentText(d.doc));
      expect(factor(random, c).text.length).toBeGreaterThan(20);
      expect(action(random, c).title.length).toBeGreaterThan(10);
    }
  });

  it("is the same for the same seed, and varied", () => {
    const a = seededRandom(100);
    const b = seededRandom(100);
    const texts = Array.from({ length: 50 }, () => {
      const c = incidentContext(a);
      const d = incidentContext(b);
      expect(postmortemBody(a, c, "x").text).toBe(postmortemBody(b, d, "x").text);
      return postmortemBody(a, c, "x").text + postmortemBody(b, d, "x").text;
    });
    expect(new Set(texts).size).toBe(50);
  });
});
