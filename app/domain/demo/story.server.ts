/**
 * Writes the demo workspace's story (db/seeds/demo-story, read by story-files.server.ts) into a
 * freshly created workspace, through the same domain functions the app uses, so every record has
 * its audit event and search document.
 * GitHub's part (pull request details, check runs that see a gate enforced) goes through the
 * webhook's domain function, as a real delivery would.
 *
 * Deterministic: the same records, texts, numbers and states on every run. Times are relative to
 * `anchor` (by default the UTC midnight of the day the seed runs): incidents months ago, actions
 * due next week or a few days overdue. The domain stamps creation, reviews and publishing with the
 * clock, and no domain function changes those stamps, so `restamp` moves them to when they happen
 * in the story (a postmortem published the week after its incident, not on the day of the seed).
 * Audit events keep the seed's own time: they record when the data was written.
 */
import { sql } from "kysely";
import type { Db } from "#db/connection";
import { signUp, type PublicUser } from "~/domain/accounts/index.server";
import { addDecisionLink, createDecision, saveDecision } from "~/domain/decisions/index.server";
import { markdownToDocument } from "~/domain/documents/index.server";
import {
  addFactor,
  changeActionStatus,
  createAction,
  createGate,
  findAction,
  findGate,
  linkPullRequestToIncident,
  updateFactor,
  updateGate,
  type GateInput,
} from "~/domain/guardrails/index.server";
import { addTimelineEvent, createIncident } from "~/domain/incidents/index.server";
import { receiveGithubDelivery } from "~/domain/integrations/index.server";
import { publishPostmortem, requestReview, reviewPostmortem, savePostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { refreshSearchDocument } from "~/domain/search/index.server";
import { acceptInvite, createInvite, listAreas, setAreaMaintainers } from "~/domain/workspaces/index.server";
import { loadDemoStory } from "./story-files.server";
import type { GithubFacts, Story, StoryGate, StoryIncident, StoryPostmortem, When } from "./story-model";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC midnight of the day `now` falls on: the story's "today". */
export function storyAnchor(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export type DemoStoryOptions = { anchor?: Date };

/** A step of the story that the domain refused: a bug in the story, so it stops the seed. */
function expectOk<T extends { ok: boolean }>(result: T | null, what: string): T & { ok: true } {
  if (!result || !result.ok) throw new Error(`Demo story: ${what} was refused: ${JSON.stringify(result)}`);
  return result as T & { ok: true };
}

export async function writeDemoStory(db: Db, workspaceId: string, owner: PublicUser, options: DemoStoryOptions = {}): Promise<void> {
  const anchor = storyAnchor(options.anchor);
  const at = ([daysAgo, time]: When, plusMinutes = 0): Date => {
    const [h, m] = time.split(":").map(Number);
    return new Date(anchor.getTime() - daysAgo * DAY_MS + (h! * 60 + m! + plusMinutes) * 60_000);
  };
  const dueOn = (days: number | null) => (days === null ? null : new Date(anchor.getTime() + days * DAY_MS).toISOString().slice(0, 10));

  const story = loadDemoStory();
  const people: Record<string, PublicUser> = { [story.owner]: owner, ...(await joinTeammates(db, workspaceId, owner, story.teammates)) };

  const areas = new Map((await listAreas(db, workspaceId)).map((a) => [a.slug, a.id]));
  for (const [slug, maintainers] of Object.entries(story.maintainers)) {
    const ok = await setAreaMaintainers(db, owner, workspaceId, areas.get(slug)!, maintainers.map((p) => people[p]!.id));
    if (!ok) throw new Error(`Demo story: maintainers of ${slug} were refused`);
  }

  /** Every gate of the story by key: the standing ones and those actions bring in. */
  const storyGates = new Map(story.gates.map((g) => [g.key, g]));
  const gates = new Map<string, string>();
  for (const gate of story.gates) {
    if (!gate.createdAt) continue;
    const { id } = expectOk(await createGate(db, owner, workspaceId, gateInput(gate)), `gate ${gate.name}`);
    gates.set(gate.key, id);
    await restamp(db, "gates", id, at(gate.createdAt));
  }

  for (const incident of story.incidents) await writeIncident(db, workspaceId, incident, { people, areas, gates, storyGates, at, dueOn });

  for (const pr of [...story.incidents.flatMap((i) => i.pullRequests), ...story.github.pullRequests]) {
    await deliverPullRequest(db, workspaceId, pr, at);
  }
  // Protection rules and check runs in the order they happened, each judged as of its own time.
  const github = [
    ...story.github.branchProtections.map((rule) => ({ at: at(rule.at), deliver: () => deliverProtection(db, workspaceId, rule, at(rule.at)) })),
    ...story.github.checkRuns.map((run) => ({ at: at(run.at), deliver: () => deliverCheckRun(db, workspaceId, storyGates.get(run.gate)!, run.runId, at(run.at)) })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const event of github) await event.deliver();
  for (const storyGate of story.gates) {
    if (!storyGate.retired) continue;
    const gate = (await findGate(db, workspaceId, gates.get(storyGate.key)!))!;
    const input = { ...gateInput(storyGate), status: "retired" as const, description: storyGate.retired.description };
    expectOk(await updateGate(db, owner, workspaceId, gate.id, gate.version, input), `retiring ${gate.name}`);
  }

  for (const decision of story.decisions) {
    const author = people[decision.author]!;
    const created = expectOk(
      await createDecision(db, author, workspaceId, {
        kind: decision.kind,
        template: decision.template,
        title: decision.title,
        status: decision.status,
        deciders: decision.deciders,
        decidedOn: dueOn(decision.decidedOn === null ? null : -decision.decidedOn),
        tags: decision.tags,
        supersedes: decision.supersedes ?? null,
      }),
      `decision ${decision.title}`,
    );
    const key = { kind: created.kind, number: created.number };
    const decisionId = (await db.selectFrom("decision_records").select("id").where("workspace_id", "=", workspaceId).where("kind", "=", key.kind).where("number", "=", key.number).executeTakeFirstOrThrow()).id;
    await restamp(db, "decision_records", decisionId, at(decision.writtenAt));
    const body = markdownToDocument(decision.body);
    expectOk(await saveDecision(db, author, workspaceId, key, { baseVersion: 1, title: decision.title, body }, { now: at(decision.writtenAt) }), `${created.ref} body`);
    const links: [Parameters<typeof addDecisionLink>[4], string][] = [
      ...(decision.informedBy ?? []).map((n): ["informed_by", string] => ["informed_by", `INC-${n}`]),
      ...(decision.implements?.actions ?? []).map((n): ["implements", string] => ["implements", `ACT-${n}`]),
      ...(decision.implements?.gates ?? []).map((g): ["implements", string] => ["implements", `GATE:${gates.get(g)}`]),
    ];
    for (const [kind, target] of links) expectOk(await addDecisionLink(db, author, workspaceId, key, kind, target), `${created.ref} ${kind} ${target}`);
  }
}

function gateInput(gate: StoryGate): GateInput {
  return { name: gate.name, kind: gate.kind, repository: gate.repository, checkName: gate.checkName, tiers: gate.tiers, status: gate.status, description: gate.description };
}

/** The teammates sign up (or are found, when their account exists) and join through an invite, as people do. */
async function joinTeammates(db: Db, workspaceId: string, owner: PublicUser, teammates: Story["teammates"]): Promise<Record<string, PublicUser>> {
  const joined: Record<string, PublicUser> = {};
  for (const [person, teammate] of Object.entries(teammates)) {
    let user = await db.selectFrom("users").select(["id", "email", "display_name"]).where("email", "=", teammate.email).executeTakeFirst();
    if (!user) user = expectOk(await signUp(db, teammate), `signing up ${teammate.email}`).user;
    const invite = await createInvite(db, owner, workspaceId, teammate.role);
    if (!(await acceptInvite(db, user, invite.token))) throw new Error(`Demo story: ${teammate.email} could not join`);
    joined[person] = user;
  }
  return joined;
}

type Context = {
  people: Record<string, PublicUser>;
  areas: Map<string, string>;
  /** Gate ids by key, as they come to exist. */
  gates: Map<string, string>;
  storyGates: Map<string, StoryGate>;
  at: (when: When, plusMinutes?: number) => Date;
  dueOn: (days: number | null) => string | null;
};

async function writeIncident(db: Db, workspaceId: string, story: StoryIncident, { people, areas, gates, storyGates, at, dueOn }: Context): Promise<void> {
  const reporter = people[story.reporter]!;
  const startedAt = at(story.started);
  const after = (minutes: number | null) => (minutes === null ? null : at(story.started, minutes));
  const { number } = expectOk(
    await createIncident(db, reporter, workspaceId, {
      title: story.title,
      severity: story.severity,
      status: story.status,
      tier: story.tier,
      impact: story.impact,
      startedAt,
      detectedAt: after(story.detectedAfter),
      mitigatedAt: after(story.mitigatedAfter),
      resolvedAt: after(story.resolvedAfter),
      areaIds: story.areas.map((slug) => areas.get(slug)!),
    }),
    `incident ${story.title}`,
  );
  const incidentId = (await db.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", number).executeTakeFirstOrThrow()).id;
  await restamp(db, "incidents", incidentId, at(story.started, story.detectedAfter));
  for (const [minutes, kind, text] of story.timeline) {
    if (!(await addTimelineEvent(db, reporter, workspaceId, number, { occurredAt: at(story.started, minutes), kind, text }))) {
      throw new Error(`Demo story: timeline of INC-${number} refused`);
    }
  }
  for (const pr of story.pullRequests) {
    expectOk(await linkPullRequestToIncident(db, reporter, workspaceId, number, { url: pr.url, role: pr.role, tier: pr.tier, assisted: pr.assisted }), `${pr.url} on INC-${number}`);
  }

  const pm = story.postmortem;
  if (!pm) return;
  const author = people[pm.author]!;
  expectOk(await startPostmortem(db, author, workspaceId, number, pm.template), `postmortem of INC-${number}`);
  const written = at(pm.writtenAt);
  const postmortemId = (await db.selectFrom("postmortems").select("id").where("incident_id", "=", incidentId).executeTakeFirstOrThrow()).id;
  await restamp(db, "postmortems", postmortemId, written);
  const title = `Postmortem: INC-${number} ${story.title}`;
  let version = expectOk(
    await savePostmortem(db, author, workspaceId, number, { baseVersion: 1, title, body: markdownToDocument(pm.body) }, { now: at(pm.writtenAt) }),
    `postmortem body of INC-${number}`,
  ).version;

  for (const factor of pm.factors) {
    const { id: factorId } = expectOk(
      await addFactor(db, author, workspaceId, number, {
        text: factor.text,
        category: factor.category,
        tier: factor.tier,
        gates: (factor.gates ?? []).filter((g) => gates.has(g.gate)).map((g) => ({ gateId: gates.get(g.gate)!, involvement: g.involvement })),
        pullRequestUrls: factor.pullRequests ?? [],
      }),
      `factor of INC-${number}`,
    );
    await restamp(db, "contributing_factors", factorId, written);
    // A gate the factor names may be brought in by one of its own actions: linked once it exists.
    const gatesLater = (factor.gates ?? []).some((g) => !gates.has(g.gate));
    for (const action of factor.actions) {
      const created = expectOk(
        await createAction(db, author, workspaceId, factorId, {
          title: action.title,
          kind: action.kind,
          ownerId: people[action.owner]!.id,
          dueOn: dueOn(action.dueIn),
          gateId: action.gate ? gates.get(action.gate)! : null,
          newGate: action.newGate ? gateInput(storyGates.get(action.newGate)!) : null,
          implementingPrUrl: action.implementingPr ?? null,
        }),
        `action ${action.title}`,
      );
      const row = await db.selectFrom("guardrail_actions").select(["id", "gate_id"]).where("workspace_id", "=", workspaceId).where("number", "=", created.number).executeTakeFirstOrThrow();
      await restamp(db, "guardrail_actions", row.id, written);
      if (action.newGate) {
        gates.set(action.newGate, row.gate_id!);
        await restamp(db, "gates", row.gate_id!, written);
      }
      for (const step of action.steps ?? []) {
        const current = (await findAction(db, workspaceId, created.number))!;
        const change = {
          to: step.to,
          expectedVersion: current.version,
          reason: step.to === "wont_do" ? step.reason : null,
          evidenceUrl: step.to === "verified" ? (step.evidenceUrl ?? null) : null,
          evidenceNote: step.to === "verified" ? (step.evidenceNote ?? null) : null,
        };
        expectOk(await changeActionStatus(db, people[action.owner]!, workspaceId, created.number, change, at(step.at)), `ACT-${created.number} → ${step.to}`);
      }
    }
    if (gatesLater) {
      expectOk(
        await updateFactor(db, author, workspaceId, factorId, {
          text: factor.text,
          category: factor.category,
          tier: factor.tier,
          gates: (factor.gates ?? []).map((g) => ({ gateId: gates.get(g.gate)!, involvement: g.involvement })),
          pullRequestUrls: factor.pullRequests ?? [],
        }),
        `gates of a factor of INC-${number}`,
      );
    }
  }
  if (pm.state === "draft") return;
  const reviews = pm.reviews ?? [];
  // The teammates who review are the ones asked, so an unanswered request waits in their inbox.
  const asked = [...new Set(reviews.map((r) => people[r.by]!.id))].filter((id) => id !== author.id);
  expectOk(await requestReview(db, author, workspaceId, number, asked), `review request for INC-${number}`);
  if (reviews[0]) await sql`update review_requests set requested_at = ${at(reviews[0].at)} where postmortem_id = ${postmortemId}`.execute(db);
  for (const [index, review] of reviews.entries()) {
    if (pm.edit && pm.edit.afterReviews === index) version = await applyEdit(db, workspaceId, number, title, pm.body, pm.edit, version, people, at);
    expectOk(await reviewPostmortem(db, people[review.by]!, workspaceId, number, { verdict: review.verdict, comment: review.comment }), `review of INC-${number}`);
  }
  if (pm.edit && pm.edit.afterReviews >= reviews.length) version = await applyEdit(db, workspaceId, number, title, pm.body, pm.edit, version, people, at);
  const recorded = await db.selectFrom("postmortem_reviews").select("id").where("postmortem_id", "=", postmortemId).orderBy("created_at").orderBy("id").execute();
  for (const [index, review] of recorded.entries()) await restamp(db, "postmortem_reviews", review.id, at(reviews[index]!.at));
  if (pm.state === "published") {
    expectOk(await publishPostmortem(db, author, workspaceId, number), `publishing INC-${number}`);
    await db.updateTable("postmortems").set({ published_at: at(pm.publishedAt!) }).where("id", "=", postmortemId).execute();
  }
}

type Restamped = "incidents" | "postmortems" | "postmortem_reviews" | "contributing_factors" | "guardrail_actions" | "gates" | "decision_records";

/**
 * Moves a record's creation stamp to its time in the story (see the header). Runs right after the
 * domain function that wrote the record; an action's search document dates from its creation, so
 * it is refreshed here too.
 */
async function restamp(db: Db, table: Restamped, id: string, at: Date): Promise<void> {
  await sql`update ${sql.table(table)} set created_at = ${at} where id = ${id}`.execute(db);
  if (table === "guardrail_actions") await refreshSearchDocument(db, "action", id);
}

async function applyEdit(
  db: Db,
  workspaceId: string,
  number: number,
  title: string,
  body: string,
  edit: NonNullable<StoryPostmortem["edit"]>,
  baseVersion: number,
  people: Record<string, PublicUser>,
  at: (when: When) => Date,
): Promise<number> {
  const [from, to] = edit.replace;
  if (!body.includes(from)) throw new Error(`Demo story: the edit of INC-${number} does not find its text`);
  const saved = await savePostmortem(db, people[edit.by]!, workspaceId, number, { baseVersion, title, body: markdownToDocument(body.replace(from, to)) }, { now: at(edit.at) });
  return expectOk(saved, `edit of INC-${number}`).version;
}

const REPOSITORY = (url: string) => url.replace("https://github.com/", "").split("/pull/")[0]!;

/** GitHub tells us a linked pull request's title, author and merge time, as its webhook would. */
async function deliverPullRequest(db: Db, workspaceId: string, pr: { url: string; title: string; author: string; mergedAt: When | null }, at: (when: When) => Date) {
  const repository = REPOSITORY(pr.url);
  const number = Number(pr.url.split("/pull/")[1]);
  const mergedAt = pr.mergedAt ? at(pr.mergedAt).toISOString() : null;
  const result = await receiveGithubDelivery(db, {
    workspaceId,
    deliveryId: `demo-pr-${repository.replace("/", "-")}-${number}`,
    event: "pull_request",
    payload: {
      action: mergedAt ? "closed" : "opened",
      repository: { full_name: repository, default_branch: "main", html_url: `https://github.com/${repository}` },
      pull_request: { number, title: pr.title, user: { login: pr.author }, state: mergedAt ? "closed" : "open", merged: Boolean(mergedAt), merged_at: mergedAt },
    },
  });
  if (result.kind === "rejected") throw new Error(`Demo story: pull request ${pr.url} refused: ${result.reason}`);
}

/** A branch protection rule on main, created or edited, as GitHub's branch_protection_rule webhook reports it. */
async function deliverProtection(db: Db, workspaceId: string, rule: GithubFacts["branchProtections"][number], when: Date) {
  const result = await receiveGithubDelivery(
    db,
    {
      workspaceId,
      deliveryId: `demo-protection-${rule.ruleId}-${when.getTime()}`,
      event: "branch_protection_rule",
      payload: {
        action: rule.edited ? "edited" : "created",
        repository: { full_name: rule.repository, default_branch: "main", html_url: `https://github.com/${rule.repository}` },
        rule: {
          id: rule.ruleId,
          name: "main",
          updated_at: when.toISOString(),
          required_status_checks: rule.checks,
          required_status_checks_enforcement_level: "non_admins",
          pull_request_reviews_enforcement_level: "non_admins",
          required_approving_review_count: 1,
          require_code_owner_review: true,
          admin_enforced: false,
        },
      },
    },
    when,
  );
  if (result.kind !== "processed" || result.outcome !== "applied") throw new Error(`Demo story: protection of ${rule.repository} was not applied: ${JSON.stringify(result)}`);
}

/** A successful check run on main: the gate is seen passing; when required, it is enforced and verifies the actions done before it. */
async function deliverCheckRun(db: Db, workspaceId: string, gate: StoryGate, runId: number, seenAt: Date) {
  const result = await receiveGithubDelivery(db, {
    workspaceId,
    deliveryId: `demo-check-${runId}`,
    event: "check_run",
    payload: {
      action: "completed",
      repository: { full_name: gate.repository, default_branch: "main", html_url: `https://github.com/${gate.repository}` },
      check_run: {
        name: gate.checkName,
        status: "completed",
        conclusion: "success",
        html_url: `https://github.com/${gate.repository}/actions/runs/${runId}`,
        completed_at: seenAt.toISOString(),
        head_sha: runId.toString(16).padStart(40, "0"),
        check_suite: { head_branch: "main" },
      },
    },
  }, seenAt);
  if (result.kind !== "processed" || result.outcome !== "applied") throw new Error(`Demo story: check run ${runId} for ${gate.name} was not applied: ${JSON.stringify(result)}`);
}
