import { describe, expect, it } from "vitest";
import { publishBlockers, type PublishCheck } from "~/domain/postmortems/rules";

const at = (m: number) => new Date(Date.UTC(2026, 10, 26, 10, m));
const base: PublishCheck = { status: "in_review", tier: "T1", approval: "other", authorId: "author", version: 6, reviews: [], affectedAreas: [], maintainers: [] };
const approve = (id: string, m = 1, version = 6, current = true) => ({ reviewerId: id, reviewerName: id, verdict: "approve" as const, at: at(m), version, current });
const requestChanges = (id: string, m = 1) => ({ reviewerId: id, reviewerName: id, verdict: "request_changes" as const, at: at(m), version: 6, current: true });

describe("publishing a postmortem", () => {
  it("needs a review first", () => {
    expect(publishBlockers({ ...base, status: "draft", reviews: [approve("r")] })).toEqual([expect.stringMatching(/review first/)]);
  });
  it("needs one approval from someone other than the author", () => {
    expect(publishBlockers(base)).toHaveLength(1);
    expect(publishBlockers({ ...base, reviews: [approve("author")] })).toHaveLength(1);
    expect(publishBlockers({ ...base, reviews: [approve("r")] })).toEqual([]);
  });
  it("is blocked by an open request for changes until that reviewer approves", () => {
    expect(publishBlockers({ ...base, reviews: [approve("a"), requestChanges("b", 2)] })).toEqual([expect.stringMatching(/b requested changes/)]);
    expect(publishBlockers({ ...base, reviews: [approve("a"), requestChanges("b", 2), approve("b", 3)] })).toEqual([]);
    expect(publishBlockers({ ...base, reviews: [approve("a", 1), requestChanges("a", 2)] })).toHaveLength(2);
  });
  it("at T2 needs a maintainer of an affected area", () => {
    const t2 = { ...base, tier: "T2" as const, affectedAreas: ["Billing"], maintainers: [{ userId: "m", areaName: "Billing" }] };
    expect(publishBlockers({ ...t2, reviews: [approve("r")] })).toEqual([expect.stringMatching(/maintainer of Billing/)]);
    expect(publishBlockers({ ...t2, reviews: [approve("m")] })).toEqual([]);
    expect(publishBlockers({ ...t2, maintainers: [], reviews: [approve("r")] })).toEqual([expect.stringMatching(/no maintainers/)]);
    expect(publishBlockers({ ...t2, affectedAreas: [], maintainers: [], reviews: [approve("r")] })).toEqual([expect.stringMatching(/name the affected areas/)]);
  });
  it("at T3 needs two approvals from different people", () => {
    const t3 = { ...base, tier: "T3" as const };
    expect(publishBlockers({ ...t3, reviews: [approve("a"), approve("a", 2)] })).toEqual([expect.stringMatching(/two approvals of the current version; it has 1/)]);
    expect(publishBlockers({ ...t3, reviews: [approve("a"), approve("b")] })).toEqual([]);
  });
  it("counts an approval only while it stands for the current text", () => {
    const changed = { ...base, version: 7, reviews: [approve("priya", 1, 6, false)] };
    expect(publishBlockers(changed)).toEqual([expect.stringMatching(/priya approved version 6, and it changed since/)]);
    expect(publishBlockers({ ...changed, reviews: [approve("priya", 1, 6, false), approve("priya", 2, 7, true)] })).toEqual([]);
  });
  it("lets a workspace relax T0 and T1: the author's own approval, or none at all; never T2 or T3", () => {
    expect(publishBlockers({ ...base, approval: "self", reviews: [approve("author")] })).toEqual([]);
    expect(publishBlockers({ ...base, approval: "self" })).toEqual([expect.stringMatching(/author's own counts at T1/)]);
    expect(publishBlockers({ ...base, approval: "none", status: "draft" })).toEqual([]);
    expect(publishBlockers({ ...base, approval: "none", reviews: [requestChanges("b")] })).toEqual([expect.stringMatching(/b requested changes/)]);
    expect(publishBlockers({ ...base, tier: "T3", approval: "none", reviews: [approve("a")] })).toEqual([expect.stringMatching(/two approvals/)]);
    expect(publishBlockers({ ...base, tier: "T2", approval: "self", affectedAreas: ["Billing"], maintainers: [{ userId: "author", areaName: "Billing" }], reviews: [approve("author")] })).toHaveLength(2);
  });
  it("lists every unmet rule at once", () => {
    expect(publishBlockers({ ...base, status: "draft", tier: "T3", otherBlockers: ["Factor 2 has no action."] })).toHaveLength(3);
  });
});
