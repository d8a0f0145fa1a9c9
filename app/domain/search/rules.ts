/**
 * What a person typed into search, turned into pieces the database can match safely. No
 * database and no Node APIs here: the browser bundle may import the vocabulary below.
 *
 * Nothing typed ever reaches to_tsquery's syntax: words are reduced to letters, digits and
 * combining marks and quoted by us; quoted phrases and record references go to
 * phraseto_tsquery, which reads plain text and has no syntax at all.
 */
import type { SearchEntityType, TierKey } from "#db/schema";
import { DECISION_STATUSES } from "~/domain/decisions/rules";
import { ACTION_STATUSES } from "~/domain/guardrails/rules";
import { INCIDENT_STATUSES } from "~/domain/incidents/rules";
import { POSTMORTEM_STATUS_LABELS } from "~/domain/postmortems/rules";

export type { SearchEntityType } from "#db/schema";

/** Longer than any real search; a pasted document gets a clear message instead. */
export const MAX_QUERY_LENGTH = 500;
/** Words, phrases and references together. */
const MAX_QUERY_TERMS = 32;
/** Shorter words match whole words only: "db" means db, not every word starting with "db". */
const MIN_PREFIX_LENGTH = 3;
export const SEARCH_PAGE_SIZE = 20;
/** How many of the newest matches are ranked by relevance (and can be paged through). */
export const RANKED_CANDIDATES = 200;
/**
 * Matches are counted exactly up to this many; past it the total and the facet counts are lower
 * bounds ("5,000+"), as in most search engines: counting every record of a word found in half the
 * workspace costs more than the answer is worth (docs/benchmarks/search.md).
 */
export const COUNT_LIMIT = 5000;
/**
 * For a quoted phrase, counting is exact up to this many records that contain all its words:
 * the index finds those, but word order is checked on each record's full text vector, which
 * costs a few microseconds a record.
 */
export const PHRASE_COUNT_LIMIT = 1000;

export const SEARCH_TYPES: readonly SearchEntityType[] = ["incident", "postmortem", "factor", "action", "decision"];
export const SEARCH_TYPE_LABELS: Record<SearchEntityType, string> = {
  incident: "Incident",
  postmortem: "Postmortem",
  factor: "Factor",
  action: "Action",
  decision: "Decision",
};
export const SEARCH_TYPE_PLURALS: Record<SearchEntityType, string> = {
  incident: "Incidents",
  postmortem: "Postmortems",
  factor: "Factors",
  action: "Actions",
  decision: "Decisions",
};

/** Every status a search document can carry (factors have none). */
export const SEARCH_STATUSES: Record<SearchEntityType, readonly string[]> = {
  incident: INCIDENT_STATUSES,
  postmortem: Object.keys(POSTMORTEM_STATUS_LABELS),
  factor: [],
  action: Object.keys(ACTION_STATUSES),
  decision: DECISION_STATUSES,
};
export const ALL_SEARCH_STATUSES: readonly string[] = [...new Set(Object.values(SEARCH_STATUSES).flat())];

/**
 * A count for people: exact ones as they are; a lower bound (more matched than were counted)
 * rounded down to two significant digits with a plus, "5,000+" rather than "5,001+".
 */
export function formatCount(n: number, exact: boolean): string {
  if (exact) return n.toLocaleString("en");
  const step = n < 100 ? 1 : 10 ** (Math.floor(Math.log10(n)) - 1);
  return `${(Math.floor(n / step) * step).toLocaleString("en")}+`;
}

export function statusLabel(status: string): string {
  return status === "wont_do" ? "won't do" : status.replace(/_/g, " ");
}

/** Postgres's English stop words (tsearch_data/english.stop): they are never indexed, so never searched. */
const STOP_WORDS = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its " +
    "itself they them their theirs themselves what which who whom this that these those am is are was were be been being " +
    "have has had having do does did doing a an the and but if or because as until while of at by for with about against " +
    "between into through during before after above below to from up down in out on off over under again further then once " +
    "here there when where why how all any both each few more most other some such no nor not only own same so than too very " +
    "s t can will just don should now"
  ).split(" "),
);

export type QueryWord = { word: string; prefix: boolean };

/** Why a search was not run: too_long and too_many_terms are the asker's to fix (a 400); the others are ordinary answers. */
export type RefusalCode = "too_long" | "too_many_terms" | "nothing_searchable" | "only_common_words" | "page_limit";
export type Refusal = { kind: "refused"; code: RefusalCode; message: string };

export type ParsedQuery =
  | { kind: "empty" }
  | Refusal
  | {
      kind: "query";
      /** Single words: letters, digits and marks only, lowercased; `prefix` also matches longer words. */
      words: QueryWord[];
      /** Quoted phrases and record references, as plain text for phraseto_tsquery. */
      phrases: string[];
      /** Record references found in the query ("INC-12"): records with that reference come first. */
      references: string[];
    };

// Controls (NUL breaks a Postgres parameter), and our own highlight sentinels.
const CONTROL = /[\p{Cc}\p{Cs}\u2028\u2029]/gu;
const QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u275D\u275E\uFF02]/g;
const PHRASE = /"([^"]*)"/g;
const REFERENCE = /\b(inc|act|adr|rfc)[\s_\u2010-\u2015-]?0*(\d{1,9})\b/giu;
/**
 * An issue key as trackers write them ("PLAT-123", "ENG-42"): searched as one phrase, as the index
 * parses it (a word and a signed number), since its parts split into words would never match.
 */
const ISSUE_KEY = /(?<![\p{L}\p{N}_-])\p{L}[\p{L}\p{N}_]{0,19}-\d{1,9}(?![\p{L}\p{N}_-])/gu;
const WORD_SPLIT = /[^\p{L}\p{N}\p{M}]+/u;
const DIGITS = /^\p{N}+$/u;

/** "INC-12", "act 3", "ADR-0004" → "INC-12", "ACT-3", "ADR-4": how the index names records. */
function canonicalReference(prefix: string, digits: string): string {
  return `${prefix.toUpperCase()}-${Number(digits)}`;
}

export function parseSearchQuery(raw: unknown): ParsedQuery {
  if (typeof raw !== "string") return { kind: "empty" };
  // Cheap first: never normalize a huge paste.
  if (raw.length > MAX_QUERY_LENGTH * 4) return tooLong(raw.length);
  const text = raw.normalize("NFKC").replace(CONTROL, " ").replace(QUOTES, '"');
  if ([...text].length > MAX_QUERY_LENGTH) return tooLong([...text].length);
  if (text.trim() === "") return { kind: "empty" };

  const phrases: string[] = [];
  const references = new Set<string>();
  // Balanced quotes make phrases; a quote left open is just dropped.
  let rest = text.replace(PHRASE, (_, inner: string) => {
    const phrase = inner.trim().replace(/\s+/g, " ");
    if (phrase) phrases.push(phrase);
    return " ";
  });
  rest = rest.replace(/"/g, " ");
  rest = rest.replace(REFERENCE, (_, prefix: string, digits: string) => {
    references.add(canonicalReference(prefix, digits));
    return " ";
  });
  rest = rest.replace(ISSUE_KEY, (key: string) => {
    phrases.push(key);
    return " ";
  });

  const seen = new Set<string>();
  const words: QueryWord[] = [];
  let stopWords = 0;
  for (const token of rest.split(WORD_SPLIT)) {
    const word = token.toLowerCase();
    if (!word || seen.has(word)) continue;
    seen.add(word);
    if (STOP_WORDS.has(word)) {
      stopWords += 1;
      continue;
    }
    words.push({ word, prefix: [...word].length >= MIN_PREFIX_LENGTH && !DIGITS.test(word) });
  }

  const allPhrases = [...phrases, ...references];
  const count = words.length + allPhrases.length;
  if (count === 0) {
    return stopWords
      ? { kind: "refused", code: "only_common_words", message: "Those words are too common to search for. Add a more specific word." }
      : { kind: "refused", code: "nothing_searchable", message: "There is nothing to search for in that. Use letters or numbers." };
  }
  if (count > MAX_QUERY_TERMS) {
    return { kind: "refused", code: "too_many_terms", message: `That is ${count} words and phrases; search with at most ${MAX_QUERY_TERMS}.` };
  }
  return { kind: "query", words, phrases: allPhrases, references: [...references] };
}

function tooLong(length: number): ParsedQuery {
  return {
    kind: "refused",
    code: "too_long",
    message: `That search is ${length.toLocaleString("en")} characters long; the limit is ${MAX_QUERY_LENGTH}. Search for a few distinctive words or a quoted phrase.`,
  };
}

/**
 * The words as to_tsquery input: each one quoted, prefix words marked `:*`, all required.
 * Safe by construction: a word holds only letters, digits and marks, never a quote,
 * backslash or operator.
 */
export function wordsToTsquery(words: readonly QueryWord[]): string {
  return words.map((w) => `'${w.word}'${w.prefix ? ":*" : ""}`).join(" & ");
}

// ---------------------------------------------------------------------------------------------
// Highlights

/** Marks the database puts around matches in titles and snippets; removed from indexed text. */
export const HIGHLIGHT_START = "\u0001";
export const HIGHLIGHT_STOP = "\u0002";

/** A title or snippet as runs of text, `hit` where the search matched. Rendered as text, never as HTML. */
export type Highlighted = Array<{ text: string; hit: boolean }>;

export function splitHighlights(marked: string): Highlighted {
  const runs: Highlighted = [];
  let hit = false;
  let current = "";
  const flush = () => {
    if (current) {
      const last = runs[runs.length - 1];
      if (last && last.hit === hit) last.text += current;
      else runs.push({ text: current, hit });
    }
    current = "";
  };
  for (const char of marked) {
    if (char === HIGHLIGHT_START || char === HIGHLIGHT_STOP) {
      flush();
      hit = char === HIGHLIGHT_START;
    } else {
      current += char;
    }
  }
  flush();
  return runs;
}

const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Marks, in `text` as written, the words the database highlighted in its own copy. The
 * database's copy drops anything that looks like an HTML tag ("Map<string>"), so titles are
 * shown from the original and only the matched words are taken from the highlight.
 */
export function highlightLike(text: string, highlighted: Highlighted): Highlighted {
  const words = new Set(highlighted.filter((r) => r.hit).flatMap((r) => r.text.toLowerCase().match(WORD_RUN) ?? []));
  if (words.size === 0) return text ? [{ text, hit: false }] : [];
  const runs: Highlighted = [];
  const push = (part: string, hit: boolean) => {
    if (!part) return;
    const last = runs[runs.length - 1];
    if (last && last.hit === hit) last.text += part;
    else runs.push({ text: part, hit });
  };
  let at = 0;
  for (const match of text.matchAll(WORD_RUN)) {
    if (!words.has(match[0].toLowerCase())) continue;
    push(text.slice(at, match.index), false);
    push(match[0], true);
    at = match.index + match[0].length;
  }
  push(text.slice(at), false);
  return runs;
}

// ---------------------------------------------------------------------------------------------
// What a search answers (searchWorkspace in search.server.ts), for the page to show

export type SearchFacets = {
  types: Array<{ value: SearchEntityType; count: number }>;
  statuses: Array<{ type: SearchEntityType; value: string; count: number }>;
  tiers: Array<{ value: TierKey; count: number }>;
};

export type SearchHit = {
  type: SearchEntityType;
  id: string;
  reference: string;
  title: Highlighted;
  snippet: Highlighted;
  status: string | null;
  tier: TierKey | null;
  occurredAt: string;
  /** Where the record lives, relative to its workspace: "incidents/12/postmortem#factor-…". */
  path: string;
};

export type SearchOutcome =
  | { kind: "empty" }
  | Refusal
  | {
      kind: "results";
      /** The number of matches; a lower bound when `countsExact` is false. */
      total: number;
      /** False when more than COUNT_LIMIT records match: the total and the facet counts are then lower bounds. */
      countsExact: boolean;
      page: number;
      pageCount: number;
      /** False when more records match than are ranked: the page then ranks the newest RANKED_CANDIDATES matches. */
      rankedAll: boolean;
      hits: SearchHit[];
      facets: SearchFacets;
    };
