import { Link } from "@remix-run/react";

type Inbox = {
  reviews: { incidentNumber: number; title: string; requestedBy: string; requestedAt: string | Date; version: number; reviewedVersion: number | null }[];
  due: { number: number; title: string; dueOn: string | null; overdue: boolean; incidentNumber: number }[];
  regressed: { number: number; title: string; reason: string }[];
  mentions: { mentionedBy: string; mentionedAt: string | Date; title: string; incidentNumber: number | null; decisionRef: string | null }[];
};

type Mention = Inbox["mentions"][number];

/** Where a mention is, in words and as a link: "INC-4's postmortem" or "ADR-3". */
function mentionPlace(slug: string, m: Mention): { words: string; to: string } {
  if (m.incidentNumber !== null) return { words: `INC-${m.incidentNumber}'s postmortem`, to: `/w/${slug}/incidents/${m.incidentNumber}/postmortem` };
  return { words: m.decisionRef ?? "a decision record", to: `/w/${slug}/decisions/${m.decisionRef ?? ""}` };
}

function dayDistance(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function dueWords(dueOn: string | null, today: string): string {
  if (!dueOn) return "";
  const days = dayDistance(today, dueOn);
  if (days < 0) return `${-days} day${days === -1 ? "" : "s"} overdue`;
  if (days === 0) return "due today";
  return `due in ${days} day${days === 1 ? "" : "s"}`;
}

/** What waits for the signed-in person in this workspace: reviews asked of them, their actions due or overdue, actions a gate sent back, and mentions they have not seen. */
export function InboxSection({ slug, inbox, today }: { slug: string; inbox: Inbox; today: string }) {
  const total = inbox.reviews.length + inbox.due.length + inbox.regressed.length + inbox.mentions.length;
  return (
    <section className="card inbox" aria-labelledby="inbox-title" id="inbox">
      <h2 id="inbox-title">
        Your inbox <span className="count-badge">{total}</span>
      </h2>
      {total === 0 ? <p className="muted">Nothing waits for you: no reviews asked of you, no actions of yours due this week, none sent back by a gate, no new mentions.</p> : null}
      {inbox.reviews.length ? (
        <section aria-labelledby="inbox-reviews">
          <h3 id="inbox-reviews">Reviews requested of you</h3>
          <ul className="action-list list-plain">
            {inbox.reviews.map((r) => (
              <li key={r.incidentNumber}>
                <Link to={`/w/${slug}/incidents/${r.incidentNumber}/postmortem`}>{r.title}</Link>{" "}
                <span className="muted small-text">
                  asked by {r.requestedBy}, {new Date(r.requestedAt).toISOString().slice(0, 10)}
                  {r.reviewedVersion !== null ? ` · changed since your review of version ${r.reviewedVersion} (now version ${r.version})` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {inbox.due.length ? (
        <section aria-labelledby="inbox-due">
          <h3 id="inbox-due">Your guardrail actions due or overdue</h3>
          <ul className="action-list list-plain">
            {inbox.due.map((a) => (
              <li key={a.number}>
                <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
                  ACT-{a.number} {a.title}
                </Link>{" "}
                <span className={a.overdue ? "badge overdue" : "badge"}>{dueWords(a.dueOn, today)}</span>{" "}
                <span className="muted small-text">
                  from <Link to={`/w/${slug}/incidents/${a.incidentNumber}`}>INC-{a.incidentNumber}</Link>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {inbox.regressed.length ? (
        <section aria-labelledby="inbox-regressed">
          <h3 id="inbox-regressed">Your actions sent back by a gate</h3>
          <ul className="action-list list-plain">
            {inbox.regressed.map((a) => (
              <li key={a.number}>
                <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
                  ACT-{a.number} {a.title}
                </Link>{" "}
                <span className="muted small-text">{a.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {inbox.mentions.length ? (
        <section aria-labelledby="inbox-mentions">
          <h3 id="inbox-mentions">Mentions of you</h3>
          <ul className="action-list list-plain">
            {inbox.mentions.map((m) => {
              const place = mentionPlace(slug, m);
              return (
                <li key={place.to}>
                  {m.mentionedBy} mentioned you in <Link to={place.to}>{place.words}</Link>{" "}
                  <span className="muted small-text">
                    {m.title} · {new Date(m.mentionedAt).toISOString().slice(0, 10)}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {total ? (
        <p className="small-text">
          <Link to="/account#notifications">Choose which mail you get about these</Link>
        </p>
      ) : null}
    </section>
  );
}
