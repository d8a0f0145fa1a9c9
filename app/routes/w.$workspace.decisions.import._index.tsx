import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, UploadHandler } from "@remix-run/node";
import { PROBLEM_STATUS } from "~/domain/shared/outcomes";
import { data, redirect, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError, FormError, type FormState } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { collectImportFiles, IMPORT_LIMITS, stageDecisionImport, type Upload } from "~/domain/decisions/index.server";
import { database } from "~/http/db.server";
import { requireAbility } from "~/http/authorize.server";

export const meta: MetaFunction = () => [{ title: "Import decision records · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "decision.import");
  return { slug: workspace.slug, limits: IMPORT_LIMITS };
}

const MB = 1024 * 1024;
/** Multipart framing (boundaries, headers of up to 500 parts) on top of the files themselves. */
const FRAMING_BYTES = 256 * 1024;
const TOO_LARGE = "application/x-hindsight-too-large";

class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the upload part by part, keeping the limits while the bytes arrive: the whole request,
 * the number of files, and each file (an oversize Markdown file is kept as a marker, so the
 * preview can name it instead of refusing everything).
 */
function limitedUploadHandler(): UploadHandler {
  let total = 0;
  let files = 0;
  const count = (bytes: number) => {
    total += bytes;
    if (total > IMPORT_LIMITS.totalBytes + FRAMING_BYTES) {
      throw new UploadRefused(413, `The upload is larger than ${IMPORT_LIMITS.totalBytes / MB} MB. Choose only the folder of decision records, or a zip of it.`);
    }
  };
  return async ({ filename, contentType, data: stream }) => {
    if (filename === undefined) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of stream) {
        count(chunk.byteLength);
        chunks.push(chunk);
      }
      return new TextDecoder().decode(Buffer.concat(chunks)).slice(0, 200);
    }
    const isZip = /\.zip$/i.test(filename);
    const isMarkdown = /\.(md|markdown)$/i.test(filename);
    if (filename === "" || (!isZip && !isMarkdown)) {
      // Drained and counted, but not kept: images and other files in an ADR folder.
      for await (const chunk of stream) count(chunk.byteLength);
      return filename === "" ? undefined : new File([], filename, { type: "application/octet-stream" });
    }
    files += 1;
    if (files > IMPORT_LIMITS.files) throw new UploadRefused(413, `That is more than ${IMPORT_LIMITS.files} files. Import the decision records in parts.`);
    const limit = isZip ? IMPORT_LIMITS.totalBytes : IMPORT_LIMITS.fileBytes;
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    for await (const chunk of stream) {
      count(chunk.byteLength);
      size += chunk.byteLength;
      if (size <= limit) chunks.push(new Uint8Array(chunk));
    }
    return size > limit ? new File([], filename, { type: TOO_LARGE }) : new File(chunks, filename, { type: contentType });
  };
}

type UploadFailure = FormState & { ok: false };
const refuse = (status: number, message: string) => data<UploadFailure>({ ok: false, fieldErrors: { files: [message] }, values: {} }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.import");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > IMPORT_LIMITS.totalBytes + FRAMING_BYTES) {
    return refuse(413, `The upload is larger than ${IMPORT_LIMITS.totalBytes / MB} MB. Choose only the folder of decision records, or a zip of it.`);
  }
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, limitedUploadHandler());
  } catch (error) {
    if (error instanceof UploadRefused) return refuse(error.status, error.message);
    if (error instanceof TypeError) return refuse(400, "Choose a folder or a zip file to upload.");
    throw error;
  }
  const uploads: Upload[] = [];
  for (const value of [...formData.getAll("folder"), ...formData.getAll("zip")]) {
    if (typeof value === "string" || value.name === "") continue;
    uploads.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()), tooLarge: value.type === TOO_LARGE });
  }
  if (uploads.length === 0) return refuse(400, "Choose a folder of Markdown files or a zip file first.");
  const collected = collectImportFiles(uploads);
  if (!collected.ok) return refuse(PROBLEM_STATUS[collected.kind], collected.message ?? "The upload was refused.");
  const zipName = uploads.find((u) => /\.zip$/i.test(u.name))?.name;
  const source = zipName ?? `a folder of ${uploads.length} ${uploads.length === 1 ? "file" : "files"}`;
  const defaultKind = formData.get("defaultKind") === "rfc" ? "rfc" : "adr";
  const staged = await stageDecisionImport(await database(), user, workspace.id, { source, defaultKind, files: collected.files });
  return redirect(`/w/${workspace.slug}/decisions/import/${staged.id}`);
}

// React passes unknown lower-case attributes to the DOM; its types just don't list this one.
const folderPicker = { webkitdirectory: "", directory: "" } as Record<string, string>;

export default function ImportDecisions() {
  const { slug, limits } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = state?.fieldErrors?.files;
  return (
    <>
      <PageHead
        title="Import decision records"
        description={<Link to={`/w/${slug}/decisions`}>Back to the decision log</Link>}
      />
      <FormError state={state} />
      <section className="card">
        <p>
          Upload the folder where your team keeps ADRs (often <code>docs/adr</code> or <code>doc/architecture/decisions</code>), or a zip of it.
          Nothing is imported yet: the next page shows every file, what it becomes, duplicates and problems, and you import from there.
        </p>
        <p className="muted">
          Understood: MADR 2, 3 and 4, Nygard and adr-tools, log4brains, and Hindsight&apos;s own export. Numbered (<code>0007-title.md</code>)
          and dated (<code>2021-03-04-title.md</code>) file names. Up to {limits.files} files, {limits.fileBytes / 1024} KB each,{" "}
          {limits.totalBytes / (1024 * 1024)} MB in all.
        </p>
        <Form method="post" encType="multipart/form-data" className="form" aria-describedby={errors?.length ? "field-files-error" : undefined}>
          <div className="import-inputs">
            <div className="field">
              <label htmlFor="import-folder">A folder of Markdown files</label>
              <input id="import-folder" type="file" name="folder" multiple {...folderPicker} aria-invalid={errors?.length ? true : undefined} />
            </div>
            <div className="field">
              <label htmlFor="import-zip">Or a zip file</label>
              <input id="import-zip" type="file" name="zip" accept=".zip,application/zip" aria-invalid={errors?.length ? true : undefined} />
            </div>
          </div>
          <FieldError id="field-files-error" errors={errors} />
          <fieldset className="fieldset">
            <legend>Files that don&apos;t say whether they are ADRs or RFCs are</legend>
            <div className="checkbox-grid">
              <label className="checkbox">
                <input type="radio" name="defaultKind" value="adr" defaultChecked /> ADRs
              </label>
              <label className="checkbox">
                <input type="radio" name="defaultKind" value="rfc" /> RFCs
              </label>
            </div>
          </fieldset>
          <div>
            <button type="submit" className="button" disabled={busy}>
              {busy ? "Reading the files…" : "Preview the import"}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
