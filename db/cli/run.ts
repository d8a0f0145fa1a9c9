/**
 * Runs a command-line entry point. A problem a person can fix (the embedded database held by
 * the server, Postgres not answering) ends the command with one line and exit code 1, not a
 * stack trace; anything else is a bug and keeps its stack.
 */
import { configOrStop } from "../../server/config";
import { closeDb, databaseProblemLine } from "../connection";

export async function runCommand(main: () => Promise<number | void>): Promise<never> {
  configOrStop();
  let exitCode = 0;
  try {
    exitCode = (await main()) ?? 0;
  } catch (error) {
    const line = databaseProblemLine(error);
    if (!line) throw error;
    process.stderr.write(`${line}\n`);
    exitCode = 1;
  } finally {
    await closeDb().catch(() => {});
  }
  process.exit(exitCode);
}
