/**
 * One permission vocabulary for the whole workspace (ADR 0018): every area's rule table, gathered
 * so routes, the API and the UI ask the same question, `can(actor, action, subject)`. Client-safe.
 */
import { decisionPolicy } from "~/domain/decisions/rules";
import { guardrailPolicy } from "~/domain/guardrails/rules";
import { incidentPolicy } from "~/domain/incidents/rules";
import { integrationPolicy } from "~/domain/integrations/rules";
import { postmortemPolicy } from "~/domain/postmortems/rules";
import { decide, type Actor, type Decision, type Rule } from "~/domain/shared/policy";
import { trackerPolicy } from "~/domain/trackers/rules";
import { workspacePolicy } from "~/domain/workspaces/rules";

export type { Actor, Decision } from "~/domain/shared/policy";

export const POLICY = {
  ...workspacePolicy,
  ...integrationPolicy,
  ...incidentPolicy,
  ...postmortemPolicy,
  ...guardrailPolicy,
  ...decisionPolicy,
  ...trackerPolicy,
};

export type PolicyAction = keyof typeof POLICY;
export const POLICY_ACTIONS = Object.keys(POLICY) as PolicyAction[];

/** What a rule is about: nothing for role-only rules, the record for the others. */
export type SubjectOf<A extends PolicyAction> = (typeof POLICY)[A] extends Rule<infer S> ? S : never;
/** A record rule may be asked without its record: then only the role is checked (see `decide`). */
export type SubjectArgs<A extends PolicyAction> = SubjectOf<A> extends undefined ? [] : [subject?: SubjectOf<A>];

export function authorize<A extends PolicyAction>(actor: Actor, action: A, ...subject: SubjectArgs<A>): Decision {
  return decide(POLICY[action] as Rule<unknown>, actor, subject[0]);
}

export function can<A extends PolicyAction>(actor: Actor, action: A, ...subject: SubjectArgs<A>): boolean {
  return authorize(actor, action, ...subject).ok;
}

/** The role-only actions, for a page's abilities without a record in hand. */
const ROLE_ONLY_ACTIONS = POLICY_ACTIONS.filter((a) => !(POLICY[a] as Rule<unknown>).when);

/**
 * What the UI may offer: each role-only action, plus record actions for the records a loader
 * passes. Loaders send this instead of recomputing roles.
 */
export type Abilities = Partial<Record<PolicyAction, boolean>>;
export function abilitiesOf(actor: Actor, records: { [A in PolicyAction]?: SubjectOf<A> } = {}): Abilities {
  const abilities: Abilities = {};
  for (const action of ROLE_ONLY_ACTIONS) abilities[action] = decide(POLICY[action] as Rule<unknown>, actor, undefined).ok;
  for (const [action, subject] of Object.entries(records) as [PolicyAction, unknown][]) {
    abilities[action] = decide(POLICY[action] as Rule<unknown>, actor, subject).ok;
  }
  return abilities;
}
