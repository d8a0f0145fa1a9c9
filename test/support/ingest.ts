/**
 * A workspace set up to receive PagerDuty and Alertmanager deliveries, and senders that hand them
 * to the webhook route modules the way Remix would (signed, or with the bearer token).
 */
import type { Db } from "#db/connection";
import { rotateGeneratedSecret, setPagerDutySecret } from "~/domain/integrations/index.server";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as alertmanagerWebhook } from "~/routes/webhooks.alertmanager.$workspace";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as pagerDutyWebhook } from "~/routes/webhooks.pagerduty.$workspace";
import { makeUser, makeWorkspace } from "./factories";
import { alertmanagerRequest, call, pagerDutyRequest } from "./integrations";

export const PD_SECRET = "zQ2pVb3Lr8sN1xT6yW0uKc4hJ7mD9fGe";

export async function ingestWorkspace(db: Db) {
  const admin = await makeUser(db, "Admin");
  const ws = await makeWorkspace(db, admin);
  await setPagerDutySecret(db, admin, ws.id, PD_SECRET);
  const { secret: token } = await rotateGeneratedSecret(db, admin, ws.id, "alertmanager");
  const pagerDuty = (payload: unknown, secret: string | null = PD_SECRET, signature?: string) =>
    call(pagerDutyWebhook, pagerDutyRequest(ws.slug, payload, secret, signature), { workspace: ws.slug });
  const alertmanager = (payload: unknown, bearer: string | null = token) => call(alertmanagerWebhook, alertmanagerRequest(ws.slug, payload, bearer), { workspace: ws.slug });
  const incidents = () => db.selectFrom("incidents").selectAll().where("workspace_id", "=", ws.id).orderBy("number").execute();
  return { db, admin, ws, token, pagerDuty, alertmanager, incidents };
}
