/**
 * `npm run db:backup [-- FILE]`: a backup of the whole database (DATABASE_URL's Postgres, or the
 * embedded PGlite folder) into FILE, by default backups/hindsight-<engine>-<time>.<ext>.
 * With PGlite, stop the server first: one process per data folder.
 */
import { backupDatabase, defaultBackupFile } from "../backup";
import { targetFromEnv } from "../connection";
import { runCommand } from "./run";

await runCommand(async () => {
  const target = targetFromEnv();
  const file = process.argv[2] ?? defaultBackupFile(target);
  const report = await backupDatabase(target, file);
  console.log(JSON.stringify({ backup: report }));
});
