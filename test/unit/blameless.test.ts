import { describe, expect, it } from "vitest";
import { blamelessHints, type BlamelessHintKind } from "~/domain/postmortems/rules";

const names = ["Alice Moreau", "Bob", "Priya Natarajan", "Zoë"];

describe("blameless-language hints", () => {
  it.each<[string, string, BlamelessHintKind]>([
    ["We should have caught this in review.", "should have caught", "hindsight"],
    ["They shouldn't have deployed on a Friday.", "shouldn't have deployed", "hindsight"],
    ["Someone should’ve checked the dashboard.", "should’ve checked", "hindsight"],
    ["The reviewer should not have known that.", "should not have known", "hindsight"],
    ["Obviously the flag was still on.", "Obviously", "hindsight"],
    ["He just needed to restart the pod.", "just needed to", "hindsight"],
    ["It was a careless mistake.", "careless", "judgement"],
    ["The rollout was negligent.", "negligent", "judgement"],
    ["A sloppy config change.", "sloppy", "judgement"],
    ["An incompetent review.", "incompetent", "judgement"],
    ["They didn't bother to run the tests.", "didn't bother", "judgement"],
    ["They didn’t bother with the canary.", "didn’t bother", "judgement"],
    ["Root cause: human error.", "human error", "human-error"],
    ["We need to know who is to blame.", "blame", "blame"],
    ["Nobody blamed the vendor.", "blamed", "blame"],
    ["This was the fault of the deploy script.", "fault of", "blame"],
    ["Honestly it was Dave's fault.", "Dave's fault", "blame"],
    ["The team forgot to rotate the key.", "forgot to rotate", "memory"],
    ["He broke the build.", "He broke", "person-as-subject"],
    ["Then she missed the page.", "she missed", "person-as-subject"],
    ["Bob ignored the warning.", "Bob ignored", "person-as-subject"],
    ["Priya had skipped the canary.", "Priya had skipped", "person-as-subject"],
    ["Alice Moreau caused the outage.", "Alice Moreau caused", "person-as-subject"],
    ["Zoë forgot the flag.", "Zoë forgot", "person-as-subject"],
    ["The on-call engineer overlooked the alert.", "The on-call engineer overlooked", "person-as-subject"],
    ["The on-call forgot to page the owner.", "The on-call forgot", "person-as-subject"],
    ["Someone messed up the migration.", "Someone messed up", "person-as-subject"],
    ["Alice failed to rotate the key.", "Alice failed to rotate", "person-as-subject"],
    ["We failed to notice the spike.", "We failed to notice", "person-as-subject"],
  ])("flags %j", (text, phrase, kind) => {
    const hints = blamelessHints(text, { names });
    expect(hints.map((h) => [h.phrase, h.kind])).toContainEqual([phrase, kind]);
  });

  it.each([
    "The check failed to run because the runner was offline.",
    "The deploy failed at 14:02.",
    "This is a blameless review.",
    "This review is not about blame, and there is no blame here.",
    "The service should have enough memory headroom.",
    "The dashboard should have a link to the runbook.",
    "Our fault injection tests passed, and it's fault-tolerant by design.",
    "Through no fault of the vendor, the certificate expired.",
    "Alice reviewed the change and Bob approved it.",
    "The alert missed the spike because the threshold was too high.",
    "Nothing about it was obvious at the time.",
    "The theme broke on mobile; the scheme caused no trouble.",
    "Sheila missed the page.",
    "Don't forget to run the migration.",
    "The careful reviewer caught it.",
    "Would the checklist have caught it?",
  ])("leaves %j alone", (text) => {
    expect(blamelessHints(text, { names })).toEqual([]);
  });

  it("explains each hint in blameless terms and offers a rewording", () => {
    const [hint] = blamelessHints("Bob missed the alert.", { names: ["Bob"] });
    expect(hint).toMatchObject({
      phrase: "Bob missed",
      index: 0,
      message: "Describe the condition that allowed it: what made this easy to miss?",
      suggestion: "the signal was easy to miss because …",
    });
    expect(blamelessHints("The team forgot to rotate the key.")[0]?.suggestion).toBe("nothing prompted anyone to rotate");
    expect(blamelessHints("Alice failed to rotate the key.", { names: ["Alice"] })[0]?.suggestion).toBe("nothing made it easy to rotate");
  });

  it("reports where each phrase is, in reading order, with no overlaps", () => {
    const text = "Obviously Bob should have checked. It was human error, and Bob failed to page anyone.";
    const hints = blamelessHints(text, { names: ["Bob"] });
    expect(hints.map((h) => h.phrase)).toEqual(["Obviously", "should have checked", "human error", "Bob failed to page"]);
    for (const hint of hints) expect(text.slice(hint.index, hint.index + hint.phrase.length)).toBe(hint.phrase);
  });

  it("finds a named person only when their name is given", () => {
    expect(blamelessHints("Dana broke the deploy.")).toEqual([]);
    expect(blamelessHints("Dana broke the deploy.", { names: ["Dana Li"] })).toHaveLength(1);
  });

  it("treats names as text, not as patterns", () => {
    expect(() => blamelessHints("x", { names: ["a(b", "[c", "d.*", " ", ""] })).not.toThrow();
    expect(blamelessHints("a(b broke it", { names: ["a(b"] })).toHaveLength(1);
  });

  it("has nothing to say about empty text", () => {
    expect(blamelessHints("")).toEqual([]);
  });
});
