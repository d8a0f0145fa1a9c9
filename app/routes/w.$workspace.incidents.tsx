import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Incidents · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request, params.workspace);
  return null;
}

export default function Incidents() {
  return (
    <>
      <PageHead title="Incidents" description="What broke, when it was detected and mitigated, and which changes were involved." />
      <EmptyState title="No incidents recorded yet">
        <p>When something breaks, record it here with its severity, tier and affected areas, then write a blameless postmortem from a template.</p>
      </EmptyState>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
