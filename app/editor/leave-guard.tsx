/**
 * Leaving an editor page never drops what was typed: a navigation inside the app waits while the
 * pending autosave is sent at once, then goes on. Only when that save fails (a conflict, an
 * error, no connection) does it stop and ask. Closing the tab or a full-page link is covered by
 * the autosave's beforeunload prompt.
 */
import { useBlocker } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

type Flushable = { pending: () => boolean; flush: () => Promise<boolean> };

export function LeaveGuard({ autosave }: { autosave: Flushable }) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      autosave.pending() && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  const [failed, setFailed] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const { state } = blocker;

  useEffect(() => {
    if (state !== "blocked") return;
    let live = true;
    void autosave.flush().then((saved) => {
      if (!live) return;
      if (saved) blocker.proceed();
      else setFailed(true);
    });
    return () => {
      live = false;
    };
    // The blocker object changes identity on every render; its state is what matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (failed && state === "blocked" && !element.open) element.showModal();
    if ((!failed || state !== "blocked") && element.open) element.close();
  }, [failed, state]);

  return (
    <dialog
      ref={dialog}
      className="leave-dialog"
      aria-labelledby="leave-title"
      onCancel={() => {
        setFailed(false);
        if (blocker.state === "blocked") blocker.reset();
      }}
    >
      <h2 id="leave-title">Your latest changes are not saved yet</h2>
      <p>They could not be sent to the server just now. They are kept in this browser and come back when you open this document again.</p>
      <div className="actions-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            setFailed(false);
            if (blocker.state === "blocked") blocker.reset();
          }}
        >
          Stay and keep editing
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setFailed(false);
            if (blocker.state === "blocked") blocker.proceed();
          }}
        >
          Leave anyway
        </button>
      </div>
    </dialog>
  );
}
