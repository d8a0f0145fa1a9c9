import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError, SelectField, typedValue, type FormState } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SettingsNav } from "~/components/settings-nav";
import { areaMaintainers, changeMemberRole, createInvite, listAreas, listMembers, listTiers, pendingInvites, renameWorkspace, revokeInvite, saveArea, setAreaMaintainers, updateTier } from "~/domain/workspaces/index.server";
import { ROLE_DESCRIPTIONS, ROLES, roleAllows } from "~/domain/workspaces/rules";
import { database } from "~/http/db.server";
import { stringList } from "~/forms/fields";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { formProblem } from "~/http/outcomes.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Settings · Hindsight" }];

/** A textarea of items, one a line. */
const lines = z
  .string()
  .max(3000, "Keep the list under 3000 characters.")
  .default("")
  .transform((v) => v.split("\n").map((l) => l.trim()).filter(Boolean));

const RoleSchema = z.enum(["viewer", "editor", "admin"], { error: "Choose viewer, editor or admin." });
const SettingsAction = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("rename"),
      name: z.string().trim().min(2, "Use at least 2 characters.").max(80, "Keep the name under 80 characters."),
    }),
    z.object({ intent: z.literal("invite"), role: RoleSchema }),
    z.object({ intent: z.literal("revoke-invite"), inviteId: z.uuid("Unknown invite.") }),
    z.object({ intent: z.literal("change-role"), userId: z.uuid("Unknown member."), role: RoleSchema }),
    z.object({ intent: z.literal("remove-member"), userId: z.uuid("Unknown member.") }),
    z.object({
      intent: z.literal("save-tier"),
      key: z.enum(["T0", "T1", "T2", "T3"], { error: "Unknown tier." }),
      name: z.string().trim().min(2, "Name the tier.").max(60, "Keep the name under 60 characters."),
      summary: z.string().trim().max(300, "Keep the summary under 300 characters.").default(""),
      typicalChanges: lines,
      requiredChecks: lines,
      releaseControls: lines,
    }),
    z.object({
      intent: z.literal("save-area"),
      areaId: z.preprocess((v) => (v === "" ? null : v), z.uuid("Unknown area.").nullable()).default(null),
      name: z.string().trim().min(2, "Name the area.").max(80, "Keep the name under 80 characters."),
      slug: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/, "Use 2–40 lowercase letters, digits and dashes."),
      description: z.string().trim().max(300, "Keep the description under 300 characters.").default(""),
      defaultTier: z.enum(["T0", "T1", "T2", "T3"], { error: "Choose a tier." }),
    }),
    z.object({ intent: z.literal("set-maintainers"), areaId: z.uuid("Unknown area."), maintainerIds: stringList(z.uuid("Unknown member.")) }),
  ],
  { error: "Unknown settings action." },
);

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
  const parsed = parseForm(SettingsAction, formData);
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

const roleOptions = ROLES.map((r) => ({ value: r, label: r[0]!.toUpperCase() + r.slice(1) }));

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

      <section className="card" aria-labelledby="general-title">
        <h2 id="general-title">Workspace</h2>
        {isAdmin ? (
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="rename" />
            <Field name="name" label="Name" defaultValue={workspace.name} state={failure} required />
            <button type="submit" className="button secondary" disabled={busy}>
              Save name
            </button>
          </Form>
        ) : (
          <p>{workspace.name}</p>
        )}
        <p className="muted">
          Address: <code>/w/{workspace.slug}</code>
        </p>
      </section>

      <section className="card" aria-labelledby="members-title" id="members">
        <h2 id="members-title">Members</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                {isAdmin ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.display_name}
                    {m.id === me ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    {isAdmin ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="change-role" />
                        <input type="hidden" name="userId" value={m.id} />
                        <label className="visually-hidden" htmlFor={`role-${m.id}`}>
                          Role of {m.display_name}
                        </label>
                        <select id={`role-${m.id}`} name="role" defaultValue={m.role}>
                          {roleOptions.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button secondary small" disabled={busy}>
                          Change
                        </button>
                      </Form>
                    ) : (
                      <span className={`badge role-${m.role}`}>{m.role}</span>
                    )}
                  </td>
                  {isAdmin ? (
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove-member" />
                        <input type="hidden" name="userId" value={m.id} />
                        <button type="submit" className="button danger small" disabled={busy}>
                          Remove<span className="visually-hidden"> {m.display_name}</span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ul className="muted">
          {ROLES.map((r) => (
            <li key={r}>
              <strong>{r}</strong>: {ROLE_DESCRIPTIONS[r]}
            </li>
          ))}
        </ul>
      </section>

      {isAdmin ? (
        <section className="card" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite people</h2>
          <p className="muted">Create a link and send it to the person you are inviting. It works once and expires in 7 days.</p>
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="invite" />
            <SelectField name="role" label="They join as" options={roleOptions} defaultValue="editor" state={failure} />
            <button type="submit" className="button" disabled={busy}>
              Create invite link
            </button>
          </Form>
          {success && "inviteLink" in success && typeof success.inviteLink === "string" ? (
            <div className="field auth-alt">
              <label htmlFor="invite-link">Invite link (copy it now; it is not shown again)</label>
              <div className="copy-box">
                <input id="invite-link" type="text" readOnly value={success.inviteLink} onFocus={(e) => e.currentTarget.select()} />
              </div>
            </div>
          ) : null}
          {invites.length ? (
            <>
              <h3 className="auth-alt">Pending invites</h3>
              <ul className="list-plain">
                {invites.map((i) => (
                  <li key={i.id} className="inline-form">
                    <span>
                      {i.role} invite by {i.created_by_name}, expires {new Date(i.expires_at).toLocaleDateString("en-GB")}
                    </span>
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke-invite" />
                      <input type="hidden" name="inviteId" value={i.id} />
                      <button type="submit" className="button secondary small" disabled={busy}>
                        Revoke
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="catalog-title" id="catalog">
        <h2 id="catalog-title">Risk tiers</h2>
        <p className="muted">Every change and incident is classified by blast radius. Higher tiers need more checks before release.</p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col">Typical changes</th>
                <th scope="col">Required checks</th>
                <th scope="col">Release controls</th>
              </tr>
            </thead>
            <tbody>
              {tiers.map((t) => (
                <tr key={t.key}>
                  <th scope="row">
                    <span className={`badge tier-${t.key}`}>{t.key}</span> {t.name}
                  </th>
                  <td>{t.typical_changes.join(", ")}</td>
                  <td>{t.required_checks.join(", ")}</td>
                  <td>{t.release_controls.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {isAdmin ? (
          <details className="edit">
            <summary>Edit the tiers</summary>
            {tiers.map((t) => (
              <Form method="post" className="form card auth-alt" key={t.key} noValidate aria-label={`Tier ${t.key}`}>
                <input type="hidden" name="intent" value="save-tier" />
                <input type="hidden" name="key" value={t.key} />
                <h3>{t.key}</h3>
                <div className="grid-3">
                  <Field id={`tier-${t.key}-name`} name="name" label={`Name of ${t.key}`} defaultValue={t.name} state={tierFailure(failure, t.key)} />
                  <Field id={`tier-${t.key}-summary`} name="summary" label="Summary" defaultValue={t.summary} state={tierFailure(failure, t.key)} />
                </div>
                <div className="grid-3">
                  <ListField id={`tier-${t.key}-typical`} name="typicalChanges" label="Typical changes (one a line)" items={t.typical_changes} />
                  <ListField id={`tier-${t.key}-checks`} name="requiredChecks" label="Required checks (one a line)" items={t.required_checks} />
                  <ListField id={`tier-${t.key}-controls`} name="releaseControls" label="Release controls (one a line)" items={t.release_controls} />
                </div>
                <div>
                  <button type="submit" className="button secondary small" disabled={busy}>
                    Save {t.key}
                  </button>
                </div>
              </Form>
            ))}
          </details>
        ) : null}
        <h2 className="auth-alt">Critical areas</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Covers</th>
                <th scope="col">Default tier</th>
                <th scope="col">Maintainers</th>
              </tr>
            </thead>
            <tbody>
              {areas.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.name}</th>
                  <td>{a.description}</td>
                  <td>
                    <span className={`badge tier-${a.default_tier}`}>{a.default_tier}</span>
                  </td>
                  <td>
                    {a.maintainers.map((m) => m.name).join(", ") || <span className="muted">none yet</span>}
                    {isAdmin ? (
                      <details className="edit">
                        <summary>
                          Edit<span className="visually-hidden"> {a.name}</span>
                        </summary>
                        <AreaForm area={a} state={typedValue(failure, "areaId") === a.id ? failure : undefined} busy={busy} />
                      </details>
                    ) : null}
                    {isAdmin ? (
                      <details className="edit">
                        <summary>
                          Choose<span className="visually-hidden"> maintainers of {a.name}</span>
                        </summary>
                        <Form method="post" className="form">
                          <input type="hidden" name="intent" value="set-maintainers" />
                          <input type="hidden" name="areaId" value={a.id} />
                          <fieldset className="fieldset">
                            <legend>Maintainers of {a.name}</legend>
                            {members.map((m) => (
                              <label key={m.id} className="checkbox">
                                <input
                                  type="checkbox"
                                  name="maintainerIds"
                                  value={m.id}
                                  defaultChecked={a.maintainers.some((x) => x.id === m.id)}
                                />{" "}
                                {m.display_name}
                              </label>
                            ))}
                          </fieldset>
                          <button type="submit" className="button secondary small" disabled={busy}>
                            Save maintainers
                          </button>
                        </Form>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {isAdmin ? (
          <details className="edit auth-alt" open={typedValue(failure, "intent") === "save-area" && !typedValue(failure, "areaId")}>
            <summary>Add an area</summary>
            <AreaForm state={typedValue(failure, "intent") === "save-area" && !typedValue(failure, "areaId") ? failure : undefined} busy={busy} />
          </details>
        ) : null}
      </section>
    </>
  );
}

function tierFailure(failure: FormState, key: string): FormState {
  return typedValue(failure, "intent") === "save-tier" && typedValue(failure, "key") === key ? failure : undefined;
}

function ListField({ id, name, label, items }: { id: string; name: string; label: string; items: string[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={3} defaultValue={items.join("\n")} />
    </div>
  );
}

function AreaForm({
  area,
  state,
  busy,
}: {
  area?: { id: string; name: string; slug: string; description: string; default_tier: string };
  state: FormState;
  busy: boolean;
}) {
  const prefix = area ? `area-${area.id}` : "area-new";
  return (
    <Form method="post" className="form" noValidate>
      <FormError state={state} />
      <input type="hidden" name="intent" value="save-area" />
      <input type="hidden" name="areaId" value={area?.id ?? ""} />
      <Field id={`${prefix}-name`} name="name" label="Area name" defaultValue={area?.name} state={state} />
      <Field id={`${prefix}-slug`} name="slug" label="Short name" hint="Used in filters and links, e.g. payments-api." defaultValue={area?.slug} state={state} />
      <Field id={`${prefix}-description`} name="description" label="What it covers" defaultValue={area?.description} state={state} />
      <SelectField
        id={`${prefix}-tier`}
        name="defaultTier"
        label="Default tier"
        options={["T0", "T1", "T2", "T3"].map((t) => ({ value: t, label: t }))}
        defaultValue={area?.default_tier ?? "T2"}
        state={state}
      />
      <div>
        <button type="submit" className="button secondary small" disabled={busy}>
          {area ? "Save area" : "Add area"}
        </button>
      </div>
    </Form>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
