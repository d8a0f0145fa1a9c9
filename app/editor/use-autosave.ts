/**
 * Autosave with optimistic concurrency and a local draft.
 * Every change is kept in localStorage at once (so a reload loses nothing) and sent to the
 * server after a short pause, naming the version it was based on. A 409 stops autosaving and
 * hands the conflict to the page: the user compares and chooses, nothing is overwritten.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { DocumentJSON } from "~/domain/documents/rules";
import { writeDraft } from "./drafts";

export type SaveState = "saved" | "unsaved" | "saving" | "offline" | "conflict" | "error";
export type ServerConflict = {
  version: number;
  title: string;
  body: DocumentJSON;
  html: string;
  updatedByName: string;
  updatedAt: string;
};
type SaveOutcome = "saved" | "busy" | "failed";

const SAVE_DELAY_MS = 1000;
const RETRY_DELAY_MS = 5000;

export function useAutosave(options: { documentId: string; saveUrl: string; version: number; title: string; body: DocumentJSON }) {
  const { documentId, saveUrl } = options;
  const base = useRef(options.version);
  const latest = useRef({ title: options.title, body: options.body });
  const changeCount = useRef(0);
  /** The change count the server last confirmed; fewer than changeCount means an edit is pending. */
  const savedCount = useRef(0);
  const inFlight = useRef(false);
  const inFlightSave = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [state, setState] = useState<SaveState>("saved");
  const [version, setVersion] = useState(options.version);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<ServerConflict | null>(null);
  const conflictRef = useRef<ServerConflict | null>(null);

  /** One save of the latest text; says how it went, for flush. */
  const save = useCallback(async (): Promise<SaveOutcome> => {
    if (conflictRef.current) return "failed";
    if (inFlight.current) return "busy";
    inFlight.current = true;
    let finish = () => {};
    inFlightSave.current = new Promise<void>((resolve) => (finish = resolve));
    const sentChange = changeCount.current;
    const payload = { baseVersion: base.current, title: latest.current.title, body: latest.current.body };
    setState("saving");
    let outcome: SaveOutcome = "failed";
    try {
      const response = await fetch(saveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
        credentials: "same-origin",
      });
      const json = (await response.json().catch(() => ({}))) as {
        version?: number;
        savedAt?: string;
        error?: string;
        conflict?: ServerConflict;
      };
      if (response.ok && json.version) {
        base.current = json.version;
        setVersion(json.version);
        setSavedAt(json.savedAt ?? new Date().toISOString());
        setError(null);
        savedCount.current = sentChange;
        outcome = "saved";
        if (changeCount.current === sentChange) {
          writeDraft(documentId, null);
          setState("saved");
        } else {
          writeDraft(documentId, { baseVersion: base.current, ...latest.current, at: new Date().toISOString() });
          setState("unsaved");
          schedule();
        }
      } else if (response.status === 409 && json.conflict) {
        conflictRef.current = json.conflict;
        setConflict(json.conflict);
        setState("conflict");
      } else {
        setError(json.error ?? `The server answered ${response.status}.`);
        setState("error");
      }
    } catch {
      setState("offline");
      timer.current = setTimeout(() => void save(), RETRY_DELAY_MS);
    } finally {
      inFlight.current = false;
      inFlightSave.current = null;
      finish();
    }
    return outcome;
    // schedule is stable (declared below with useCallback and no deps that change).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [documentId, saveUrl]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
  }, [save]);

  /** Record an edit: kept locally at once, saved after a pause. */
  const change = useCallback(
    (next: { title: string; body: DocumentJSON }) => {
      latest.current = next;
      changeCount.current += 1;
      writeDraft(documentId, { baseVersion: base.current, ...next, at: new Date().toISOString() });
      if (!conflictRef.current) {
        setState("unsaved");
        schedule();
      }
    },
    [documentId, schedule],
  );

  /** True while an edit has not yet been confirmed by the server. */
  const pending = useCallback(() => changeCount.current !== savedCount.current || inFlight.current, []);

  /**
   * Saves what is pending now instead of after the pause (before the page is left). Resolves true
   * when everything typed is on the server, false when it could not be (a conflict, an error, no
   * connection); the text is then still in the editor and in this browser.
   */
  const flush = useCallback(async (): Promise<boolean> => {
    // A save answered while edits came in schedules another: a few rounds at most.
    for (let round = 0; round < 4; round++) {
      if (inFlightSave.current) await inFlightSave.current;
      if (!pending()) return true;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      const outcome = await save();
      if (outcome === "failed") return false;
    }
    return !pending();
  }, [pending, save]);

  /** The user keeps their text: it is saved on top of the version that won. */
  const keepMine = useCallback(() => {
    const c = conflictRef.current;
    if (!c) return;
    base.current = c.version;
    conflictRef.current = null;
    setConflict(null);
    void save();
  }, [save]);

  /** The user takes the saved version: their local text is dropped. Returns what to show. */
  const takeTheirs = useCallback(() => {
    const c = conflictRef.current;
    if (!c) return null;
    base.current = c.version;
    setVersion(c.version);
    latest.current = { title: c.title, body: c.body };
    conflictRef.current = null;
    setConflict(null);
    savedCount.current = changeCount.current;
    writeDraft(documentId, null);
    setState("saved");
    return c;
  }, [documentId]);

  /** A draft left from an earlier visit, based on an older version: treat it as a conflict. */
  const raiseConflict = useCallback((c: ServerConflict, draftBase: number) => {
    base.current = draftBase;
    conflictRef.current = c;
    setConflict(c);
    setState("conflict");
  }, []);

  useEffect(() => {
    // Closing the tab, reloading or following a full-page link: the browser asks first while an
    // edit is pending; the local draft brings the text back if the person leaves anyway.
    const warn = (event: BeforeUnloadEvent) => {
      if (pending() || state === "unsaved" || state === "saving" || state === "offline") event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [state, pending]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  return { state, version, savedAt, error, conflict, change, keepMine, takeTheirs, raiseConflict, saveNow: save, flush, pending };
}
