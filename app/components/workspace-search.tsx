import { Form, useNavigate } from "@remix-run/react";
import { useEffect } from "react";
import { isTypingIn } from "./typing";

/**
 * The workspace's search box in the sidebar, and the "/" shortcut: pressed anywhere except while
 * typing, it focuses the search page's own box when that page is open, this box otherwise.
 */
export function WorkspaceSearch({ slug }: { slug: string }) {
  const navigate = useNavigate();
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || event.isComposing) return;
      if (isTypingIn(event.target)) return;
      const box = document.querySelector<HTMLInputElement>("[data-search-input]") ?? document.querySelector<HTMLInputElement>("[data-sidebar-search]");
      event.preventDefault();
      // On a phone the sidebar box sits in the closed navigation menu: open it first.
      const menu = box?.closest("details");
      if (menu && !menu.open) menu.open = true;
      if (box) {
        box.focus();
        box.select();
      } else {
        navigate(`/w/${slug}/search`);
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [navigate, slug]);

  return (
    <Form method="get" action={`/w/${slug}/search`} role="search" className="sidebar-search">
      <input type="search" name="q" aria-label="Search this workspace" placeholder="Search" autoComplete="off" data-sidebar-search="" aria-keyshortcuts="/" />
      <kbd aria-hidden="true">/</kbd>
    </Form>
  );
}
