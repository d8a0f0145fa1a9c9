/**
 * One live document in the browser: its Y.Doc, the Hocuspocus provider that syncs it over
 * /collab, who else is here, and what to tell the writer about the connection.
 *
 * Nothing typed is lost when the connection is: the Y.Doc keeps every edit, a copy of it is kept
 * in this browser (so a reload while offline keeps them too), and the provider sends them when
 * it reconnects, where they merge with everybody else's. When live editing can't start at all
 * (a proxy that blocks WebSockets), the page falls back to the HTTP autosave.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import * as Y from "yjs";
import { COLLABORATION_PATH, STORE_NOW } from "~/domain/documents/rules";
import type { CaretUser } from "./carets";

/**
 * connecting: not synced yet; live: synced; offline: was live, connection lost (edits kept);
 * unavailable: never got live (blocked, refused or too slow): use the HTTP autosave;
 * revoked: access ended during the session (read-only from now on).
 */
export type LivePhase = "connecting" | "live" | "offline" | "unavailable" | "revoked";

/** How long the first connection may take before the page falls back to the HTTP autosave. */
const FIRST_SYNC_TIMEOUT_MS = 8_000;
const LOCAL_COPY_DELAY_MS = 300;

export type Presence = CaretUser & { self: boolean };

function localKey(name: string) {
  return `hindsight:live:${name}`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Edits kept in this browser from an earlier visit, merged into the Y.Doc before it syncs. */
function restoreLocalCopy(name: string, ydoc: Y.Doc): boolean {
  try {
    const saved = window.localStorage.getItem(localKey(name));
    if (!saved) return false;
    Y.applyUpdate(ydoc, fromBase64(saved), "local copy");
    return true;
  } catch {
    return false;
  }
}

function writeLocalCopy(name: string, ydoc: Y.Doc | null) {
  try {
    if (ydoc) window.localStorage.setItem(localKey(name), toBase64(Y.encodeStateAsUpdate(ydoc)));
    else window.localStorage.removeItem(localKey(name));
  } catch {
    // A full quota or private mode: the edits stay in the page and are sent on reconnect.
  }
}

/** How long leaving the page waits for the server to store what was typed before it asks. */
const STORE_NOW_TIMEOUT_MS = 5_000;

export function useLiveDocument(options: { name: string; user: CaretUser; version: number }) {
  const { name, user } = options;
  const ydoc = useMemo(() => new Y.Doc(), []);
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);
  const [phase, setPhase] = useState<LivePhase>("connecting");
  const [readOnly, setReadOnly] = useState(false);
  const [pending, setPending] = useState(false);
  const [version, setVersion] = useState(options.version);
  const [people, setPeople] = useState<Presence[]>([]);
  /** A local edit the server has not stored yet (its stored message comes after the store). */
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const everSynced = useRef(false);
  const failedAttempts = useRef(0);
  /** Waiting for the server to say a store asked for now (STORE_NOW) has happened. */
  const storedNow = useRef<((stored: boolean) => void) | null>(null);

  useEffect(() => {
    restoreLocalCopy(name, ydoc);
    const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    // Reconnects soon after a drop, then every few seconds at most: a restarted server is found quickly.
    const socket = new HocuspocusProviderWebsocket({
      url: `${protocol}//${window.location.host}${COLLABORATION_PATH}`,
      delay: 500,
      minDelay: 500,
      maxDelay: 4_000,
      maxAttempts: 0,
    });
    const live = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      document: ydoc,
      onAuthenticated: ({ scope }) => setReadOnly(scope === "readonly"),
      onAuthenticationFailed: ({ reason }) => {
        setProblem(reason);
        setPhase(everSynced.current ? "revoked" : "unavailable");
        live.disconnect();
      },
      onSynced: ({ state }) => {
        if (!state) return;
        everSynced.current = true;
        setPhase("live");
      },
      onStatus: ({ status }) => {
        if (status !== "disconnected") return;
        setPhase((p) => (p === "live" ? "offline" : p));
        // Refused outright twice before ever syncing (a proxy that blocks WebSockets): don't wait for the timeout.
        if (!everSynced.current && ++failedAttempts.current >= 2) setPhase((p) => (p === "connecting" ? "unavailable" : p));
      },
      onUnsyncedChanges: ({ number }) => {
        setPending(number > 0);
        if (number === 0 && everSynced.current) writeLocalCopy(name, null);
      },
      onStateless: ({ payload }) => {
        try {
          const message = JSON.parse(payload) as { stored?: number; storedNow?: boolean };
          if (message.storedNow !== undefined) {
            storedNow.current?.(message.storedNow);
            storedNow.current = null;
            return;
          }
          if (typeof message.stored !== "number") return;
          setVersion(message.stored);
          if (!live.hasUnsyncedChanges) setDirty(false);
        } catch {
          // Not a message of ours.
        }
      },
    });
    live.attach();
    live.setAwarenessField("user", user);
    setProvider(live);

    const firstSync = setTimeout(() => {
      if (!everSynced.current) setPhase((p) => (p === "connecting" ? "unavailable" : p));
    }, FIRST_SYNC_TIMEOUT_MS);

    // Every local edit is kept in this browser until the server has it.
    let copyTimer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === live) return; // from the server: it has it already
      if (origin !== "local copy") setDirty(true);
      if (copyTimer) clearTimeout(copyTimer);
      copyTimer = setTimeout(() => writeLocalCopy(name, live.hasUnsyncedChanges ? ydoc : null), LOCAL_COPY_DELAY_MS);
    };
    ydoc.on("update", onUpdate);

    const awareness = live.awareness!;
    const onAwareness = () => {
      const seen = new Map<string, Presence>();
      for (const [clientId, state] of awareness.getStates()) {
        const person = (state as { user?: CaretUser }).user;
        if (!person?.id) continue;
        const self = clientId === awareness.clientID;
        if (!seen.has(person.id) || self) seen.set(person.id, { ...person, self: self || seen.get(person.id)?.self === true });
      }
      setPeople([...seen.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)));
    };
    awareness.on("change", onAwareness);
    onAwareness();

    return () => {
      clearTimeout(firstSync);
      if (copyTimer) clearTimeout(copyTimer);
      ydoc.off("update", onUpdate);
      awareness.off("change", onAwareness);
      live.destroy();
      socket.destroy();
      setProvider(null);
    };
    // The user's identity and the room don't change while the page is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name, ydoc]);

  /**
   * Asks the server to store this document now (not after its debounce) and waits for it, so the
   * page a person goes to next shows what they just typed. False when it can't be confirmed soon.
   */
  const flush = useCallback(async (): Promise<boolean> => {
    if (!provider || phase !== "live") return false;
    const stored = new Promise<boolean>((resolve) => {
      storedNow.current = resolve;
      setTimeout(() => resolve(false), STORE_NOW_TIMEOUT_MS);
    });
    provider.sendStateless(STORE_NOW);
    return stored;
  }, [provider, phase]);

  return { ydoc, provider, phase, readOnly, pending: pending || dirty, version, people, problem, flush };
}
