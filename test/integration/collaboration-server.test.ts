/**
 * The live-editing server as browsers meet it: a real HTTP server with Hocuspocus on /collab,
 * Hocuspocus's own provider over real WebSockets, on both engines. Who gets in (session, Origin,
 * membership), what a read-only socket can do (nothing, even when crafted), and a membership
 * revoked during the session.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterEach, expect, it } from "vitest";
import { createSession, type PublicUser } from "~/domain/accounts/index.server";
import { contentOfYDoc, liveDocumentName } from "~/domain/documents/index.server";
import { findPostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { changeMemberRole } from "~/domain/workspaces/index.server";
import { attachCollaboration, type Collaboration } from "../../server/collaboration";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms = 8_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describeEachEngine("live co-editing: the server", (testDb) => {
  const open: Array<{ destroy: () => void }> = [];
  let running: { server: Server; collaboration: Collaboration } | null = null;

  afterEach(async () => {
    for (const thing of open.splice(0)) thing.destroy();
    if (running) {
      await running.collaboration.close();
      await new Promise<void>((resolve) => running!.server.close(() => resolve()));
      running = null;
    }
  });

  async function setup() {
    const db = testDb();
    const author = await makeUser(db, "Author");
    const viewer = await makeUser(db, "Viewer");
    const ws = await makeWorkspace(db, author);
    await addMember(db, ws.id, author, viewer, "viewer");
    const { number } = await makeIncident(db, author, ws.id);
    expect(await startPostmortem(db, author, ws.id, number, "lightweight")).toEqual({ ok: true });
    const pm = (await findPostmortem(db, ws.id, number))!;
    const server = createServer((_req, res) => res.end());
    const collaboration = attachCollaboration(server, db, { sweepMs: 200 });
    running = { server, collaboration };
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { db, author, viewer, ws, number, pm, host, name: liveDocumentName({ store: "postmortem", recordId: pm.id }) };
  }

  async function cookieOf(user: PublicUser) {
    const { token } = await createSession(testDb(), user.id);
    return `hs_session=${token}`;
  }

  /** Hocuspocus's browser provider, given the headers a browser on this site would send. */
  function connect(host: string, name: string, headers: Record<string, string>) {
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const socket = new HocuspocusProviderWebsocket({ url: `ws://${host}/collab`, WebSocketPolyfill: BrowserLikeSocket, maxAttempts: 1 });
    const document = new Y.Doc();
    const state = { synced: false, readOnly: null as boolean | null, denied: null as string | null, closed: false };
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      document,
      onSynced: () => (state.synced = true),
      onAuthenticated: ({ scope }) => (state.readOnly = scope === "readonly"),
      onAuthenticationFailed: ({ reason }) => (state.denied = reason),
      onClose: () => (state.closed = true),
    });
    provider.attach();
    open.push(provider, socket);
    return { provider, document, state };
  }

  /** The answer to a bare upgrade request: the HTTP status, or 101 when a WebSocket opened. */
  function upgradeStatus(host: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`ws://${host}/collab`, { headers });
      socket.on("open", () => {
        socket.close();
        resolve(101);
      });
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => resolve(0));
    });
  }

  it("refuses a foreign Origin, a missing Origin and a missing session before any WebSocket opens", async () => {
    const { author, host } = await setup();
    const cookie = await cookieOf(author);
    expect(await upgradeStatus(host, { cookie, origin: "http://attacker.example" })).toBe(403);
    expect(await upgradeStatus(host, { cookie })).toBe(403);
    expect(await upgradeStatus(host, { origin: `http://${host}` })).toBe(401);
    expect(await upgradeStatus(host, { cookie: "hs_session=abcdefghijklmnopqrstuvwxyz234567", origin: `http://${host}` })).toBe(401);
    expect(await upgradeStatus(host, { cookie, origin: `http://${host}` })).toBe(101);
  });

  it("two editors' edits reach each other; a viewer's socket is read-only and a crafted update from it is refused", async () => {
    const { author, viewer, host, name, db, ws, number } = await setup();
    const other = await makeUser(db, "Other");
    await addMember(db, ws.id, author, other, "editor");
    const origin = `http://${host}`;
    const a = connect(host, name, { cookie: await cookieOf(author), origin });
    const b = connect(host, name, { cookie: await cookieOf(other), origin });
    const v = connect(host, name, { cookie: await cookieOf(viewer), origin });
    await waitFor(() => a.state.synced && b.state.synced && v.state.synced, "three synced clients");
    expect([a.state.readOnly, b.state.readOnly, v.state.readOnly]).toEqual([false, false, true]);

    a.document.getText("title").insert(0, "A: ");
    await waitFor(() => b.document.getText("title").toString().startsWith("A: "), "A's edit at B");

    // A modified client: the viewer's document changes locally and its provider sends the update.
    const before = contentOfYDoc(a.document);
    v.document.getText("title").insert(0, "VIEWER WAS HERE ");
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("injected by a viewer")]);
    v.document.getXmlFragment("default").insert(0, [paragraph]);
    await new Promise((r) => setTimeout(r, 600));
    const live = running!.collaboration.hocuspocus.documents.get(name)!;
    expect(live.getText("title").toString()).not.toContain("VIEWER");
    expect(contentOfYDoc(a.document)).toEqual(before);
    // Stored: nothing of it reaches the record either.
    await running!.collaboration.hocuspocus.unloadDocument(live).catch(() => {});
    await waitFor(async () => (await findPostmortem(db, ws.id, number))!.title.startsWith("A: "), "the editor's title stored");
    expect((await findPostmortem(db, ws.id, number))!.body_text).not.toContain("injected");
  });

  it("refuses people outside the workspace, and closes the connection of a member removed during the session", async () => {
    const { author, viewer, host, name, db, ws } = await setup();
    const stranger = await makeUser(db, "Stranger");
    const origin = `http://${host}`;
    const s = connect(host, name, { cookie: await cookieOf(stranger), origin });
    await waitFor(() => s.state.denied !== null, "the stranger refused");
    expect(s.state.synced).toBe(false);

    const v = connect(host, name, { cookie: await cookieOf(viewer), origin });
    await waitFor(() => v.state.synced, "the viewer synced");
    expect(await changeMemberRole(db, author, ws.id, viewer.id, null)).toMatchObject({ ok: true });
    await waitFor(() => v.state.closed, "the removed member's connection closed");
    // The provider reconnects on its own; the room refuses it now.
    await waitFor(() => v.state.denied !== null, "the removed member's reconnection refused");
  });
});
