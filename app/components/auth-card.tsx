import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The one narrow card of the pages outside a workspace (welcome, log in, sign up, an invite, the
 * account, a new workspace): the brand, linking home when `home` is given, and the page's title.
 */
export function AuthCard({ title, home, children }: { title: ReactNode; home?: string; children: ReactNode }) {
  const brand = (
    <>
      <span className="brand-mark" aria-hidden="true" /> Hindsight
    </>
  );
  return (
    <main className="auth" id="main">
      <div className="auth-card card">
        {home ? (
          <Link to={home} className="brand">
            {brand}
          </Link>
        ) : (
          <p className="brand">{brand}</p>
        )}
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** "New here? Create an account" and its mirror: to the other auth page, keeping where to go afterwards. */
export function AuthSwitch({ prompt, to, label, redirectTo }: { prompt: string; to: "/login" | "/signup"; label: string; redirectTo: string }) {
  return (
    <p className="muted auth-alt">
      {prompt} <Link to={`${to}${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>{label}</Link>
    </p>
  );
}
