import { getDb, migrateToLatest, targetFromEnv } from "../connection";
import { runCommand } from "./run";

await runCommand(async () => {
  const target = targetFromEnv();
  const db = await getDb(target);
  // getDb already migrated; this reports what is applied.
  const { results } = await migrateToLatest(db as never);
  const applied = await db.introspection.getTables();
  console.log(
    JSON.stringify({ engine: target.engine, migrated: true, pending: results?.length ?? 0, tables: applied.length }),
  );
});
