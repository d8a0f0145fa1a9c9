import { Document, visit } from "yaml";
import type { Db } from "#db/connection";
import type { DocumentJSON } from "#db/schema";
import { documentToMarkdown, renderDocumentHtml } from "~/domain/documents/index.server";
import { formatDuration, incidentReference } from "~/domain/incidents/rules";
import { findIncident } from "~/domain/incidents/index.server";
import { findPostmortem } from "./postmortems.server";
import { expandPostmortemBody } from "./live-blocks.server";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const utc = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—");

/** The postmortem with its live blocks rendered from the records (ADR 25), and its incident. */
async function load(db: Db, workspaceId: string, incidentNumber: number) {
  const [postmortem, incident, workspace] = await Promise.all([
    findPostmortem(db, workspaceId, incidentNumber),
    findIncident(db, workspaceId, incidentNumber),
    db.selectFrom("workspaces").select(["id", "slug"]).where("id", "=", workspaceId).executeTakeFirst(),
  ]);
  if (!postmortem || !incident || !workspace) return null;
  const body = await expandPostmortemBody(db, workspace, postmortem.id, postmortem.body as DocumentJSON);
  return { postmortem: { ...postmortem, body }, incident };
}

/** Whether the body already opens with its own title: a level-1 heading anywhere at the top level. */
function hasTitleHeading(body: DocumentJSON): boolean {
  return (body.content ?? []).some((block) => block.type === "heading" && block.attrs?.level === 1);
}

/**
 * The postmortem as Markdown: front matter with the postmortem's and its incident's facts (times
 * in ISO 8601 UTC, severity, tier, areas), then the body, with "# Title" only when the body has no
 * title heading of its own, then the incident's timeline.
 */
export async function postmortemMarkdown(db: Db, workspaceId: string, incidentNumber: number): Promise<{ filename: string; markdown: string } | null> {
  const found = await load(db, workspaceId, incidentNumber);
  if (!found) return null;
  const { postmortem: pm, incident } = found;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const fields: Record<string, unknown> = {
    title: pm.title,
    incident: incidentReference(incident.number),
    "incident-title": incident.title,
    severity: incident.severity,
    tier: incident.tier,
    areas: incident.areas.map((a) => a.name),
    started: iso(incident.started_at),
    detected: iso(incident.detected_at),
    mitigated: iso(incident.mitigated_at),
    resolved: iso(incident.resolved_at),
    status: pm.status,
    version: pm.version,
  };
  if (pm.published_at) fields.published = pm.published_at.toISOString();
  for (const key of ["detected", "mitigated", "resolved"]) if (fields[key] === null) delete fields[key];
  const front = new Document(fields);
  visit(front, { Seq: (_key, node) => void (node.flow = true) });
  const timeline = incident.timeline.map((e) => `| ${utc(e.occurred_at)} | ${e.kind} | ${e.text.replace(/\|/g, "\\|").replace(/\n/g, " ")} |`);
  const body = documentToMarkdown(pm.body).trim();
  const parts = [
    `---\n${front.toString({ lineWidth: 0 })}---`,
    hasTitleHeading(pm.body) ? null : `# ${pm.title}`,
    body || null,
    "## Incident timeline (UTC)",
    timeline.length ? ["| When | Kind | What happened |", "| --- | --- | --- |", ...timeline].join("\n") : "_No timeline events._",
  ].filter((part): part is string => part !== null);
  return { filename: `${incidentReference(incident.number).toLowerCase()}-postmortem.md`, markdown: `${parts.join("\n\n")}\n` };
}

/** A standalone, print-friendly HTML page: no scripts, no app chrome. */
export async function postmortemPrintHtml(db: Db, workspaceId: string, incidentNumber: number): Promise<string | null> {
  const found = await load(db, workspaceId, incidentNumber);
  if (!found) return null;
  const { postmortem: pm, incident } = found;
  const facts: [string, string][] = [
    ["Incident", `${incidentReference(incident.number)} ${incident.title}`],
    ["Severity", incident.severity],
    ["Tier", incident.tier],
    ["Status", pm.status.replace("_", " ")],
    ["Started", utc(incident.started_at)],
    ["Time to detect", formatDuration(incident.started_at, incident.detected_at) ?? "—"],
    ["Time to mitigate", formatDuration(incident.started_at, incident.mitigated_at) ?? "—"],
    ["Areas", incident.areas.map((a) => a.name).join(", ") || "—"],
  ];
  const timeline = incident.timeline
    .map((e) => `<tr><td>${escapeHtml(utc(e.occurred_at))}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.text)}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(pm.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:11pt/1.5 Georgia,"Times New Roman",serif;color:#111;max-width:46rem;margin:2rem auto;padding:0 1rem}
h1,h2,h3{font-family:system-ui,sans-serif;line-height:1.25}h1{font-size:1.6rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-family:system-ui,sans-serif;font-size:10pt}
dt{color:#444}dd{margin:0}table{border-collapse:collapse;width:100%;font-size:10pt}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}a{color:#111}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:9pt;color:#444}
ul[data-type="taskList"]{list-style:none;padding-left:0}
@media print{body{margin:0}h2{break-after:avoid}table,pre{break-inside:avoid}}
</style></head><body>
<h1>${escapeHtml(pm.title)}</h1>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
<main>${renderDocumentHtml(pm.body)}</main>
<h2>Incident timeline (UTC)</h2>
${timeline ? `<table><thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">What happened</th></tr></thead><tbody>${timeline}</tbody></table>` : "<p>No timeline events.</p>"}
</body></html>`;
}
