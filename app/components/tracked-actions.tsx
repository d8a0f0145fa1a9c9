import { Link } from "@remix-run/react";
import { Day } from "~/components/when";
import { ACTION_KINDS, ACTION_STATUSES, actionReference } from "~/domain/guardrails/rules";
import type { Factor } from "./factors-section";
import { ColumnHeads } from "~/components/column-heads";

type TrackedAction = Factor["actions"][number] & { kind?: keyof typeof ACTION_KINDS; tracker_key?: string | null; tracker_url?: string | null };

/** The postmortem's guardrail actions as the live "Action items" block shows them in the editor (ADR 25). */
export function TrackedActionsTable({ slug, factors }: { slug: string; factors: (Omit<Factor, "actions"> & { actions: TrackedAction[] })[] }) {
  const actions = factors.flatMap((f, i) => f.actions.map((a) => ({ ...a, factor: i + 1 })));
  if (actions.length === 0) {
    return <p className="tracked-empty">No guardrail actions yet. Create them from a contributing factor.</p>;
  }
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Guardrail actions of this postmortem, as tracked on the board</caption>
        <ColumnHeads labels={["Action", "Kind", "Owner", "Due", "Status"]} />
        <tbody>
          {actions.map((a) => (
            <tr key={a.number}>
              <td>
                <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
                  {actionReference(a.number)} {a.title}
                </Link>{" "}
                <span className="muted">(factor {a.factor})</span>
                {a.tracker_key ? (
                  <div>
                    <span className="tracker-link">
                      <span className="muted">{actionReference(a.number)}</span>
                      <span aria-hidden="true"> ↔ </span>
                      {a.tracker_url ? (
                        <a href={a.tracker_url} rel="noopener noreferrer" aria-label={`${actionReference(a.number)} is tracked as ${a.tracker_key}`}>
                          {a.tracker_key}
                        </a>
                      ) : (
                        <span>{a.tracker_key}</span>
                      )}
                    </span>
                  </div>
                ) : null}
              </td>
              <td>{a.kind ? ACTION_KINDS[a.kind] : "—"}</td>
              <td>{a.owner_name ?? <span className="muted">No owner</span>}</td>
              <td className="nowrap">
                <Day value={a.due_on} hint={false} />
              </td>
              <td>
                <span className={`status-pill action-${a.status}`}>{ACTION_STATUSES[a.status]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
