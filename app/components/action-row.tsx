import { Link } from "@remix-run/react";
import type { ActionStatus } from "#db/schema";
import { ACTION_STATUSES, actionReference } from "~/domain/guardrails/rules";
import { Day } from "~/components/when";
import { TrackerLink, type TrackerLinkLine } from "./tracker-link";

type ActionLine = {
  number: number;
  title: string;
  status: ActionStatus;
  owner_name: string | null;
  due_on: string | null;
  overdue: boolean;
  /** Why a gate's drift sent the action back, when it did. */
  drift_reason?: string | null;
  /** Its issue in the team's tracker, when it has one. */
  tracker?: TrackerLinkLine | null;
};

/** The first cells of a guardrail action's row in a table: the action, its status (and whether a gate sent it back), owner and due date. */
export function ActionCells({ slug, action: a }: { slug: string; action: ActionLine }) {
  return (
    <>
      <td>
        <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
          <span className="muted">{actionReference(a.number)}</span> {a.title}
        </Link>
        {a.tracker ? (
          <div className="small-text">
            <TrackerLink reference={actionReference(a.number)} link={a.tracker} />
          </div>
        ) : null}
      </td>
      <td>
        <span className={`status-pill action-${a.status}`}>{ACTION_STATUSES[a.status]}</span>
        {a.drift_reason ? (
          <>
            {" "}
            <span className="badge overdue" title={a.drift_reason}>
              Sent back
            </span>
          </>
        ) : null}
      </td>
      <td>{a.owner_name ?? <span className="muted">No owner</span>}</td>
      <td className="nowrap">
        <Day value={a.due_on} empty={<span className="muted">—</span>} /> {a.overdue ? <span className="badge overdue">Overdue</span> : null}
      </td>
    </>
  );
}
