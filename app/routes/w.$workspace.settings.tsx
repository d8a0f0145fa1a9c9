import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, authorize, memberActor } from "~/http/authorize.server";
import { can, type PolicyAction } from "~/domain/policy/rules";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormError, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { CatalogSettings } from "~/components/settings/catalog";
import { MembersSettings } from "~/components/settings/members";
import { SettingsNav } from "~/components/settings-nav";
import {
  areaMaintainers,
  changeMemberRole,
  createInvite,
  listAreas,
  listMembers,
  listTiers,
  pendingInvites,
  renameWorkspace,
  reviewRulesOf,
  revokeInvite,
  saveArea,
  saveReviewRules,
  setAreaMaintainers,
  updateTier,
} from "~/domain/workspaces/index.server";
import { mailerConfigured } from "~/domain/integrations/index.server";
import { ReviewRulesSettings } from "~/components/settings/review-rules";
import { database } from "~/http/db.server";
import { SettingsForm } from "~/domain/workspaces/forms";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { formProblem } from "~/http/outcomes.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Settings · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const db = await database();
  const isAdmin = can(memberActor(access), "member.invite");
  const [members, invites, tiers, areas, maintainers, reviewRules] = await Promise.all([
    listMembers(db, workspace.id),
    isAdmin ? pendingInvites(db, workspace.id) : Promise.resolve([]),
    listTiers(db, workspace.id),
    listAreas(db, workspace.id),
    areaMaintainers(db, workspace.id),
    reviewRulesOf(db, workspace.id),
  ]);
  return {
    workspace: { name: workspace.name, slug: workspace.slug },
    abilities: abilities(access),
    me: user.id,
    members,
    invites,
    tiers,
    areas: areas.map((a) => ({ ...a, maintainers: maintainers.get(a.id) ?? [] })),
    reviewRules,
    /** Invites can be mailed only when SMTP is configured. */
    canMail: mailerConfigured(),
  };
}

/** Which policy action each of this page's forms needs (all an admin's today). */
const SETTINGS_ACTIONS = {
  rename: "workspace.rename",
  invite: "member.invite",
  "revoke-invite": "member.invite",
  "change-role": "member.change-role",
  "remove-member": "member.remove",
  "save-tier": "catalog.edit",
  "save-area": "catalog.edit",
  "set-maintainers": "catalog.edit",
  "save-review-rules": "catalog.edit",
} as const satisfies Record<string, PolicyAction>;

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const formData = await request.formData();
  const parsed = parseForm(SettingsForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  authorize(access, SETTINGS_ACTIONS[input.intent]);
  switch (input.intent) {
    case "rename":
      await renameWorkspace(db, user, workspace.id, input.name);
      return data({ ok: true as const, notice: "Workspace renamed." });
    case "invite": {
      const linkFor = (token: string) => new URL(`/invite/${token}`, request.url).toString();
      if (input.email && !mailerConfigured()) {
        return formFailure(formData, { fieldErrors: { email: ["Mail is not set up on this server (SMTP_URL): copy the link and send it yourself."] } });
      }
      const mailTo = input.email ? { email: input.email, linkFor } : undefined;
      const { token, expiresAt } = await createInvite(db, user, workspace.id, input.role, new Date(), mailTo);
      const notice = mailTo ? `Invite for a new ${input.role} created; the link is on its way to ${mailTo.email}.` : `Invite link for a new ${input.role} created.`;
      return data({ ok: true as const, notice, inviteLink: linkFor(token), expiresAt: expiresAt.toISOString() });
    }
    case "revoke-invite": {
      const revoked = await revokeInvite(db, user, workspace.id, input.inviteId);
      if (!revoked) throw new Response("Invite not found", { status: 404 });
      return data({ ok: true as const, notice: "Invite revoked." });
    }
    case "save-tier": {
      const { key, intent: _intent, ...text } = input;
      if (!(await updateTier(db, user, workspace.id, key, text))) throw new Response("Tier not found", { status: 404 });
      return data({ ok: true as const, notice: `Tier ${key} saved.` });
    }
    case "save-area": {
      const { areaId, intent: _intent, ...area } = input;
      const saved = await saveArea(db, user, workspace.id, areaId, area);
      if (!saved.ok && saved.kind === "conflict") return formFailure(formData, { fieldErrors: saved.fieldErrors }, 409);
      if (!saved.ok) return formProblem(formData, saved);
      return data({ ok: true as const, notice: areaId ? "Area saved." : "Area added." });
    }
    case "set-maintainers": {
      const saved = await setAreaMaintainers(db, user, workspace.id, input.areaId, input.maintainerIds);
      if (!saved) return formFailure(formData, { formError: "Maintainers must be members of this workspace." }, 404);
      return data({ ok: true as const, notice: "Maintainers saved." });
    }
    case "save-review-rules": {
      const { intent: _intent, ...rules } = input;
      await saveReviewRules(db, user, workspace.id, rules);
      return data({ ok: true as const, notice: "Review rules saved." });
    }
    case "change-role":
    case "remove-member": {
      const result = await changeMemberRole(db, user, workspace.id, input.userId, input.intent === "change-role" ? input.role : null);
      if (!result.ok) return formProblem(formData, result);
      return data({ ok: true as const, notice: input.intent === "change-role" ? "Role changed." : "Member removed." });
    }
  }
}

export default function Settings() {
  const { workspace, abilities, me, members, invites, tiers, areas, reviewRules, canMail } = useLoaderData<typeof loader>();
  const isAdmin = abilities["member.invite"] === true;
  const { busy, success, failure } = useFormResult<typeof action>();
  return (
    <>
      <PageHead title="Settings" description="The workspace, its members, and the tiers and areas every incident is classified by." />
      {abilities["integration.manage"] ? <SettingsNav slug={workspace.slug} /> : null}
      <Notice>{success?.notice}</Notice>
      <FormError state={failure} />

      <MembersSettings
        workspace={workspace}
        isAdmin={isAdmin}
        me={me}
        members={members}
        invites={invites}
        failure={failure}
        inviteLink={success && "inviteLink" in success && typeof success.inviteLink === "string" ? success.inviteLink : null}
        canMail={canMail}
        busy={busy}
      />
      <ReviewRulesSettings isAdmin={abilities["catalog.edit"] === true} rules={reviewRules} failure={failure} busy={busy} />
      <CatalogSettings isAdmin={abilities["catalog.edit"] === true} tiers={tiers} areas={areas} members={members} failure={failure} busy={busy} />
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
