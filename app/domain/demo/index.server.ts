/** The demo area: the story the demo workspace tells (db/seeds/demo-story), written through the other areas' entry points. */
export { storyAnchor, writeDemoStory } from "./story.server";
export { loadDemoStory, STORY_FOLDER } from "./story-files.server";
export { minutesOf, type Story } from "./story-model";
