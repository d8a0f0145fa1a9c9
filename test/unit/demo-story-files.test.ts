import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDemoStory, minutesOf, STORY_FOLDER } from "~/domain/demo/index.server";

describe("the demo story's files", () => {
  it("hold twelve incidents and seven decisions, with every reference resolved", () => {
    const story = loadDemoStory();
    expect(story.incidents).toHaveLength(12);
    expect(story.decisions.map((d) => d.kind)).toEqual(["adr", "adr", "adr", "adr", "adr", "adr", "rfc"]);
    const first = story.incidents[0]!;
    // "171d 14:02", "26h" and "acme/payments-api#1184" as the writer typed them, read as the seed needs them.
    expect(first.started).toEqual([171, "14:02"]);
    expect(first.resolvedAfter).toBe(26 * 60);
    expect(first.pullRequests[0]!.url).toBe("https://github.com/acme/payments-api/pull/1184");
    expect(first.postmortem!.body).toMatch(/^## Summary\n\nFor 68 minutes/);
    expect(first.postmortem!.factors[0]!.gates).toEqual([{ gate: "retry-idempotency", involvement: "missing" }]);
    const gateKeys = new Set(story.gates.map((g) => g.key));
    const brought = story.incidents.flatMap((i) => i.postmortem?.factors ?? []).flatMap((f) => f.actions.flatMap((a) => (a.newGate ? [a.newGate] : [])));
    expect(brought.every((key) => gateKeys.has(key))).toBe(true);
    expect(story.decisions[4]).toMatchObject({ supersedes: "ADR-2", informedBy: [1, 6], implements: { actions: [10], gates: ["retry-contract"] } });
    expect(Object.keys(story.teammates)).toEqual(["priya", "marcus"]);
  });

  it("read times after an incident's start in days, hours and minutes", () => {
    expect(minutesOf("38m")).toBe(38);
    expect(minutesOf("46h 5m")).toBe(46 * 60 + 5);
    expect(minutesOf("3d 9h")).toBe(3 * 24 * 60 + 9 * 60);
    expect(minutesOf("0m")).toBe(0);
    for (const bad of ["", "38", "38 minutes", " 5m", "5m 3h"]) expect(minutesOf(bad)).toBeNull();
  });

  describe("when a writer gets something wrong", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "hindsight-story-"));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    /** A copy of the story with one file changed. */
    function storyWith(file: string, change: (text: string) => string): string {
      const copy = mkdtempSync(path.join(folder, "copy-"));
      cpSync(path.resolve(STORY_FOLDER), copy, { recursive: true });
      const target = path.join(copy, file);
      const changed = change(readFileSync(target, "utf8"));
      expect(changed).not.toBe(readFileSync(target, "utf8"));
      writeFileSync(target, changed);
      return copy;
    }

    it("names the file, the line and the path of an unknown person", () => {
      const copy = storyWith("incidents/01-duplicate-card-charges.yaml", (t) => t.replace("owner: marcus", "owner: marcos"));
      expect(() => loadDemoStory(copy)).toThrow(
        /incidents\/01-duplicate-card-charges\.yaml:\d+: postmortem\.factors\[0\]\.actions\[0\]\.owner: "marcos" is not one of the story's people \(dana, priya, marcus; people\.yaml\)/,
      );
    });

    it("lists every entry the schema refuses, a misspelt field included", () => {
      const copy = storyWith("incidents/03-ledger-migration-lock.yaml", (t) => t.replace("severity: SEV2", "severity: SEV5").replace("  writtenAt: 130d 09:00", "  writenAt: 130d 09:00"));
      let message = "";
      try {
        loadDemoStory(copy);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Demo story: 3 bad entries:/);
      expect(message).toMatch(/03-ledger-migration-lock\.yaml:2: severity: /);
      expect(message).toMatch(/03-ledger-migration-lock\.yaml:\d+: postmortem\.writtenAt: missing\./);
      expect(message).toMatch(/03-ledger-migration-lock\.yaml:\d+: postmortem: Unrecognized key: "writenAt"/);
    });

    it("refuses a time it cannot read, and a gate used before an action brings it in", () => {
      const badTime = storyWith("gates.yaml", (t) => t.replace("createdAt: 420d 10:00", "createdAt: 420 days ago"));
      expect(() => loadDemoStory(badTime)).toThrow(/gates\.yaml:\d+: infra-branch-protection\.createdAt: Write a time as days before the seed's day/);
      const early = storyWith("incidents/02-safari-checkout-button.yaml", (t) => t.replace("kind: better_test", "kind: better_test\n          gate: retry-contract"));
      expect(() => loadDemoStory(early)).toThrow(/02-safari-checkout-button\.yaml:\d+: postmortem\.factors\[0\]\.actions\[0\]\.gate: "retry-contract" does not exist yet at ACT-3/);
    });

    it("checks decisions against their file name and what the story holds", () => {
      const copy = storyWith("decisions/adr-0005-retry-backoff-and-retry-after.md", (t) => t.replace("informedBy: [INC-1, INC-6]", "informedBy: [INC-1, INC-13]"));
      expect(() => loadDemoStory(copy)).toThrow(/adr-0005-retry-backoff-and-retry-after\.md:\d+: informedBy\[1\]: there are 12 incidents/);
    });
  });
});
