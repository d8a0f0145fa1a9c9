import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, authorize, memberActor } from "~/http/authorize.server";
import { can } from "~/domain/policy/rules";
import type { PolicyAction } from "~/domain/policy/rules";
import { formProblem } from "~/http/outcomes.server";
import { fieldErrorsOf, type Problem } from "~/domain/shared/outcomes";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FactorsSection } from "~/components/factors-section";
import { TrackedActionsTable } from "~/components/tracked-actions";
import { TrackerBulk } from "~/components/tracker-bulk";
import { listConnections, postmortemTracking } from "~/domain/trackers/index.server";
import { FormError, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { ReviewPanel } from "~/components/postmortem-review";
import { WorkspaceRouteError } from "~/components/route-error";
import { renderDocumentSegments, type DocumentJSON } from "~/domain/documents/index.server";
import { addFactor, createAction, factorsOfPostmortem, gateBypasses, gateChoices, removeFactor, setNoActionReason, updateFactor } from "~/domain/guardrails/index.server";
import { incidentReference } from "~/domain/incidents/rules";
import {
  findPostmortem,
  publishPostmortem,
  reopenPostmortem,
  requestReview,
  reviewerChoices,
  reviewPostmortem,
  startPostmortem,
} from "~/domain/postmortems/index.server";
import { POSTMORTEM_STATUS_LABELS } from "~/domain/postmortems/rules";
import { markMentionsSeen } from "~/domain/notifications/index.server";
import { listMembers } from "~/domain/workspaces/index.server";
import { CreateActionForm, FactorForm, gatesFromForm } from "~/domain/guardrails/forms";
import { PostmortemWorkflowForm } from "~/domain/postmortems/forms";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";
import { LIMITS } from "~/domain/shared/limits";
import { When } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.postmortem.title} · Hindsight` : "Postmortem · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const number = requireNumberParam(params.number);
  const db = await database();
  const postmortem = await findPostmortem(db, workspace.id, number);
  if (!postmortem) throw notFound("This incident has no postmortem yet.");
  const canEdit = can(memberActor(access), "action.create");
  const canTrack = can(memberActor(access), "action.track");
  // Opening the page is reading it: the viewer's mentions in it leave their inbox.
  await markMentionsSeen(db, { store: "postmortem", id: postmortem.id, workspaceId: workspace.id }, user.id);
  const [factors, gates, members, bypasses, reviewers, tracking, connections] = await Promise.all([
    factorsOfPostmortem(db, workspace.id, postmortem.id),
    canEdit ? gateChoices(db, workspace.id) : Promise.resolve([]),
    canEdit ? listMembers(db, workspace.id) : Promise.resolve([]),
    canEdit ? gateBypasses(db, workspace.id, {}, 10) : Promise.resolve([]),
    canEdit && postmortem.status !== "published" ? reviewerChoices(db, workspace.id, number) : Promise.resolve([]),
    postmortemTracking(db, workspace.id, number),
    canTrack ? listConnections(db, workspace.id) : Promise.resolve([]),
  ]);
  const { body, ...rest } = postmortem;
  return {
    slug: workspace.slug,
    me: user.id,
    abilities: abilities(access, {
      "postmortem.edit": { status: postmortem.status },
      // The tier's rule decides whether the author may approve their own (the policy's self-approval rule).
      "postmortem.review": { startedBy: postmortem.created_by, verdict: "approve", approval: postmortem.approval },
    }),
    // Anyone who may review, but not the one asking; maintainers of the affected areas first.
    reviewers: reviewers.filter((r) => r.id !== user.id),
    factors,
    gates,
    bypasses: bypasses.map((b) => ({ id: b.id, label: `${b.pr_repository}#${b.pr_number} skipped “${b.check_name}” (${b.gate_name})` })),
    members: members.map((m) => ({ id: m.id, display_name: m.display_name })),
    postmortem: rest,
    tracking,
    trackers: connections.map((c) => ({ id: c.id, name: c.name, vendor: c.vendor })),
    // Rendered here from the stored JSON: the read page ships no editor code. Its live blocks
    // (ADR 25) are drawn by the page from the records, so factors are managed where they stand.
    segments: renderDocumentSegments(body as DocumentJSON),
  };
}

/** Which policy action each of this page's forms needs; the record rules are checked by the domain. */
const PAGE_ACTIONS: Record<string, PolicyAction> = {
  start: "postmortem.start",
  "request-review": "postmortem.request-review",
  review: "postmortem.review",
  publish: "postmortem.publish",
  reopen: "postmortem.reopen",
  "add-factor": "factor.edit",
  "edit-factor": "factor.edit",
  "remove-factor": "factor.edit",
  "no-action": "factor.edit",
  "create-action": "action.create",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  authorize(access, PAGE_ACTIONS[String(formData.get("intent"))] ?? "postmortem.edit");
  const db = await database();
  const factorResponse = await factorAction(db, user, workspace.id, number, formData);
  if (factorResponse) return factorResponse;
  const parsed = parseForm(PostmortemWorkflowForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const input = parsed.data;
  const base = `/w/${workspace.slug}/incidents/${number}/postmortem`;
  if (input.intent === "start") {
    const started = await startPostmortem(db, user, workspace.id, number, input.template);
    if (!started.ok && started.kind !== "conflict") return formProblem(formData, started);
    // Already started (e.g. by a colleague a moment ago): open it either way.
    return redirect(`${base}/edit`);
  }
  const result =
    input.intent === "request-review"
      ? await requestReview(db, user, workspace.id, number, input.reviewers)
      : input.intent === "review"
        ? await reviewPostmortem(db, user, workspace.id, number, input)
        : input.intent === "publish"
          ? await publishPostmortem(db, user, workspace.id, number)
          : await reopenPostmortem(db, user, workspace.id, number);
  if (!result.ok) {
    const blockers = "blockers" in result && result.blockers?.length ? ` ${result.blockers.join(" ")}` : "";
    return formProblem(formData, { ...result, message: `${result.message ?? ""}${blockers}` });
  }
  return data({ ok: true as const, done: input.intent, asked: input.intent === "request-review" ? input.reviewers.length : null });
}

type Actor = Awaited<ReturnType<typeof requireMember>>["user"];

/** The factor and action intents of this page; null when the form is a workflow one. */
async function factorAction(db: Awaited<ReturnType<typeof database>>, user: Actor, workspaceId: string, number: number, formData: FormData) {
  const intent = formData.get("intent");
  if (intent === "edit-factor") {
    const factorId = String(formData.get("factorId") ?? "");
    if (!/^[0-9a-f-]{36}$/i.test(factorId)) throw notFound("Factor not found.");
    const parsed = parseForm(FactorForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const { text, category, tier, pullRequestUrls } = parsed.data;
    const result = await updateFactor(db, user, workspaceId, factorId, { text, category, tier, pullRequestUrls, gates: gatesFromForm(parsed.data) });
    if (result.ok) return data({ ok: true as const, done: "edit-factor", factorId: result.id });
    return formProblem(formData, result);
  }
  if (intent === "add-factor") {
    const parsed = parseForm(FactorForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const { text, category, tier, pullRequestUrls } = parsed.data;
    // A bypass Hindsight recorded, offered as evidence: its pull request, and its gate as bypassed.
    const chosen = formData.getAll("bypass").filter((v): v is string => typeof v === "string");
    const bypasses = chosen.length ? (await gateBypasses(db, workspaceId, {}, 50)).filter((b) => chosen.includes(b.id)) : [];
    const gates = [...gatesFromForm(parsed.data).filter((g) => !bypasses.some((b) => b.gate_id === g.gateId)), ...bypasses.map((b) => ({ gateId: b.gate_id, involvement: "bypassed" as const }))];
    const urls = [...new Set([...pullRequestUrls, ...bypasses.map((b) => b.pr_url)])];
    const result = await addFactor(db, user, workspaceId, number, { text, category, tier, pullRequestUrls: urls, gates: [...new Map(gates.map((g) => [g.gateId, g])).values()] });
    if (result.ok) return data({ ok: true as const, done: "add-factor", factorId: result.id });
    return formProblem(formData, result);
  }
  if (intent === "create-action") {
    const parsed = parseForm(CreateActionForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const v = parsed.data;
    const result = await createAction(db, user, workspaceId, v.factorId, {
      title: v.title,
      kind: v.kind,
      ownerId: v.ownerId,
      dueOn: v.dueOn,
      gateId: v.gateId,
      implementingPrUrl: v.implementingPrUrl,
      newGate: v.newGateName
        ? { name: v.newGateName, kind: v.newGateKind, repository: v.newGateRepository ?? "", checkName: v.newGateCheckName ?? "", tiers: [], status: "proposed", description: "" }
        : null,
    });
    if (result.ok) return data({ ok: true as const, done: "create-action", number: result.number });
    const fieldErrors = fieldErrorsOf(result);
    return formProblem(formData, fieldErrors ? { ...result, fieldErrors: { ...fieldErrors, newGateCheckName: fieldErrors["newGate.checkName"] } } as Problem : result);
  }
  if (intent === "no-action" || intent === "remove-factor") {
    const factorId = String(formData.get("factorId") ?? "");
    const reason = String(formData.get("reason") ?? "").trim();
    if (!/^[0-9a-f-]{36}$/i.test(factorId)) throw notFound("Factor not found.");
    if (intent === "no-action" && (reason.length < 5 || reason.length > LIMITS.noActionReason)) {
      return formFailure(formData, { fieldErrors: { reason: [`Say in a sentence why no guardrail is needed (5 to ${LIMITS.noActionReason} characters).`] } });
    }
    const result = intent === "no-action" ? await setNoActionReason(db, user, workspaceId, factorId, reason) : await removeFactor(db, user, workspaceId, factorId);
    if (result.ok) return data({ ok: true as const, done: intent });
    return formProblem(formData, result);
  }
  return null;
}

const DONE_MESSAGES: Record<string, string> = {
  "add-factor": "Factor added. Give it a guardrail action, or record why none is needed.",
  "create-action": "Guardrail action created.",
  "no-action": "Reason recorded.",
  "remove-factor": "Factor removed.",
  "request-review": "Review requested. The people you asked see it in their inbox, and get a mail if they want one.",
  review: "Your review is recorded.",
  publish: "Published.",
  reopen: "Back to draft.",
};

export default function PostmortemPage() {
  const { slug, me, abilities, factors, gates, bypasses, members, reviewers, postmortem: pm, segments, tracking, trackers } = useLoaderData<typeof loader>();
  const canEdit = abilities["postmortem.request-review"] === true;
  const { busy, success, failure } = useFormResult<typeof action>();
  const base = `/w/${slug}/incidents/${pm.incident_number}/postmortem`;
  const notice =
    success &&
    (success.done === "request-review" && "asked" in success && success.asked === 0
      ? "Review requested. Nobody was asked by name: choose reviewers so it shows in their inbox."
      : (DONE_MESSAGES[success.done] ?? "Done."));
  const isAuthor = pm.created_by === me;
  const factorsSection = (embedded: boolean, heading?: { text: string; level: number } | null) => (
    <FactorsSection
      slug={slug}
      factors={factors}
      gates={gates}
      bypasses={bypasses}
      members={members}
      canEdit={canEdit}
      editable={pm.status !== "published"}
      defaultTier={pm.incident_tier}
      actionUrl={`${base}?index`}
      embedded={embedded}
      heading={heading}
    />
  );
  return (
    <>
      <PageHead
        title={pm.title}
        description={
          <>
            <span className={`status-pill status-${pm.status}`}>{POSTMORTEM_STATUS_LABELS[pm.status]}</span> · for{" "}
            <Link to={`/w/${slug}/incidents/${pm.incident_number}`}>
              {incidentReference(pm.incident_number)} {pm.incident_title}
            </Link>{" "}
            · <span className={`badge tier-${pm.incident_tier}`}>{pm.incident_tier}</span> · version {pm.version}, saved by {pm.updated_by_name}{" "}
            <When at={pm.updated_at} />
          </>
        }
        actions={
          <div className="actions-row">
            {abilities["postmortem.edit"] ? (
              <a className="button" href={`${base}/edit`}>
                Edit
              </a>
            ) : null}
            <Link className="button secondary" to={`${base}/history`}>
              History
            </Link>
            <a className="button secondary" href={`${base}.md`} download>
              Export Markdown
            </a>
            <a className="button secondary" href={`${base}/print`}>
              Print view
            </a>
          </div>
        }
      />
      <Notice>{notice}</Notice>
      {failure ? <FormError state={failure} /> : null}
      <div className="layout-side">
        <article className="card prose" aria-label="Postmortem">
          {segments.map((segment, i) =>
            "html" in segment ? (
              <div key={i} className="prose-run" dangerouslySetInnerHTML={{ __html: segment.html }} />
            ) : segment.tracked === "factors" ? (
              <div key={i}>{factorsSection(true, segment.heading)}</div>
            ) : (
              <section key={i} className="tracked-section" aria-label={segment.heading ? undefined : "Guardrail actions"} aria-labelledby={segment.heading ? `tracked-${i}` : undefined}>
                {segment.heading ? <TrackedHeading id={`tracked-${i}`} heading={segment.heading} /> : null}
                <div className="tracked-block" data-tracked="actions">
                  <TrackedActionsTable slug={slug} factors={factors} />
                </div>
              </section>
            ),
          )}
        </article>
        <ReviewPanel
          postmortem={pm}
          canEdit={canEdit}
          canApprove={abilities["postmortem.review"] === true}
          isAuthor={isAuthor}
          reviewers={reviewers}
          failure={failure && failure.values.intent === "request-review" ? failure : undefined}
          busy={busy}
        />
      </div>
      {/* A body without the live block (written before ADR 25) keeps the factors below it. */}
      {segments.some((s) => "tracked" in s && s.tracked === "factors") ? null : factorsSection(false)}
      <TrackerBulk slug={slug} incident={pm.incident_number} tracking={tracking} connections={trackers} canTrack={Boolean(abilities["action.track"])} />
    </>
  );
}

/** The document's own heading above a live block, drawn with the block (ADR 25). */
function TrackedHeading({ id, heading }: { id: string; heading: { text: string; level: number } }) {
  const Heading = `h${Math.min(6, Math.max(2, heading.level))}` as "h2";
  return <Heading id={id}>{heading.text}</Heading>;
}

export const ErrorBoundary = WorkspaceRouteError;
