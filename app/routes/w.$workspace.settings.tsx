import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { CatalogSettings } from "~/components/settings/catalog";
import { MembersSettings } from "~/components/settings/members";
import { SettingsNav } from "~/components/settings-nav";
import { areaMaintainers, changeMemberRole, createInvite, listAreas, listMembers, listTiers, pendingInvites, renameWorkspace, revokeInvite, saveArea, setAreaMaintainers, updateTier } from "~/domain/workspaces/index.server";
import { roleAllows } from "~/domain/workspaces/rules";
import { database } from "~/http/db.server";
import { SettingsForm } from "~/domain/workspaces/forms";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { formProblem } from "~/http/outcomes.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Settings · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role, user } = await requireMember(request, params.workspace);
  const db = await database();
  const isAdmin = roleAllows(role, "admin");
  const [members, invites, tiers, areas, maintainers] = await Promise.all([
    listMembers(db, workspace.id),
    isAdmin ? pendingInvites(db, workspace.id) : Promise.resolve([]),
    listTiers(db, workspace.id),
    listAreas(db, workspace.id),
    areaMaintainers(db, workspace.id),
  ]);
  return {
    workspace: { name: workspace.name, slug: workspace.slug },
    isAdmin,
    me: user.id,
    members,
    invites,
    tiers,
    areas: areas.map((a) => ({ ...a, maintainers: maintainers.get(a.id) ?? [] })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Every change on this page is an admin's.
  const { workspace, user } = await requireMember(request, params.workspace, "admin");
  const formData = await request.formData();
  const parsed = parseForm(SettingsForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  switch (input.intent) {
    case "rename":
      await renameWorkspace(db, user, workspace.id, input.name);
      return data({ ok: true as const, notice: "Workspace renamed." });
    case "invite": {
      const { token, expiresAt } = await createInvite(db, user, workspace.id, input.role);
      const link = new URL(`/invite/${token}`, request.url).toString();
      return data({ ok: true as const, notice: `Invite link for a new ${input.role} created.`, inviteLink: link, expiresAt: expiresAt.toISOString() });
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
    case "change-role":
    case "remove-member": {
      const result = await changeMemberRole(db, user, workspace.id, input.userId, input.intent === "change-role" ? input.role : null);
      if (!result.ok) return formProblem(formData, result);
      return data({ ok: true as const, notice: input.intent === "change-role" ? "Role changed." : "Member removed." });
    }
  }
}

export default function Settings() {
  const { workspace, isAdmin, me, members, invites, tiers, areas } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && !result.ok ? result : undefined;
  const success = result && result.ok ? result : undefined;
  return (
    <>
      <PageHead title="Settings" description="The workspace, its members, and the tiers and areas every incident is classified by." />
      {isAdmin ? <SettingsNav slug={workspace.slug} /> : null}
      {success ? (
        <div className="notice" role="status">
          {success.notice}
        </div>
      ) : null}
      <FormError state={failure} />

      <MembersSettings
        workspace={workspace}
        isAdmin={isAdmin}
        me={me}
        members={members}
        invites={invites}
        failure={failure}
        inviteLink={success && "inviteLink" in success && typeof success.inviteLink === "string" ? success.inviteLink : null}
        busy={busy}
      />
      <CatalogSettings isAdmin={isAdmin} tiers={tiers} areas={areas} members={members} failure={failure} busy={busy} />
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
