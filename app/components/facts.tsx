import type { ReactNode } from "react";
import { When } from "~/components/when";

/** A record's facts in a card: a term and its value each. The heading is for screen readers unless `showTitle`. */
export function FactsCard({
  title = "Facts",
  showTitle = false,
  before,
  after,
  children,
}: {
  title?: string;
  showTitle?: boolean;
  /** Shown above the facts, below the heading. */
  before?: ReactNode;
  /** Shown below the facts: a description, the impact. */
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby="facts-title">
      <h2 id="facts-title" className={showTitle ? undefined : "visually-hidden"}>
        {title}
      </h2>
      {before}
      <dl className="facts">{children}</dl>
      {after}
    </section>
  );
}

/** One fact: its name and its value. */
export function Fact({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

/** When a gate was last seen enforced, linking to the check run when there is one. */
export function SeenEnforced({ at, url, never }: { at: string | Date | null; url: string | null; never: ReactNode }) {
  if (!at) return <span className="muted">{never}</span>;
  return url ? (
    <a href={url} rel="noopener noreferrer">
      <When at={at} />
    </a>
  ) : (
    <><When at={at} /></>
  );
}
