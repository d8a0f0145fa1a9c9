/**
 * Live co-editing (docs/decisions/0029): Hocuspocus inside this process, reached as a WebSocket
 * upgrade on /collab of the same HTTP server. Hocuspocus speaks the Yjs sync and awareness
 * protocols; this file decides who gets in and where the state lives.
 *
 * - The upgrade is checked like a page: the same-origin rule (a foreign Origin is refused before
 *   any WebSocket exists, which prevents cross-site WebSocket hijacking) and a valid session.
 * - Each document (room) then asks the policy: members only; viewers, and everybody on a
 *   published postmortem, get a read-only connection (Hocuspocus drops their updates).
 * - A sweep every few seconds asks again for every open connection: a revoked membership, an
 *   ended session or a changed role closes the connection (a new one gets the new rights).
 * - Documents load from and store to the database (app/domain/documents/collaboration.server.ts).
 * - With REDIS_URL, Hocuspocus's Redis extension shares each document between app processes.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { Redis } from "@hocuspocus/extension-redis";
import { Hocuspocus, type Connection, type Extension } from "@hocuspocus/server";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import type { Db } from "#db/connection";
import { validateSessionToken } from "~/domain/accounts/index.server";
import {
  COLLABORATION_PATH,
  STORE_NOW,
  liveAccess,
  liveDocumentName,
  onLiveStateWritten,
  openLiveState,
  parseLiveDocumentName,
  readLiveState,
  storeLiveState,
  STORED_STATE_ORIGIN,
  type LiveDocument,
} from "~/domain/documents/index.server";
import { log } from "~/http/log.server";

const SESSION_COOKIE = "hs_session";
/** How often open connections are checked against memberships and sessions. */
const SWEEP_MS = 5_000;
/** Quiet time before a store, and the longest an edit waits to be stored while people keep typing. */
const STORE_DEBOUNCE_MS = 1_500;
const STORE_MAX_DEBOUNCE_MS = 8_000;
/** A bound on one message; a whole 50-page postmortem's state is well under it. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** What the upgrade learnt about the person, handed to every hook as the connection's context. */
type Context = { userId: string; userName: string; token: string; readOnly?: boolean; workspaceId?: string };

export type Collaboration = { hocuspocus: Hocuspocus; close: () => Promise<void> };

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The same-origin rule for an upgrade: browsers always send Origin on a WebSocket handshake. */
export function upgradeOriginProblem(headers: IncomingMessage["headers"]): string | null {
  const origin = headers.origin;
  if (!origin || origin === "null") return "A live-editing connection must come from this site (no Origin header).";
  try {
    if (new URL(origin).host !== headers.host) return `Live-editing connection from ${new URL(origin).host} refused.`;
  } catch {
    return "The Origin header is not a URL.";
  }
  return null;
}

function refuse(socket: Duplex, status: 401 | 403 | 404 | 503, reason: string) {
  const text = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable" }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

function documentOf(name: string): LiveDocument {
  const document = parseLiveDocumentName(name);
  if (!document) throw new Error("No such document.");
  return document;
}

export function attachCollaboration(server: Server, db: Db, options: { redisUrl?: string | undefined; sweepMs?: number } = {}): Collaboration {
  /** The last person whose edit reached each open document, named as the author of its next store. */
  const lastEditor = new Map<string, string>();

  const persistence: Extension = {
    async onAuthenticate({ context, documentName, connectionConfig }) {
      const ctx = context as Context;
      const access = await liveAccess(db, ctx.userId, documentOf(documentName));
      // A record in another workspace and no record look the same.
      if (!access.ok) throw new Error("Document not found.");
      connectionConfig.readOnly = access.readOnly;
      return { workspaceId: access.workspaceId, readOnly: access.readOnly };
    },
    async onLoadDocument({ documentName, document }) {
      const state = await openLiveState(db, documentOf(documentName));
      if (!state) throw new Error("Document not found.");
      Y.applyUpdate(document, state, STORED_STATE_ORIGIN);
      return document;
    },
    async onChange({ documentName, transactionOrigin }) {
      const editor = (transactionOrigin as Connection | undefined)?.context as Context | undefined;
      if (editor?.userId) lastEditor.set(documentName, editor.userId);
    },
    async onStoreDocument({ documentName, document }) {
      const result = await storeLiveState(db, documentOf(documentName), document, lastEditor.get(documentName) ?? null);
      if (result.kind === "kept") log.warn({ document: documentName, reason: result.reason }, "live document stored, its text not derived");
      // Editors learn the version they are on: the HTTP fallback names it as its base.
      if (result.kind !== "not-found") document.broadcastStateless(JSON.stringify({ stored: result.version }));
    },
    // An editor leaving the page: store now rather than after the debounce, then say so to it
    // alone, so the page it goes to reads what was typed (STORE_NOW).
    async onStateless({ documentName, payload, connection }) {
      if (payload !== STORE_NOW) return;
      const id = `onStoreDocument-${documentName}`;
      let stored = true;
      try {
        if (hocuspocus.debouncer.isDebounced(id)) await hocuspocus.debouncer.executeNow(id);
      } catch (error) {
        stored = false;
        log.error({ document: documentName, error: String(error) }, "live document not stored on leaving");
      }
      connection.sendStateless(JSON.stringify({ storedNow: stored }));
    },
    async afterUnloadDocument({ documentName }) {
      lastEditor.delete(documentName);
    },
  };

  const extensions: Extension[] = [persistence];
  if (options.redisUrl) {
    const url = new URL(options.redisUrl);
    extensions.unshift(
      new Redis({
        host: url.hostname,
        port: Number(url.port || 6379),
        options: { password: url.password || undefined, username: url.username || undefined, db: Number(url.pathname.slice(1) || 0) },
        prefix: "hindsight:collab",
      }),
    );
  }

  const hocuspocus = new Hocuspocus({
    name: `hindsight-${process.pid}`,
    quiet: true,
    debounce: STORE_DEBOUNCE_MS,
    maxDebounce: STORE_MAX_DEBOUNCE_MS,
    extensions,
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      if (path !== COLLABORATION_PATH) return refuse(socket, 404, "No WebSocket here.");
      const originProblem = upgradeOriginProblem(request.headers);
      if (originProblem) {
        log.warn({ path, reason: originProblem }, "cross-site WebSocket refused");
        return refuse(socket, 403, originProblem);
      }
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = token ? await validateSessionToken(db, token) : null;
      if (!token || !session) return refuse(socket, 401, "Sign in to edit live.");
      const context: Context = { userId: session.user.id, userName: session.user.display_name, token };
      sockets.handleUpgrade(request, socket, head, (ws) => hocuspocus.handleConnection(ws, request, context));
    })().catch((error: unknown) => {
      log.error({ error: String(error) }, "live-editing upgrade failed");
      refuse(socket, 503, "Live editing is unavailable.");
    });
  });

  // A save over HTTP wrote into a document's stored state: pass it to the people editing it here.
  const stopListening = onLiveStateWritten((store, recordId) => {
    const document = hocuspocus.documents.get(liveDocumentName({ store, recordId }));
    if (!document) return;
    void readLiveState(db, store, recordId)
      .then((state) => state && Y.applyUpdate(document, state, STORED_STATE_ORIGIN))
      .catch((error: unknown) => log.error({ error: String(error) }, "saved text not passed to live editors"));
  });

  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void recheckConnections(db, hocuspocus)
      .catch((error: unknown) => log.error({ error: String(error) }, "live-editing access sweep failed"))
      .finally(() => {
        sweeping = false;
      });
  }, options.sweepMs ?? SWEEP_MS);
  sweep.unref();

  return {
    hocuspocus,
    async close() {
      clearInterval(sweep);
      stopListening();
      // Unloading stores each open document (its last edits) before the database closes.
      hocuspocus.closeConnections();
      await Promise.all([...hocuspocus.documents.values()].map((document) => hocuspocus.unloadDocument(document)));
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

/** Closes connections whose person lost the access they joined with (membership, session, role). */
async function recheckConnections(db: Db, hocuspocus: Hocuspocus) {
  const sessions = new Map<string, Promise<boolean>>();
  for (const [name, document] of hocuspocus.documents) {
    const target = parseLiveDocumentName(name);
    if (!target) continue;
    for (const connection of document.getConnections()) {
      const ctx = connection.context as Context;
      if (!ctx?.userId) continue;
      if (!sessions.has(ctx.token)) sessions.set(ctx.token, validateSessionToken(db, ctx.token).then((s) => s?.user.id === ctx.userId));
      const sessionValid = await sessions.get(ctx.token)!;
      const access = sessionValid ? await liveAccess(db, ctx.userId, target) : ({ ok: false } as const);
      if (!access.ok || access.readOnly !== connection.readOnly) {
        log.info({ document: name, user: ctx.userId, still: access.ok }, "live-editing access changed; connection closed");
        // The whole socket closes (4403): the browser reconnects and asks for access anew.
        const reason = access.ok ? "Your access to this document changed." : "You no longer have access to this document.";
        connection.close({ code: 4403, reason });
        connection.webSocket.close(4403, reason);
      }
    }
  }
}
