import type { Page } from "@playwright/test";
import { DEMO, expect } from "./helpers";

/**
 * The app's main pages, as the demo workspace (db:seed) fills them: the fixed addresses, and a
 * record of each kind found through its list (an incident, postmortems in each state, decision
 * records, a gate, a guardrail action). The accessibility and phone-width checks walk them all.
 */
const base = `/w/${DEMO.slug}`;

/** The demo workspace's pages whose address is known ahead. */
const FIXED_PAGES = [
  base,
  `${base}/incidents`,
  `${base}/incidents/new`,
  `${base}/postmortems`,
  `${base}/guardrails`,
  `${base}/gates`,
  `${base}/gates/new`,
  `${base}/decisions`,
  `${base}/decisions/new?kind=adr`,
  `${base}/decisions/import`,
  `${base}/insights`,
  `${base}/search`,
  `${base}/search?q=retry`,
  `${base}/settings`,
  `${base}/settings/integrations`,
  `${base}/settings/github`,
  `${base}/settings/tokens`,
  `${base}/settings/reminders`,
  `${base}/settings/deliveries`,
  "/account",
];

/** The first few distinct links on a page matching `pattern` (a record of each kind the demo has). */
export async function linksOn(page: Page, path: string, pattern: RegExp, count: number): Promise<string[]> {
  await page.goto(path);
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  return [...new Set(hrefs.filter((h) => pattern.test(h)))].slice(0, count);
}

/** Every main page of the demo workspace: the fixed ones and a record of each kind. */
export async function mainPages(page: Page): Promise<string[]> {
  const postmortems = await linksOn(page, `${base}/postmortems`, /\/incidents\/\d+\/postmortem$/, 3);
  const incidents = await linksOn(page, `${base}/incidents`, /\/incidents\/\d+$/, 1);
  const decisions = await linksOn(page, `${base}/decisions`, /\/decisions\/(ADR|RFC)-\d+$/, 2);
  const gates = await linksOn(page, `${base}/gates`, /\/gates\/[0-9a-f-]{36}$/, 1);
  const actions = await linksOn(page, `${base}/guardrails`, /\/guardrails\/actions\/\d+$/, 1);
  expect(postmortems.length, "the demo has postmortems").toBeGreaterThan(0);
  expect(decisions.length, "the demo has decision records").toBeGreaterThan(0);
  return [
    ...FIXED_PAGES,
    ...incidents,
    ...incidents.map((i) => `${i}/edit`),
    ...postmortems,
    ...postmortems.map((p) => `${p}/history`),
    ...decisions,
    ...decisions.map((d) => `${d}/history`),
    ...gates,
    ...gates.map((g) => `${g}/edit`),
    ...actions,
  ];
}

