/** The demo area: the story the demo workspace tells, written through the other areas' entry points. */
export { storyAnchor, writeDemoStory } from "./story.server";
export { TEAMMATES } from "./story-content";
