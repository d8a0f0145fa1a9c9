/**
 * Blameless-language hints: phrases that point at a person rather than at the conditions that let
 * an incident happen. Suggestions only; the editor shows them and never blocks a save.
 * Pure and isomorphic: the editor runs it as people type, the server can run it on saved text.
 */

export type BlamelessHintKind = "hindsight" | "judgement" | "human-error" | "blame" | "memory" | "person-as-subject";

export type BlamelessHint = {
  /** The words as written, for quoting back to the writer. */
  phrase: string;
  /** Where the phrase starts in the text (UTF-16 offset). */
  index: number;
  kind: BlamelessHintKind;
  /** Why the phrase works against a blameless review. */
  message: string;
  /** A rewording to start from. */
  suggestion: string;
};

export type BlamelessOptions = {
  /** People who might be named in the text (members, incident responders). */
  names?: string[];
};

type Rule = {
  kind: BlamelessHintKind;
  pattern: RegExp;
  message: string;
  suggestion: (match: RegExpExecArray) => string;
};

const LETTER = "[\\p{L}\\p{N}_]";
const APOSTROPHE = "['’]";
/** Whole words only, Unicode-aware (\b knows only ASCII, and names are not all ASCII). */
const words = (source: string) => new RegExp(`(?<!${LETTER})(?:${source})(?!${LETTER})`, "giu");
const fixed = (text: string) => () => text;

const CONDITION_MESSAGE = "Describe the condition that allowed it: what made this easy to miss?";

// Past participles after "should have": "should have a runbook" is a plan, not hindsight.
const PARTICIPLE =
  "been|had|known|seen|done|gone|taken|caught|run|written|thought|told|given|made|read|found|kept|put|set|built|brought|" +
  "(?!(?:speed|seed|need|feed|bed|red|shed|hundred|sacred|naked|wicked|embed)(?!\\p{L}))\\p{L}{2,}ed";

// Roles that name a person without naming them.
const ROLE =
  "(?:the|an?|our|their|that|this)\\s+(?:(?:new|junior|senior|on-?call)\\s+)?" +
  "(?:engineer|developer|dev|operator|on-?call(?:er)?|reviewer|author|admin|administrator|sre|contractor|intern|employee|person|team\\s?member)";

// Engineering uses of "fault" that say nothing about people: "our fault injection tests".
const NOT_BLAME_FAULT = "[\\s-]*(?:toleran|injection|isolation|domain|detection|handl|code|zone|line)";

const FIXED_RULES: Rule[] = [
  {
    kind: "hindsight",
    pattern: words(`should(?:n${APOSTROPHE}t|\\s+not)?(?:\\s+have|${APOSTROPHE}ve)\\s+(?:${PARTICIPLE})`),
    message:
      "Hindsight makes the right move look obvious. Describe what people knew and saw at the time, and what made the other path look reasonable.",
    suggestion: fixed("nothing prompted … at the time (name the missing check, signal or step)"),
  },
  {
    kind: "hindsight",
    pattern: words("obviously"),
    message: "It was not obvious to the people there, or it would not have happened. What hid it at the time?",
    suggestion: fixed("in hindsight (or leave the word out)"),
  },
  {
    kind: "hindsight",
    pattern: words("(?:just|simply|only)\\s+(?:needed|had)\\s+to"),
    message: "“Just” makes a step sound trivial after the fact. What made it hard to see or do at the time?",
    suggestion: (m) => `${/had/i.test(m[0]) ? "had" : "needed"} to (and what made that step hard)`,
  },
  {
    kind: "judgement",
    pattern: words("careless(?:ly|ness)?"),
    message: "“Careless” judges a person, and people stop sharing details once judged. What made the action easy to get wrong?",
    suggestion: fixed("an easy mistake to make, because …"),
  },
  {
    kind: "judgement",
    pattern: words("negligen(?:t|tly|ce)"),
    message: "“Negligent” assigns fault. Describe which safeguard was missing or silent when it mattered.",
    suggestion: fixed("not covered by any check or review step"),
  },
  {
    kind: "judgement",
    pattern: words("slopp(?:y|ily|iness)"),
    message: "“Sloppy” judges a person. Say what made the work error-prone: time pressure, tooling, unclear ownership.",
    suggestion: fixed("error-prone, because …"),
  },
  {
    kind: "judgement",
    pattern: words("incompeten(?:t|tly|ce)"),
    message: "Judging skill closes the inquiry. What did the system expect people to know, and where could they have learned it?",
    suggestion: fixed("new to this system; the runbook did not cover …"),
  },
  {
    kind: "judgement",
    pattern: words(`(?:didn${APOSTROPHE}t|did\\s+not)\\s+bother|(?:couldn${APOSTROPHE}t|could\\s+not)\\s+be\\s+bothered`),
    message: "This guesses at motive. Describe what made the step look unnecessary at the time.",
    suggestion: fixed("did not, because it looked unnecessary: …"),
  },
  {
    kind: "human-error",
    pattern: words("(?:human|operator)\\s+error"),
    message:
      "“Human error” ends the inquiry where it should start. What about the tooling or process made the error possible, and what would catch it next time?",
    suggestion: fixed("a step the tooling let through without a check"),
  },
  {
    kind: "blame",
    // "no blame", "without blame", "a note about blame culture" are not blaming anyone.
    pattern: new RegExp(`(?<!(?:${LETTER}|(?<!${LETTER})(?:no|without|about)\\s+))blam(?:e|ed|es|ing)(?!${LETTER})`, "giu"),
    message: "Blame asks who, and people then stop sharing what they saw. Ask what happened and why it made sense at the time.",
    suggestion: fixed("what contributed to"),
  },
  {
    kind: "blame",
    pattern: new RegExp(
      `(?<!(?:${LETTER}|(?<!${LETTER})no\\s+))fault\\s+of(?!${LETTER})|` +
        `(?<!${LETTER})(?!(?:it|that|what|there|here|who|where|this)${APOSTROPHE}s)` +
        `(?:his|her|their|my|your|our|\\p{L}+${APOSTROPHE}s)\\s+fault(?!${LETTER}|${NOT_BLAME_FAULT})`,
      "giu",
    ),
    message: "Fault belongs to no one in a blameless review. Name the contributing factor instead.",
    suggestion: fixed("a contributing factor was …"),
  },
  {
    kind: "memory",
    pattern: words("(?:forgot|forgotten)\\s+to\\s+(\\p{L}+)"),
    message: "Memory is not a safeguard. Say what would have reminded anyone, or how the step could stop depending on memory.",
    suggestion: (m) => `nothing prompted anyone to ${m[1]}`,
  },
];

// How to say each failure as a condition rather than as someone's act.
const FAILURE_REWORDINGS: Record<string, string> = {
  broke: "the change broke",
  broken: "the change broke",
  missed: "the signal was easy to miss because …",
  forgot: "nothing reminded anyone to …",
  forgotten: "nothing reminded anyone to …",
  caused: "the change caused",
  ignored: "the warning went unheeded because …",
  skipped: "the step was skipped because …",
  overlooked: "it was easy to overlook because …",
  neglected: "it was left undone because …",
  botched: "the step went wrong because …",
  "messed up": "the step went wrong because …",
  "screwed up": "the step went wrong because …",
  failed: "the process did not …",
};
const FAILURE_VERB = "broke|broken|missed|forgot|forgotten|caused|ignored|skipped|overlooked|neglected|botched|messed\\s+up|screwed\\s+up|failed";

/** Rules that need the names of the people involved. */
function personRules(names: string[]): Rule[] {
  const named = names.map(escapeRegExp);
  const person = [...named, "he", "she", "some(?:one|body)", ROLE].join("|");
  return [
    {
      kind: "person-as-subject",
      pattern: words(`(?:${[...named, "he", "she", "I", "we", "you", ROLE].join("|")})\\s+failed\\s+to\\s+(\\p{L}+)`),
      message: "Saying a person failed points at them, not at the system. What made the right step hard to take or easy to skip?",
      suggestion: (m) => `nothing made it easy to ${m[1]}`,
    },
    {
      kind: "person-as-subject",
      pattern: words(`(?:${person})\\s+(?:(?:had|has)\\s+)?(${FAILURE_VERB})`),
      message: CONDITION_MESSAGE,
      suggestion: (m) => FAILURE_REWORDINGS[(m[1] ?? "").toLowerCase().replace(/\s+/g, " ")] ?? "describe the condition, not the person",
    },
  ];
}

/** A name as written, and the first name alone ("Alex" for "Alex Kim"), longest first. */
function nameVariants(names: string[]): string[] {
  const variants = new Set<string>();
  for (const raw of names) {
    const name = raw.trim().replace(/\s+/g, " ");
    if (name.length < 2) continue;
    variants.add(name);
    const first = name.split(" ")[0]!;
    if (first.length >= 2) variants.add(first);
  }
  return [...variants].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Blaming phrases in the text, in reading order, with no two overlapping. */
export function blamelessHints(text: string, options: BlamelessOptions = {}): BlamelessHint[] {
  const rules = [...FIXED_RULES, ...personRules(nameVariants(options.names ?? []))];
  const found: BlamelessHint[] = [];
  for (const rule of rules) {
    for (const match of text.matchAll(rule.pattern)) {
      found.push({ phrase: match[0], index: match.index, kind: rule.kind, message: rule.message, suggestion: rule.suggestion(match) });
    }
  }
  // Where rules overlap ("Sam failed to" and "Sam … failed"), the longer phrase says more.
  found.sort((a, b) => a.index - b.index || b.phrase.length - a.phrase.length);
  const hints: BlamelessHint[] = [];
  let end = -1;
  for (const hint of found) {
    if (hint.index < end) continue;
    hints.push(hint);
    end = hint.index + hint.phrase.length;
  }
  return hints;
}
