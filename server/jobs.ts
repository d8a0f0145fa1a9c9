/**
 * The work this server does in the background, on the job queue (db/queue.ts): what each job
 * does and when the scheduled ones run. Every app process runs these workers; pg-boss hands each
 * job to one of them, and fires each cron schedule once across all of them.
 */
import type { Db } from "#db/connection";
import { openQueue, type Jobs, type JobName, type PgBoss } from "#db/queue";
import { removeExpiredImports } from "~/domain/decisions/index.server";
import { sweepStaleGates } from "~/domain/guardrails/index.server";
import { appUrlFromEnv, mailerFromEnv, pruneWebhookDeliveries, sendDueDigests, type SendReport } from "~/domain/integrations/index.server";
import { sendImmediateNotifications, sendInviteMail, sendNotificationDigests } from "~/domain/notifications/index.server";
import { pruneTrackerDeliveries, runTrackerOp } from "~/domain/trackers/index.server";
import { log } from "~/http/log.server";

/** Cron schedules, in UTC. */
export const SCHEDULES: Partial<Record<JobName, string>> = {
  "digests.daily": "0 7 * * *",
  "webhooks.prune-deliveries": "30 3 * * *",
  "imports.remove-expired": "15 * * * *",
  // Before the 07:00 digests, so an owner hears of a stale gate's actions the same morning.
  "gates.sweep-stale": "45 6 * * *",
  // Review requests and mentions for people who want mail as it happens.
  "notifications.send": "* * * * *",
};

type Handler<N extends JobName> = (data: Jobs[N]) => Promise<unknown>;

async function sendDigests(db: Db, workspaceId?: string): Promise<SendReport | { smtp: false }> {
  const mailer = mailerFromEnv();
  if (!mailer) {
    log.info({ workspaceId }, "SMTP_URL is not set: no digests sent (owners see overdue guardrails in the app)");
    return { smtp: false };
  }
  try {
    const report = await sendDueDigests(db, mailer, { appUrl: appUrlFromEnv(), workspaceId });
    // Sends are claimed per owner and day, so a retry only sends what failed.
    if (report.failed.length) throw new Error(`${report.failed.length} digest(s) not accepted by the mail server`);
    return report;
  } finally {
    mailer.close();
  }
}

/** Runs `send` with a mailer when SMTP is configured; without one, nothing is owed a mail server. */
async function withMailer<T>(what: string, send: (mailer: NonNullable<ReturnType<typeof mailerFromEnv>>) => Promise<T>): Promise<T | { smtp: false }> {
  const mailer = mailerFromEnv();
  if (!mailer) {
    log.debug({ job: what }, "SMTP_URL is not set: no mail sent");
    return { smtp: false };
  }
  try {
    return await send(mailer);
  } finally {
    mailer.close();
  }
}

export function jobHandlers(db: Db, options: { deliveryRetentionDays?: number } = {}): { [N in JobName]: Handler<N> } {
  return {
    "digests.daily": async () => {
      const digests = await sendDigests(db);
      // Those who chose one daily mail get what they were owed (review requests, mentions) in it.
      const notifications = await withMailer("digests.daily", (mailer) => sendNotificationDigests(db, mailer, { appUrl: appUrlFromEnv() }));
      return { digests, notifications };
    },
    "digests.send-now": ({ workspaceId }) => sendDigests(db, workspaceId),
    "webhooks.prune-deliveries": async () => ({
      ...(await pruneWebhookDeliveries(db, { retentionDays: options.deliveryRetentionDays })),
      trackers: await pruneTrackerDeliveries(db, { retentionDays: options.deliveryRetentionDays }),
    }),
    "imports.remove-expired": () => removeExpiredImports(db),
    "notifications.send": () =>
      withMailer("notifications.send", async (mailer) => {
        const report = await sendImmediateNotifications(db, mailer, { appUrl: appUrlFromEnv() });
        if (report.failed) throw new Error(`${report.failed} notification(s) not accepted by the mail server`);
        return report;
      }),
    "invites.send": (job) =>
      withMailer("invites.send", async (mailer) => {
        const result = await sendInviteMail(db, mailer, job);
        return result;
      }),
    "gates.sweep-stale": async () => {
      const { checked, changed } = await sweepStaleGates(db);
      return { checked, changed: changed.length };
    },
    "trackers.push": ({ opId }) => runTrackerOp(db, opId),
  };
}

/** Opens the queue as a worker, registers every handler and the schedules. */
export async function startJobs(db: Db): Promise<PgBoss> {
  const boss = await openQueue(db, { worker: true });
  const handlers = jobHandlers(db);
  for (const name of Object.keys(handlers) as JobName[]) {
    const handler = handlers[name] as Handler<JobName>;
    await boss.work<Jobs[JobName]>(name, { pollingIntervalSeconds: 5 }, async ([job]) => {
      if (!job) return;
      const started = performance.now();
      const result = await handler(job.data);
      log.info({ job: name, id: job.id, ms: Math.round(performance.now() - started), result }, "job done");
    });
  }
  for (const [name, cron] of Object.entries(SCHEDULES)) await boss.schedule(name, cron, {}, { tz: "UTC" });
  return boss;
}
