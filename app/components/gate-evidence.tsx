import { Link } from "@remix-run/react";
import type { BypassFinding, GateState } from "#db/schema";
import { BYPASS_FINDINGS, GATE_STATES } from "~/domain/guardrails/rules";
import { When } from "~/components/when";

/** What the evidence says about a gate (enforced = required + seen passing), as a pill. */
export function GateStatePill({ state }: { state: GateState }) {
  return <span className={`status-pill state-${state}`}>{GATE_STATES[state]}</span>;
}

type Fact = {
  id: string;
  source: string;
  rule_name: string;
  include_patterns: string[];
  required_checks: string[];
  enforcement: string;
  required_approvals: number;
  code_owner_review: boolean;
  admins_included: boolean;
  removed: boolean;
  occurred_at: Date | string;
  delivery_id: string;
  event: string;
};

const SOURCES: Record<string, string> = {
  branch_protection: "Branch protection",
  ruleset: "Ruleset",
  api_protection: "Branch protection (Check now)",
  api_rules: "Rulesets (Check now)",
};

/** The requirement facts recorded for the gate's repository, newest event first. */
export function RequirementFacts({ facts, checkName }: { facts: Fact[]; checkName: string }) {
  if (!facts.length) return <p className="muted">No branch protection rule or ruleset has been reported for this repository yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Requirement facts for this repository, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Happened</th>
            <th scope="col">Rule</th>
            <th scope="col">Required checks</th>
            <th scope="col">Reviews</th>
            <th scope="col">Delivery</th>
          </tr>
        </thead>
        <tbody>
          {facts.map((f) => (
            <tr key={f.id}>
              <td className="nowrap"><When at={f.occurred_at} /></td>
              <td>
                {SOURCES[f.source] ?? f.source} “{f.rule_name}”
                <br />
                <span className="muted">{f.removed ? "deleted" : `on ${f.include_patterns.join(", ") || "no branch"} · ${f.enforcement.replace("_", " ")}`}</span>
              </td>
              <td>
                {f.removed ? (
                  <span className="muted">—</span>
                ) : f.required_checks.length ? (
                  f.required_checks.map((c) => (
                    <code key={c} className={c === checkName ? "requirement-match" : undefined}>
                      {c}{" "}
                    </code>
                  ))
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
              <td className="muted">
                {f.required_approvals ? `${f.required_approvals} approval${f.required_approvals === 1 ? "" : "s"}` : "no approvals"}
                {f.code_owner_review ? ", code owners" : ""}
                {f.admins_included ? ", admins included" : ""}
              </td>
              <td>
                <code className="break">{f.event}</code>
                <br />
                <code className="muted break">{f.delivery_id}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Bypass = {
  id: string;
  finding: BypassFinding;
  head_sha: string;
  base_branch: string;
  merged_at: Date | string;
  merged_by: string;
  gate_id: string;
  gate_name: string;
  check_name: string;
  pr_url: string;
  pr_repository: string;
  pr_number: number;
};

/** Merged pull requests that skipped a required check. */
export function BypassList({ slug, bypasses, showGate = false }: { slug: string; bypasses: Bypass[]; showGate?: boolean }) {
  return (
    <ul className="list-plain chain-list">
      {bypasses.map((b) => (
        <li key={b.id}>
          <span className="badge overdue">Bypass</span>{" "}
          <a href={b.pr_url} rel="noopener noreferrer">
            {b.pr_repository}#{b.pr_number}
          </a>{" "}
          {BYPASS_FINDINGS[b.finding]} <code>{b.check_name}</code> into <code>{b.base_branch}</code>
          {showGate ? (
            <>
              {" "}
              (gate <Link to={`/w/${slug}/gates/${b.gate_id}`}>{b.gate_name}</Link>)
            </>
          ) : null}
          <span className="muted">
            {" "}
            · <When at={b.merged_at} />
            {b.merged_by ? ` by ${b.merged_by}` : ""} · commit <code>{b.head_sha.slice(0, 7)}</code>
          </span>
        </li>
      ))}
    </ul>
  );
}
