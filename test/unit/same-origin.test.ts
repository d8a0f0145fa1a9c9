import { describe, expect, it } from "vitest";
import { checkSameOrigin } from "~/http/same-origin";

const base = { method: "POST", path: "/login", host: "hindsight.example", origin: undefined, referer: undefined };

describe("the same-origin check on form posts", () => {
  it("lets reads through without an Origin", () => {
    expect(checkSameOrigin({ ...base, method: "GET" })).toEqual({ allowed: true });
  });
  it("accepts a post from this site", () => {
    expect(checkSameOrigin({ ...base, origin: "https://hindsight.example" })).toEqual({ allowed: true });
    expect(checkSameOrigin({ ...base, referer: "https://hindsight.example/login" })).toEqual({ allowed: true });
  });
  it("refuses a post from another site, with a reason", () => {
    expect(checkSameOrigin({ ...base, origin: "https://evil.example" })).toMatchObject({ allowed: false, reason: expect.stringContaining("evil.example") });
    expect(checkSameOrigin({ ...base, origin: "https://hindsight.example.evil.example" })).toMatchObject({ allowed: false });
  });
  it("refuses a post that says nothing of where it came from", () => {
    expect(checkSameOrigin(base)).toMatchObject({ allowed: false });
    expect(checkSameOrigin({ ...base, origin: "null" })).toMatchObject({ allowed: false });
    expect(checkSameOrigin({ ...base, origin: "not a url" })).toMatchObject({ allowed: false });
  });
  it("leaves machine endpoints to their own authentication", () => {
    expect(checkSameOrigin({ ...base, path: "/webhooks/github/acme" })).toEqual({ allowed: true });
  });
});
