/**
 * Reads the demo story from its files (db/seeds/demo-story/, see story-model.ts), checks each file
 * against its schema and the references between them (people, gates, areas, templates, INC-n and
 * ACT-n), and puts the story together. A bad entry stops the seed with the file, the line and the
 * path of what is wrong, e.g.
 * `db/seeds/demo-story/incidents/03-ledger-migration-lock.yaml:61: postmortem.factors[1].actions[0].owner: …`.
 *
 * The folder is found from this module's own place, walking up to the project root, so the same
 * code reads it from the TypeScript sources (vitest, tsx) and from the compiled build/node/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { listDecisionTemplates } from "~/domain/decisions/index.server";
import { listPostmortemTemplates } from "~/domain/postmortems/index.server";
import catalogAreas from "#templates/catalog/areas.json";
import { DecisionFile, GatesFile, GithubFile, IncidentFile, PeopleFile, type Story, type StoryDecision, type StoryGate, type StoryIncident } from "./story-model";

export const STORY_FOLDER = "db/seeds/demo-story";

/** The story folder above this module: app/domain/demo/ in the sources, build/node/… in the build. */
function defaultFolder(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, STORY_FOLDER);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`Demo story: no ${STORY_FOLDER} folder above ${start}`);
  }
}

type Path = (string | number)[];

/** One file read: its name as shown in messages, and its YAML with line numbers. */
class Source {
  private readonly lines = new LineCounter();
  readonly doc: Document;

  constructor(
    readonly name: string,
    yamlText: string,
    /** Lines before the YAML in the file (a front matter's opening `---`). */
    private readonly lineOffset = 0,
  ) {
    this.doc = parseDocument(yamlText, { lineCounter: this.lines, prettyErrors: true });
    const error = this.doc.errors[0];
    if (error) throw new Error(`Demo story: ${this.name}: ${error.message}`);
  }

  /** The line of the entry at `at`, or of the nearest entry around it that the file has. */
  private lineOf(at: Path): number | null {
    for (let probe = [...at]; ; probe = probe.slice(0, -1)) {
      const node = probe.length ? this.doc.getIn(probe, true) : this.doc.contents;
      const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
      if (offset !== undefined) return this.lines.linePos(offset).line + this.lineOffset;
      if (!probe.length) return null;
    }
  }

  problem(at: Path, message: string): string {
    const line = this.lineOf(at);
    const where = at.map((part, i) => (typeof part === "number" ? `[${part}]` : i ? `.${part}` : part)).join("");
    return `${this.name}${line ? `:${line}` : ""}: ${where ? `${where}: ` : ""}${message}`;
  }

  fail(at: Path, message: string): never {
    throw new Error(`Demo story: ${this.problem(at, message)}`);
  }

  /** The file's data checked against its schema; every problem is listed. */
  parse<S extends z.ZodType>(schema: S, extra: Record<string, unknown> = {}): z.output<S> {
    const data = this.doc.toJS() as unknown;
    const input = typeof data === "object" && data !== null && !Array.isArray(data) ? { ...data, ...extra } : data;
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) =>
      this.problem(issue.path as Path, issue.code === "invalid_type" && issue.message.endsWith("received undefined") ? "missing." : issue.message),
    );
    throw new Error(`Demo story: ${problems.length === 1 ? "a bad entry" : `${problems.length} bad entries`}:\n  ${problems.join("\n  ")}`);
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;
const INCIDENT_FILE = /^(\d+)-[a-z0-9-]+\.(yaml|md)$/;
const DECISION_FILE = /^(adr|rfc)-(\d+)-[a-z0-9-]+\.md$/;

let cached: Story | undefined;

/** The demo story, read once from db/seeds/demo-story (or from `folder`, uncached, for tests). */
export function loadDemoStory(folder?: string): Story {
  if (folder) return readStory(folder);
  cached ??= readStory(defaultFolder());
  return cached;
}

function readStory(folder: string): Story {
  const shown = (file: string) => {
    const relative = path.relative(process.cwd(), path.join(folder, file));
    return relative.startsWith("..") ? path.join(folder, file) : relative;
  };
  const read = (file: string) => readFileSync(path.join(folder, file), "utf8");
  const files = (dir: string) => readdirSync(path.join(folder, dir)).sort();

  // People and areas.
  const peopleSource: Source = new Source(shown("people.yaml"), read("people.yaml"));
  const people = peopleSource.parse(PeopleFile);
  const persons = new Set([people.owner, ...Object.keys(people.teammates)]);
  const areaSlugs = new Set((catalogAreas as { slug: string }[]).map((a) => a.slug));
  const isPerson = (source: Source, at: Path, name: string) => {
    if (!persons.has(name)) source.fail(at, `"${name}" is not one of the story's people (${[...persons].join(", ")}; people.yaml).`);
  };
  const isArea = (source: Source, at: Path, slug: string) => {
    if (!areaSlugs.has(slug)) source.fail(at, `"${slug}" is not an area of templates/catalog/areas.json (${[...areaSlugs].join(", ")}).`);
  };
  if (people.teammates[people.owner]) peopleSource.fail(["teammates", people.owner], "The owner is the demo user, not a teammate.");
  for (const [area, names] of Object.entries(people.maintainers)) {
    isArea(peopleSource, ["maintainers", area], area);
    names.forEach((name, i) => isPerson(peopleSource, ["maintainers", area, i], name));
  }

  // Gates: the standing ones exist from the start; each other one is brought in by one action.
  const gatesSource: Source = new Source(shown("gates.yaml"), read("gates.yaml"));
  const gates: StoryGate[] = Object.entries(gatesSource.parse(GatesFile)).map(([key, gate]) => ({ key, ...gate }));
  const gateByKey = new Map(gates.map((g) => [g.key, g]));
  const existing = new Set(gates.filter((g) => g.createdAt).map((g) => g.key));
  const isGate = (source: Source, at: Path, key: string) => {
    if (!gateByKey.has(key)) source.fail(at, `"${key}" is not a gate of gates.yaml.`);
  };

  // Incidents, INC-1 … in file order; actions are numbered ACT-1 … as they are written.
  const postmortemTemplates = new Set(listPostmortemTemplates().map((t) => t.key));
  const incidentFiles = files("incidents");
  const incidents: StoryIncident[] = [];
  let actionCount = 0;
  for (const file of incidentFiles) {
    const match = INCIDENT_FILE.exec(file);
    if (!match) throw new Error(`Demo story: ${shown(`incidents/${file}`)}: name incident files NN-name.yaml (their postmortems NN-name.md).`);
    const yamlFile = file.replace(/\.md$/, ".yaml");
    if (file.endsWith(".md")) {
      if (!incidentFiles.includes(yamlFile)) throw new Error(`Demo story: ${shown(`incidents/${file}`)} is a postmortem body without its incident (${yamlFile}).`);
      continue;
    }
    const source: Source = new Source(shown(`incidents/${file}`), read(`incidents/${file}`));
    const number = incidents.length + 1;
    if (Number(match[1]) !== number) source.fail([], `this is INC-${number}, the incident files' ${number}th in order: name it ${String(number).padStart(2, "0")}-….yaml.`);
    const mdFile = file.replace(/\.yaml$/, ".md");
    const raw = source.doc.toJS() as { postmortem?: Record<string, unknown> } | null;
    let extra: Record<string, unknown> = {};
    if (incidentFiles.includes(mdFile)) {
      if (!raw?.postmortem) source.fail([], `${mdFile} holds a postmortem body, but this incident has no postmortem.`);
      if (raw.postmortem.body !== undefined) source.fail(["postmortem", "body"], `the body is in ${mdFile}; write it in one place.`);
      extra = { postmortem: { ...raw.postmortem, body: read(`incidents/${mdFile}`).trim() } };
    }
    const incident = source.parse(IncidentFile, extra);
    checkIncident(source, incident);
    incidents.push(incident);
  }

  function checkIncident(source: Source, incident: StoryIncident) {
    isPerson(source, ["reporter"], incident.reporter);
    incident.areas.forEach((slug, i) => isArea(source, ["areas", i], slug));
    const pm = incident.postmortem;
    if (!pm) return;
    isPerson(source, ["postmortem", "author"], pm.author);
    if (!postmortemTemplates.has(pm.template)) source.fail(["postmortem", "template"], `"${pm.template}" is not a postmortem template (${[...postmortemTemplates].join(", ")}).`);
    pm.reviews?.forEach((r, i) => isPerson(source, ["postmortem", "reviews", i, "by"], r.by));
    if (pm.edit) {
      isPerson(source, ["postmortem", "edit", "by"], pm.edit.by);
      if (!pm.body.includes(pm.edit.replace[0])) source.fail(["postmortem", "edit", "replace"], "the body does not hold this text.");
    }
    pm.factors.forEach((factor, f) => {
      const at: Path = ["postmortem", "factors", f];
      const broughtHere = new Set(factor.actions.flatMap((a) => (a.newGate ? [a.newGate] : [])));
      for (const { gate } of factor.gates ?? []) {
        isGate(source, [...at, "gates", gate], gate);
        if (!existing.has(gate) && !broughtHere.has(gate)) source.fail([...at, "gates", gate], `"${gate}" does not exist yet: it stands from the start (createdAt) or an earlier action, or an action of this factor, brings it in.`);
      }
      factor.actions.forEach((action, a) => {
        actionCount += 1;
        isPerson(source, [...at, "actions", a, "owner"], action.owner);
        if (action.gate) {
          isGate(source, [...at, "actions", a, "gate"], action.gate);
          if (!existing.has(action.gate)) source.fail([...at, "actions", a, "gate"], `"${action.gate}" does not exist yet at ACT-${actionCount}.`);
        }
        if (action.newGate) {
          isGate(source, [...at, "actions", a, "newGate"], action.newGate);
          if (existing.has(action.newGate)) source.fail([...at, "actions", a, "newGate"], `"${action.newGate}" exists already: it stands from the start (createdAt) or an earlier action brought it in.`);
          existing.add(action.newGate);
        }
      });
    });
  }

  const unbrought = gates.find((g) => !existing.has(g.key));
  if (unbrought) gatesSource.fail([unbrought.key], "no action brings this gate in (newGate), and it has no createdAt.");

  // GitHub's side.
  const githubSource: Source = new Source(shown("github.yaml"), read("github.yaml"));
  const github = githubSource.parse(GithubFile);
  github.checkRuns.forEach((run, i) => {
    isGate(githubSource, ["checkRuns", i, "gate"], run.gate);
    if (!gateByKey.get(run.gate)!.checkName) githubSource.fail(["checkRuns", i, "gate"], `"${run.gate}" has no checkName to run.`);
  });

  // Decisions: ADR-1 …, then RFC-1 …; the number in the file name is the one they get.
  const decisionTemplates = new Map(listDecisionTemplates().map((t) => [t.key, t.kind]));
  const decisions: StoryDecision[] = [];
  const written = new Set<string>();
  for (const file of files("decisions")) {
    const name = shown(`decisions/${file}`);
    const match = DECISION_FILE.exec(file);
    if (!match) throw new Error(`Demo story: ${name}: name decision files adr-NNNN-name.md or rfc-NNNN-name.md.`);
    const kind = match[1] as StoryDecision["kind"];
    const number = decisions.filter((d) => d.kind === kind).length + 1;
    const text = read(`decisions/${file}`);
    const front = FRONT_MATTER.exec(text);
    if (!front) throw new Error(`Demo story: ${name}: begin with a front matter between two --- lines.`);
    const source: Source = new Source(name, front[1]!, 1);
    const ref = `${kind.toUpperCase()}-${number}`;
    if (Number(match[2]) !== number) source.fail([], `this is ${ref} in file order: number the file ${String(number).padStart(4, "0")}.`);
    const decision = { ...source.parse(DecisionFile), kind, body: text.slice(front[0].length).trim() };
    isPerson(source, ["author"], decision.author);
    if (decisionTemplates.get(decision.template) !== kind) source.fail(["template"], `"${decision.template}" is not a template for ${kind.toUpperCase()}s.`);
    if (decision.supersedes && !written.has(decision.supersedes)) source.fail(["supersedes"], `${decision.supersedes} is not a record written before this one.`);
    decision.informedBy?.forEach((n, i) => {
      if (n > incidents.length) source.fail(["informedBy", i], `there are ${incidents.length} incidents.`);
    });
    decision.implements?.actions?.forEach((n, i) => {
      if (n > actionCount) source.fail(["implements", "actions", i], `the incidents have ${actionCount} actions.`);
    });
    decision.implements?.gates?.forEach((g, i) => isGate(source, ["implements", "gates", i], g));
    written.add(ref);
    decisions.push(decision);
  }

  return { owner: people.owner, teammates: people.teammates, maintainers: people.maintainers, gates, incidents, github, decisions };
}
