import { signUp } from "~/domain/accounts/index.server";
import { loadDemoStory, writeDemoStory } from "~/domain/demo/index.server";
import { rebuildWorkspaceSearch } from "~/domain/search/index.server";
import { createWorkspace } from "~/domain/workspaces/index.server";
import { getDb, targetFromEnv } from "../connection";
import { seedScale } from "../scale/seed";
import { DEMO_USER, DEMO_WORKSPACE, seedDemo } from "../seed";
import { runCommand } from "./run";

/** `--scale N` (or `--scale=N`): also make a workspace of N searchable records (db/scale/seed.ts). */
function scaleArgument(argv: string[]): number | null {
  const index = argv.findIndex((a) => a === "--scale" || a.startsWith("--scale="));
  if (index === -1) return null;
  const raw = argv[index]!.includes("=") ? argv[index]!.split("=")[1] : argv[index + 1];
  const n = Number(raw?.replace(/[_,]/g, "").replace(/k$/i, "000"));
  if (!Number.isSafeInteger(n) || n < 1 || n > 5_000_000) {
    console.error(`--scale needs a number of records from 1 to 5,000,000 (got ${raw ?? "nothing"}).`);
    process.exit(2);
  }
  return n;
}

const scale = scaleArgument(process.argv.slice(2));
await runCommand(async () => {
  const target = targetFromEnv();
  const db = await getDb(target);
  const { created } = await seedDemo(db, { signUp, createWorkspace, writeStory: (db, workspaceId, owner) => writeDemoStory(db, workspaceId, owner) });
  console.log(
    created
      ? `Demo workspace "${DEMO_WORKSPACE.name}" created. Log in as ${DEMO_USER.email} / ${DEMO_USER.password}`
      : `Demo workspace already present. Log in as ${DEMO_USER.email} / ${DEMO_USER.password}`,
  );
  const teammates = Object.values(loadDemoStory().teammates).map((t) => `${t.email} / ${t.password} (${t.team})`);
  console.log(`Teammates, to review as someone else: ${teammates.join(", ")}`);
  if (scale) {
    const result = await seedScale(db, scale, { signUp, createWorkspace, rebuildSearch: rebuildWorkspaceSearch }, (line) => console.log(`[scale] ${line}`));
    console.log(
      result.created
        ? `Workspace /w/${result.slug} created in ${result.seconds.toFixed(1)} s: ${JSON.stringify(result.counts)}`
        : `Workspace /w/${result.slug} already present; left as it is.`,
    );
  }
});
