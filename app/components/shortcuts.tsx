import { useLocation, useNavigate } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { defaultKeybindingsHandlerIgnore, tinykeys } from "tinykeys";
import { isTypingIn } from "./typing";

/** Where "g" then a letter goes, within a workspace. */
export const GO_TO = [
  { key: "h", label: "Home", path: "" },
  { key: "i", label: "Incidents", path: "/incidents" },
  { key: "p", label: "Postmortems", path: "/postmortems" },
  { key: "g", label: "Guardrails", path: "/guardrails" },
  { key: "d", label: "Decisions", path: "/decisions" },
  { key: "n", label: "Insights", path: "/insights" },
  { key: "s", label: "Search", path: "/search" },
  { key: "t", label: "Settings", path: "/settings" },
] as const;

/** What "c" creates on a list page: the page's own create link, so it is offered only to who may create. */
const CREATE_ON = [
  { list: "/incidents", create: "/incidents/new" },
  { list: "/decisions", create: "/decisions/new?kind=adr" },
  { list: "/gates", create: "/gates/new" },
] as const;

const DIALOG_ID = "keyboard-shortcuts";

/** The button that opens the list, for those who don't know the "?" key (the sidebar's foot). */
export function ShortcutsButton() {
  return (
    <button
      type="button"
      className="link-button"
      aria-haspopup="dialog"
      aria-keyshortcuts="Shift+?"
      onClick={() => document.querySelector<HTMLDialogElement>(`#${DIALOG_ID}`)?.showModal()}
    >
      Keyboard shortcuts
    </button>
  );
}

/**
 * The workspace's keyboard shortcuts, and the list of them that "?" opens (a modal dialog; Escape
 * closes it). None fires while the user types in a field or the editor, or with Ctrl, Alt or Meta.
 */
export function KeyboardShortcuts({ slug }: { slug: string }) {
  const navigate = useNavigate();
  // Bound again on each page: a sequence half typed on one page does not finish on the next.
  const { pathname } = useLocation();
  const dialog = useRef<HTMLDialogElement>(null);
  const base = `/w/${slug}`;

  useEffect(() => {
    const go = (path: string) => () => navigate(`${base}${path}`);
    const bindings: Record<string, (event: KeyboardEvent) => void> = {
      "[Shift]+?": (event) => {
        event.preventDefault();
        if (!dialog.current?.open) dialog.current?.showModal();
      },
      c: (event) => {
        // The address as it is now: a key pressed right after a navigation, before this effect ran
        // again with the new page's pathname, still finds the new page's create link.
        const here = CREATE_ON.find((c) => window.location.pathname === `${base}${c.list}`);
        const link = here ? document.querySelector<HTMLAnchorElement>(`main a[href="${base}${here.create}"]`) : null;
        if (!link) return;
        event.preventDefault();
        link.click();
      },
    };
    for (const g of GO_TO) bindings[`g ${g.key}`] = go(g.path);
    return tinykeys(window, bindings, {
      ignore: (event) =>
        defaultKeybindingsHandlerIgnore(event) ||
        isTypingIn(event.target) ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        event.isComposing ||
        // A modal dialog (this list, or another) is open: keys are its own.
        (document.querySelector("dialog[open]") !== null && event.key !== "?"),
    });
  }, [navigate, pathname, base]);

  return (
    <>
      <dialog ref={dialog} id={DIALOG_ID} className="shortcuts-dialog" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <p className="muted small-text">They do nothing while you type in a field or the editor.</p>
        <dl className="shortcut-list">
          <div>
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Search</dd>
          </div>
          <div>
            <dt>
              <kbd>c</kbd>
            </dt>
            <dd>Create: an incident, a decision record or a gate, on its list</dd>
          </div>
          {GO_TO.map((g) => (
            <div key={g.key}>
              <dt>
                <kbd>g</kbd> then <kbd>{g.key}</kbd>
              </dt>
              <dd>Go to {g.label}</dd>
            </div>
          ))}
          <div>
            <dt>
              <kbd>?</kbd>
            </dt>
            <dd>This list</dd>
          </div>
        </dl>
        <form method="dialog">
          <button type="submit" className="button secondary" autoFocus>
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
