import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Decisions · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request, params.workspace);
  return null;
}

export default function Decisions() {
  return (
    <>
      <PageHead title="Decisions" description="Architecture decision records and RFCs: why the rules and designs are what they are." />
      <EmptyState title="No decision records yet">
        <p>Write an ADR or RFC from a template, or import the Markdown ADRs your team keeps in git.</p>
      </EmptyState>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
