import { Link } from "@remix-run/react";
import type { ActionStatus } from "#db/schema";
import { ACTION_STATUSES, actionReference } from "~/domain/guardrails/rules";

type ActionLine = { number: number; title: string; status: ActionStatus; owner_name: string | null; due_on: string | null; overdue: boolean };

/** The first cells of a guardrail action's row in a table: the action, its status, owner and due date. */
export function ActionCells({ slug, action: a }: { slug: string; action: ActionLine }) {
  return (
    <>
      <td>
        <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
          <span className="muted">{actionReference(a.number)}</span> {a.title}
        </Link>
      </td>
      <td>
        <span className={`status-pill action-${a.status}`}>{ACTION_STATUSES[a.status]}</span>
      </td>
      <td>{a.owner_name ?? <span className="muted">No owner</span>}</td>
      <td className="nowrap">
        {a.due_on ?? <span className="muted">—</span>} {a.overdue ? <span className="badge overdue">Overdue</span> : null}
      </td>
    </>
  );
}
