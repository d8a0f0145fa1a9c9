/**
 * The live block in the editor: a Tiptap node view showing the postmortem's tracked records,
 * editable in place. Its forms save the records at once (they are not part of the text), so the
 * block says so; the text around it autosaves as before.
 */
import { NodeViewWrapper, ReactNodeViewRenderer, type ReactNodeViewProps } from "@tiptap/react";
import { useContext } from "react";
import { TRACKED_TITLES, TrackedRecords, type TrackedKind } from "~/domain/documents/rules";
import { TrackedBlocksContext } from "./context";

function TrackedBlockView({ node }: ReactNodeViewProps) {
  const render = useContext(TrackedBlocksContext);
  const kind: TrackedKind = node.attrs.kind === "actions" ? "actions" : "factors";
  return (
    <NodeViewWrapper className="tracked-block" data-tracked={kind} contentEditable={false} role="group" aria-label={`${TRACKED_TITLES[kind]} (live)`}>
      <p className="tracked-note">
        Live: the {kind === "factors" ? "contributing factors" : "guardrail actions"} tracked with this postmortem. Changes here are saved at once.
      </p>
      {render ? render(kind) : <p className="tracked-empty">Tracked records are shown here in postmortems.</p>}
    </NodeViewWrapper>
  );
}

export const TrackedRecordsView = TrackedRecords.extend({
  addNodeView() {
    return ReactNodeViewRenderer(TrackedBlockView, {
      // The forms inside handle their own keys and clicks; ProseMirror keeps out of them.
      stopEvent: ({ event }) => {
        const target = event.target as HTMLElement | null;
        return Boolean(target?.closest("input, textarea, select, button, summary, a, label, form"));
      },
    });
  },
});
