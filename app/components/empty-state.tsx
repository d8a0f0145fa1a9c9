import type { ReactNode } from "react";

/** What a new user sees where data will be: what this place is for and the first thing to do. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="card empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{title}</h2>
      {children}
      {action ? <div>{action}</div> : null}
    </section>
  );
}
