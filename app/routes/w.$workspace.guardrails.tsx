import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Guardrails · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request, params.workspace);
  return null;
}

export default function Guardrails() {
  return (
    <>
      <PageHead title="Guardrails" description="Actions that sharpen a gate, add a test or narrow a permission — done only when seen enforced." />
      <EmptyState title="No guardrail actions yet">
        <p>Guardrail actions come from the contributing factors of a postmortem. Each has an owner, a due date and the gate it creates or sharpens.</p>
      </EmptyState>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
