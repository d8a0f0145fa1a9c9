import { NavLink } from "@remix-run/react";

const SECTIONS = [
  { to: "", label: "General" },
  { to: "/integrations", label: "Integrations" },
  { to: "/github", label: "GitHub" },
  { to: "/tokens", label: "API tokens" },
  { to: "/deliveries", label: "Delivery log" },
  { to: "/reminders", label: "Reminders" },
] as const;

/** The admin's settings pages: the workspace itself, then how it connects to other systems. */
export function SettingsNav({ slug }: { slug: string }) {
  // On a narrow screen the tabs scroll sideways inside their own box instead of widening the page.
  return (
    <div className="table-wrap">
      <nav className="tabs nowrap" aria-label="Settings sections">
        {SECTIONS.map((s) => (
          <NavLink key={s.label} to={`/w/${slug}/settings${s.to}`} end={s.to === ""} prefetch="intent">
            {s.label}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
