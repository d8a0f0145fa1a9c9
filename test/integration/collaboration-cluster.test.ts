/**
 * Live co-editing with two app processes on one Postgres (ADR 29): each process runs its own
 * Hocuspocus, joined through Redis (REDIS_URL). Two editors connected to different processes
 * see each other's typing, and the stored record ends equal to both. Postgres only: PGlite is one
 * process. Needs Redis (REDIS_URL, else 127.0.0.1:6379), as CI's machine has.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, type PublicUser } from "~/domain/accounts/index.server";
import { contentOfYDoc, liveDocumentName } from "~/domain/documents/index.server";
import { findPostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { attachCollaboration, type Collaboration } from "../../server/collaboration";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.runIf(await postgresAvailable())("live co-editing across two app processes [postgres + redis]", () => {
  let database: TestDatabase;
  const apps: Array<{ server: Server; collaboration: Collaboration; host: string }> = [];
  const open: Array<{ destroy: () => void }> = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    for (let i = 0; i < 2; i += 1) {
      const server = createServer((_req, res) => res.end());
      const collaboration = attachCollaboration(server, database.db, { redisUrl: REDIS_URL });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      apps.push({ server, collaboration, host: `127.0.0.1:${(server.address() as AddressInfo).port}` });
    }
  }, 60_000);

  afterAll(async () => {
    for (const thing of open.splice(0)) thing.destroy();
    for (const app of apps) {
      await app.collaboration.close();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
    }
    await database?.close();
  });

  function connect(host: string, name: string, cookie: string) {
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie, origin: `http://${host}` } });
      }
    }
    const socket = new HocuspocusProviderWebsocket({ url: `ws://${host}/collab`, WebSocketPolyfill: BrowserLikeSocket });
    const document = new Y.Doc();
    const state = { synced: false };
    const provider = new HocuspocusProvider({ websocketProvider: socket, name, document, onSynced: () => (state.synced = true) });
    provider.attach();
    open.push(provider, socket);
    return { document, state };
  }

  async function cookieOf(user: PublicUser) {
    return `hs_session=${(await createSession(database.db, user.id)).token}`;
  }

  it("editors on different processes see each other's typing, and the record stores what both see", async () => {
    const db = database.db;
    const author = await makeUser(db, "Author");
    const other = await makeUser(db, "Other");
    const ws = await makeWorkspace(db, author);
    await addMember(db, ws.id, author, other, "editor");
    const { number } = await makeIncident(db, author, ws.id);
    expect(await startPostmortem(db, author, ws.id, number, "lightweight")).toEqual({ ok: true });
    const pm = (await findPostmortem(db, ws.id, number))!;
    const name = liveDocumentName({ store: "postmortem", recordId: pm.id });

    const a = connect(apps[0]!.host, name, await cookieOf(author));
    await waitFor(() => a.state.synced, "A synced on process 1");
    const b = connect(apps[1]!.host, name, await cookieOf(other));
    await waitFor(() => b.state.synced, "B synced on process 2");
    // One conversion for both processes.
    expect(contentOfYDoc(b.document)).toEqual(contentOfYDoc(a.document));

    a.document.getText("title").insert(0, "From A on process 1. ");
    await waitFor(() => b.document.getText("title").toString().startsWith("From A on process 1. "), "A's typing at B");
    b.document.getText("title").insert(b.document.getText("title").length, " And B on process 2.");
    await waitFor(() => a.document.getText("title").toString().endsWith(" And B on process 2."), "B's typing at A");

    const seen = a.document.getText("title").toString();
    await waitFor(async () => (await findPostmortem(db, ws.id, number))!.title === seen, "the record stored with both edits", 20_000);
    expect(b.document.getText("title").toString()).toBe(seen);
  });
});
