import { describe, expect, it } from "vitest";
import { inRequestScope, oncePerRequest } from "~/http/request-scope.server";

describe("values shared by one request's loaders", () => {
  it("computes once per scope and key, apart across scopes, and every time outside one", async () => {
    let calls = 0;
    const lookup = () => oncePerRequest("session:abc", async () => ++calls);
    const first = await inRequestScope(async () => Promise.all([lookup(), lookup(), oncePerRequest("other", async () => "x")]));
    expect(first).toEqual([1, 1, "x"]);
    expect(await inRequestScope(lookup)).toBe(2);
    expect(await lookup()).toBe(3);
    expect(await lookup()).toBe(4);
  });

  it("a failed lookup fails every loader that shares it, and the next request tries again", async () => {
    let calls = 0;
    const failing = () =>
      oncePerRequest("membership", async () => {
        calls += 1;
        throw new Error("database down");
      });
    await inRequestScope(async () => {
      await expect(failing()).rejects.toThrow("database down");
      await expect(failing()).rejects.toThrow("database down");
    });
    expect(calls).toBe(1);
    await inRequestScope(async () => expect(failing()).rejects.toThrow());
    expect(calls).toBe(2);
  });
});
