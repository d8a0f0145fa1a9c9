import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertSeverity, pagerDutySeverity, verifyBearerToken, verifyGithubSignature, verifyPagerDutySignature } from "~/domain/integrations/index.server";
import { checkSameOrigin } from "~/http/same-origin";

const body = new TextEncoder().encode('{"zen":"Keep it logically awesome."}');
const sign = (key: string) => createHmac("sha256", key).update(body).digest("hex");

describe("webhook signatures", () => {
  it("GitHub: sha256=<HMAC of the raw body> with the current or the previous secret", () => {
    expect(verifyGithubSignature(["s3cret"], body, `sha256=${sign("s3cret")}`)).toBe("ok");
    expect(verifyGithubSignature(["new", "s3cret"], body, `sha256=${sign("s3cret").toUpperCase()}`)).toBe("ok");
    expect(verifyGithubSignature(["s3cret"], body, `sha256=${sign("other")}`)).toBe("mismatch");
    expect(verifyGithubSignature(["s3cret"], new TextEncoder().encode('{"zen":"tampered"}'), `sha256=${sign("s3cret")}`)).toBe("mismatch");
    expect(verifyGithubSignature(["s3cret"], body, null)).toBe("missing");
    expect(verifyGithubSignature(["s3cret"], body, `sha1=${sign("s3cret").slice(0, 40)}`)).toBe("missing");
    expect(verifyGithubSignature(["s3cret"], body, `sha256=${sign("s3cret").slice(0, 63)}`)).toBe("missing");
  });

  it("PagerDuty: any of the comma-separated v1= signatures may match", () => {
    expect(verifyPagerDutySignature(["pd"], body, `v1=${sign("pd")}`)).toBe("ok");
    expect(verifyPagerDutySignature(["pd"], body, `v1=${sign("rotated")}, v1=${sign("pd")}`)).toBe("ok");
    expect(verifyPagerDutySignature(["pd"], body, `v1=${sign("rotated")}`)).toBe("mismatch");
    expect(verifyPagerDutySignature(["pd"], body, "v0=abc")).toBe("missing");
    expect(verifyPagerDutySignature(["pd"], body, null)).toBe("missing");
  });

  it("Alertmanager: a bearer token compared by its SHA-256", () => {
    const hash = createHash("sha256").update("am_token").digest("hex");
    expect(verifyBearerToken([hash], "Bearer am_token")).toBe("ok");
    expect(verifyBearerToken([hash], "bearer am_token")).toBe("ok");
    expect(verifyBearerToken([hash], "Bearer am_other")).toBe("mismatch");
    expect(verifyBearerToken([hash], "Basic YWxhZGRpbjpvcGVuc2VzYW1l")).toBe("missing");
    expect(verifyBearerToken([hash], null)).toBe("missing");
  });

  it("machine endpoints are exempt from the same-origin check, and authenticate themselves", () => {
    for (const path of ["/webhooks/github/acme", "/api/v1/acme/incidents"]) {
      expect(checkSameOrigin({ method: "POST", path, host: "hindsight.test", origin: undefined, referer: undefined })).toEqual({ allowed: true });
    }
  });
});

describe("severity of ingested incidents", () => {
  it("PagerDuty: priority P1–P5 first, then urgency", () => {
    expect(["P1", "P2", "P3", "P4", "P5"].map((p) => pagerDutySeverity(p, "low"))).toEqual(["SEV1", "SEV2", "SEV3", "SEV4", "SEV4"]);
    expect(pagerDutySeverity(undefined, "high")).toBe("SEV2");
    expect(pagerDutySeverity("Custom", "low")).toBe("SEV3");
  });

  it("Alertmanager: the severity label", () => {
    expect(["critical", "page", "error", "warning", "info", "sev2", "P1", undefined, "weird"].map(alertSeverity)).toEqual([
      "SEV1",
      "SEV1",
      "SEV2",
      "SEV3",
      "SEV4",
      "SEV2",
      "SEV1",
      "SEV3",
      "SEV3",
    ]);
  });
});
