/**
 * The team the mention tests write in: Dana (owner) wrote a postmortem; Mo (viewer) and Rae
 * (editor) are members who can be mentioned. And a save of the postmortem's text as paragraphs.
 */
import { expect } from "vitest";
import type { Db } from "#db/connection";
import { findPostmortem, savePostmortem } from "~/domain/postmortems/index.server";
import { addMember, makeUser, makeWorkspace } from "./factories";
import { makePostmortem } from "./guardrails";

/** An editor document of one paragraph per text. */
export const paragraphs = (...texts: string[]) => ({ type: "doc", content: texts.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) });

export async function mentionTeam(db: Db) {
  const dana = await makeUser(db, "Dana Author");
  const ws = await makeWorkspace(db, dana);
  const mo = await makeUser(db, "Mo Reader");
  const rae = await makeUser(db, "Rae Editor");
  await addMember(db, ws.id, dana, mo, "viewer");
  await addMember(db, ws.id, dana, rae, "editor");
  const number = await makePostmortem(db, dana, ws.id, { title: "Refunds issued twice" });
  return { db, ws, dana, mo, rae, number };
}

/** Saves the postmortem's body as these paragraphs (expecting success); returns it as it was before. */
export async function savePostmortemText(db: Db, actor: Awaited<ReturnType<typeof makeUser>>, wsId: string, number: number, ...texts: string[]) {
  const pm = (await findPostmortem(db, wsId, number))!;
  expect(await savePostmortem(db, actor, wsId, number, { baseVersion: pm.version, title: pm.title, body: paragraphs(...texts) })).toMatchObject({ ok: true });
  return pm;
}
