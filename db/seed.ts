import type { Db } from "./connection";

/**
 * The demo workspace a fresh install starts with. Written through the domain functions (so it
 * has audit events like any other data), and idempotent: running it twice changes nothing.
 * The domain module is passed in, not imported, because db/ sits below app/.
 */
export const DEMO_USER = {
  email: "demo@hindsight.test",
  password: "learn-from-hindsight-26",
  displayName: "Dana Demo",
} as const;
export const DEMO_WORKSPACE = { name: "Acme Payments", slug: "acme" } as const;

export type SeedDomain = {
  signUp: (db: Db, input: { email: string; displayName: string; password: string }) => Promise<{ ok: boolean }>;
  createWorkspace: (db: Db, actor: { id: string; email: string; display_name: string }, input: { name: string; slug: string }) => Promise<unknown>;
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
  await domain.createWorkspace(db, user, DEMO_WORKSPACE);
  return { created: true };
}
