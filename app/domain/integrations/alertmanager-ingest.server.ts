import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "#db/connection";
import type { Severity } from "#db/schema";
import { SEVERITIES } from "~/domain/incidents/rules";
import { applyIngestEvent, clampTitle, validDate, type IngestDelivery } from "./incident-ingest.server";
import { ignored, receiveDelivery, type DeliveryResult } from "./webhooks.server";

/**
 * Prometheus Alertmanager, webhook version 4 → incidents (incident-ingest.server.ts). One incident
 * per alert group (groupKey). Each notification carries the group as it is now, so its severity
 * is followed on every firing notification: the group's common `severity` label, or, when its
 * firing alerts differ, the most severe of theirs (a critical alert joining a warning group raises it).
 */

const Labels = z.record(z.string(), z.string());

const AlertmanagerPayload = z.object({
  version: z.string(),
  groupKey: z.string().min(1).max(2000),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().max(500).optional(),
  groupLabels: Labels.optional(),
  commonLabels: Labels.optional(),
  commonAnnotations: Labels.optional(),
  externalURL: z.string().max(1000).optional(),
  truncatedAlerts: z.number().int().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(["firing", "resolved"]),
        labels: Labels,
        annotations: Labels.optional(),
        startsAt: z.string().max(64),
        endsAt: z.string().max(64).optional(),
        fingerprint: z.string().max(200).optional(),
      }),
    )
    .max(1000),
});

/** A `severity` label: critical/page → SEV1, error/major/high → SEV2, warning → SEV3, info/low → SEV4; SEV1–4 and P1–4 as written. */
export function alertSeverity(label: string | undefined): Severity {
  const value = label?.trim().toLowerCase() ?? "";
  const numbered = value.match(/^(?:sev|p)([1-4])$/)?.[1];
  if (numbered) return `SEV${numbered}` as Severity;
  if (["critical", "page", "emergency", "fatal"].includes(value)) return "SEV1";
  if (["error", "major", "high"].includes(value)) return "SEV2";
  if (["info", "informational", "low", "none"].includes(value)) return "SEV4";
  return "SEV3";
}

/** The group's severity label: the common one, else the most severe among the alerts given. */
function groupSeverityLabel(common: string | undefined, alerts: ReadonlyArray<{ labels: Record<string, string> }>): string | undefined {
  if (common) return common;
  const labels = alerts.map((a) => a.labels.severity).filter((l): l is string => Boolean(l));
  return labels.sort((a, b) => SEVERITIES.indexOf(alertSeverity(a)) - SEVERITIES.indexOf(alertSeverity(b)))[0];
}

/** Alertmanager sends no delivery id; the body's SHA-256 stands in, so an identical repeat changes nothing. */
function alertmanagerDeliveryId(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

export async function receiveAlertmanagerDelivery(db: Db, { workspaceId, payload, body }: IngestDelivery & { body: Uint8Array }): Promise<DeliveryResult> {
  const parsed = AlertmanagerPayload.safeParse(payload);
  if (!parsed.success) return { kind: "rejected", why: "malformed", reason: "The payload is not an Alertmanager webhook notification." };
  const n = parsed.data;
  if (n.version !== "4") return { kind: "rejected", why: "malformed", reason: `Alertmanager webhook version ${n.version} is not supported; version 4 is.` };
  const firing = n.alerts.filter((a) => a.status === "firing");
  const starts = n.alerts.map((a) => validDate(a.startsAt)).filter((d): d is Date => Boolean(d));
  const ends = n.alerts.map((a) => validDate(a.endsAt)).filter((d): d is Date => Boolean(d));
  const now = new Date();
  const startedAt = starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : now;
  const resolvedAt = n.status === "resolved" && ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : now;
  // A change in a firing group happened when its newest alert started firing.
  const firingStarts = firing.map((a) => validDate(a.startsAt)).filter((d): d is Date => Boolean(d));
  const newestFiring = firingStarts.length ? new Date(Math.max(...firingStarts.map((d) => d.getTime()))) : now;
  const labels = { ...n.groupLabels, ...n.commonLabels };
  const severityLabel = groupSeverityLabel(labels.severity, firing.length ? firing : n.alerts);
  const alertname = labels.alertname ?? n.alerts[0]?.labels.alertname ?? "Alert";
  const summary = n.commonAnnotations?.summary ?? n.commonAnnotations?.description ?? "";
  const title = clampTitle(summary ? `${alertname}: ${summary}` : alertname, `Alert ${alertname}`);
  const count = firing.length + (n.truncatedAlerts ?? 0);
  const text =
    n.status === "firing"
      ? `Alertmanager: ${count} alert${count === 1 ? "" : "s"} firing for ${alertname}${labels.service ? ` (${labels.service})` : ""}.`
      : `Alertmanager: all alerts for ${alertname} resolved.`;
  const header = { workspaceId, source: "alertmanager" as const, deliveryId: alertmanagerDeliveryId(body), event: `alertmanager.${n.status}` };
  const result = await receiveDelivery(db, header, (trx) =>
    applyIngestEvent(trx, workspaceId, {
      source: "alertmanager",
      key: n.groupKey,
      kind: n.status === "firing" ? "trigger" : "resolve",
      occurredAt: n.status === "firing" ? newestFiring : resolvedAt,
      title,
      severity: alertSeverity(severityLabel),
      severityReason: severityLabel ? `Alertmanager severity label “${severityLabel.slice(0, 40)}”` : "Alertmanager (no severity label)",
      reportsSeverity: n.status === "firing",
      startedAt,
      url: n.externalURL ?? null,
      firingCount: count,
      text,
      detectedText: n.status === "firing" ? text : `Alertmanager: ${alertname} fired${labels.service ? ` (${labels.service})` : ""}.`,
      refireMakesNewIncident: true,
    }),
  );
  // Alertmanager repeats a group's notification unchanged (repeat_interval): that is no replay attack.
  return result.kind === "replay" ? ignored("The same notification again; nothing new.") : result;
}
