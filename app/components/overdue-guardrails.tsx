import { Link } from "@remix-run/react";
import { Day } from "~/components/when";

type OverdueItem = { number: number; title: string; due_on: string; daysOverdue: number; incident_number: number };

/** "Your overdue guardrails": the signed-in person's overdue actions, on the workspace overview. */
export function OverdueGuardrails({ slug, actions }: { slug: string; actions: OverdueItem[] }) {
  return (
    <section className="card" aria-labelledby="overdue-title">
      <h2 id="overdue-title">Your overdue guardrails</h2>
      {actions.length === 0 ? (
        <p className="muted">None of the guardrail actions you own is past its due date.</p>
      ) : (
        <>
          <ul className="action-list list-plain">
            {actions.map((a) => (
              <li key={a.number}>
                <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
                  ACT-{a.number} {a.title}
                </Link>{" "}
                <span className="badge overdue">
                  {a.daysOverdue} day{a.daysOverdue === 1 ? "" : "s"} overdue
                </span>{" "}
                <span className="muted small-text">
                  due <Day value={a.due_on} hint={false} />, from <Link to={`/w/${slug}/incidents/${a.incident_number}`}>INC-{a.incident_number}</Link>
                </span>
              </li>
            ))}
          </ul>
          <p className="small-text">
            <Link to={`/w/${slug}/guardrails?owner=me`}>All your guardrail actions</Link>
          </p>
        </>
      )}
    </section>
  );
}
