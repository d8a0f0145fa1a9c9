import { NavLink } from "@remix-run/react";

/** The two halves of guardrails: the actions people owe, and the gates those actions build. */
export function GuardrailTabs({ slug }: { slug: string }) {
  return (
    <nav className="tabs" aria-label="Guardrails sections">
      <NavLink to={`/w/${slug}/guardrails`} end prefetch="intent">
        Actions
      </NavLink>
      <NavLink to={`/w/${slug}/gates`} end prefetch="intent">
        Gates
      </NavLink>
    </nav>
  );
}
