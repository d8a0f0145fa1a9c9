/**
 * `npm run reminders:send`: sends today's overdue-guardrail digests once (one per owner per
 * workspace per day; running it again the same day sends nothing new). Email goes through
 * SMTP_URL; without it, prints who would get one and sends nothing. The running server sends
 * them daily by itself (the `digests.daily` job); this is for sending them from outside it.
 * With embedded PGlite, stop the server first (one process per data directory) or use the
 * "Send today's digests now" button in Settings → Reminders instead.
 */
import { appUrlFromEnv, mailerFromEnv, sendDueDigests, workspaceDigests } from "~/domain/integrations/index.server";
import { getDb, targetFromEnv } from "../connection";
import { runCommand } from "./run";

await runCommand(async () => {
  const db = await getDb(targetFromEnv());
  const mailer = mailerFromEnv();
  let exitCode = 0;
  try {
    if (!mailer) {
      const workspaces = await db.selectFrom("workspaces").select("id").execute();
      const due = (await Promise.all(workspaces.map((w) => workspaceDigests(db, w.id)))).flat();
      console.log(JSON.stringify({ smtp: false, sent: 0, due: due.map((d) => ({ workspace: d.workspaceSlug, email: d.email, actions: d.actions.map((a) => a.number) })) }));
      console.error("SMTP_URL is not set: nothing was sent. Owners still see their overdue guardrails on the workspace overview.");
    } else {
      const report = await sendDueDigests(db, mailer, { appUrl: appUrlFromEnv() });
      console.log(JSON.stringify({ smtp: true, ...report }));
      if (report.failed.length) exitCode = 1;
    }
  } finally {
    mailer?.close();
  }
  return exitCode;
});
