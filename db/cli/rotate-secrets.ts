/**
 * `npm run secrets:rotate`: seals every stored secret with the current HINDSIGHT_SECRET_KEY.
 * To rotate: put the new key in HINDSIGHT_SECRET_KEY and the old one in
 * HINDSIGHT_SECRET_KEY_PREVIOUS, run this (the server also does it at start), then drop the old
 * key. Secrets stored before encryption existed are sealed the same way.
 */
import { resealStoredSecrets } from "~/domain/integrations/index.server";
import { resealTrackerSecrets } from "~/domain/trackers/index.server";
import { getDb, targetFromEnv } from "../connection";
import { runCommand } from "./run";

await runCommand(async () => {
  const db = await getDb(targetFromEnv());
  const stored = await resealStoredSecrets(db);
  const trackers = await resealTrackerSecrets(db);
  const report = { resealed: stored.resealed + trackers.resealed, unreadable: stored.unreadable + trackers.unreadable };
  console.log(JSON.stringify({ secrets: report }));
  if (report.unreadable) {
    process.stderr.write(`${report.unreadable} stored secret(s) open with no key given: add the key that sealed them to HINDSIGHT_SECRET_KEY_PREVIOUS.\n`);
    return 1;
  }
});
