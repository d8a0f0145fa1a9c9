import { signUp } from "~/domain/auth.server";
import { createWorkspace } from "~/domain/workspaces.server";
import { closeDb, getDb, targetFromEnv } from "../connection";
import { DEMO_USER, DEMO_WORKSPACE, seedDemo } from "../seed";

const target = targetFromEnv();
const db = await getDb(target);
const { created } = await seedDemo(db, { signUp, createWorkspace });
console.log(
  created
    ? `Demo workspace "${DEMO_WORKSPACE.name}" created. Log in as ${DEMO_USER.email} / ${DEMO_USER.password}`
    : `Demo workspace already present. Log in as ${DEMO_USER.email} / ${DEMO_USER.password}`,
);
await closeDb();
