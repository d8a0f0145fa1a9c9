/**
 * `npm run db:restore -- FILE`: puts a backup made by `npm run db:backup` back, on the engine
 * that made it. Postgres: replaces every table in one transaction. PGlite: restores into a fresh
 * data folder and keeps the old one beside it (`<folder>.before-restore-<time>`).
 */
import { restoreDatabase } from "../backup";
import { targetFromEnv } from "../connection";
import { runCommand } from "./run";

await runCommand(async () => {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("Name the backup to restore: npm run db:restore -- backups/<file>\n");
    return 2;
  }
  const report = await restoreDatabase(targetFromEnv(), file);
  console.log(JSON.stringify({ restored: report }));
});
