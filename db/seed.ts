import type { Db } from "./connection";

/**
 * The demo workspace a fresh install starts with: the demo user, the workspace, and the story
 * in it (app/domain/demo/story.server.ts). Written through the domain functions (so it has audit
 * events and search documents like any other data), and idempotent: when the workspace exists,
 * nothing is written. The domain functions are passed in, not imported, because db/ sits below app/.
 */
export const DEMO_USER = {
  email: "demo@hindsight.test",
  password: "learn-from-hindsight-26",
  displayName: "Dana Demo",
} as const;
export const DEMO_WORKSPACE = { name: "Acme Payments", slug: "acme" } as const;

type Actor = { id: string; email: string; display_name: string };
export type SeedDomain = {
  signUp: (db: Db, input: { email: string; displayName: string; password: string }) => Promise<{ ok: boolean }>;
  createWorkspace: (db: Db, actor: Actor, input: { name: string; slug: string }) => Promise<{ ok: true; workspace: { id: string } } | { ok: false }>;
  /** Fills the new workspace with its story; left out, the workspace stays empty. */
  writeStory?: (db: Db, workspaceId: string, owner: Actor) => Promise<void>;
};

export async function seedDemo(db: Db, domain: SeedDomain): Promise<{ created: boolean }> {
  const existing = await db.selectFrom("workspaces").select("id").where("slug", "=", DEMO_WORKSPACE.slug).executeTakeFirst();
  if (existing) return { created: false };
  let user = await db.selectFrom("users").select(["id", "email", "display_name"]).where("email", "=", DEMO_USER.email).executeTakeFirst();
  if (!user) {
    const signedUp = await domain.signUp(db, DEMO_USER);
    if (!signedUp.ok) throw new Error(`Demo user refused: ${JSON.stringify(signedUp)}`);
    user = await db
      .selectFrom("users")
      .select(["id", "email", "display_name"])
      .where("email", "=", DEMO_USER.email)
      .executeTakeFirstOrThrow();
  }
  const created = await domain.createWorkspace(db, user, DEMO_WORKSPACE);
  if (!created.ok) throw new Error(`Demo workspace refused: ${JSON.stringify(created)}`);
  await domain.writeStory?.(db, created.workspace.id, user);
  return { created: true };
}
