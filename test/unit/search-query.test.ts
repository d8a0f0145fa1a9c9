import { describe, expect, it } from "vitest";
import {
  formatCount,
  highlightLike,
  MAX_QUERY_LENGTH,
  parseSearchQuery,
  splitHighlights,
  wordsToTsquery,
  type ParsedQuery,
} from "~/domain/search/rules";

function query(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (parsed.kind !== "query") throw new Error(`expected a query for ${JSON.stringify(raw)}, got ${JSON.stringify(parsed)}`);
  return parsed;
}

/** What to_tsquery would be given; anything outside quotes other than & and :* would be syntax. */
function tsqueryText(parsed: Extract<ParsedQuery, { kind: "query" }>): string {
  return wordsToTsquery(parsed.words);
}

describe("reading a search", () => {
  it("makes each word a required prefix term", () => {
    const parsed = query("Deploy rollback db");
    expect(tsqueryText(parsed)).toBe("'deploy':* & 'rollback':* & 'db'");
    expect(parsed.phrases).toEqual([]);
  });

  it("an empty search is empty, not an error", () => {
    expect(parseSearchQuery("")).toEqual({ kind: "empty" });
    expect(parseSearchQuery("   \n\t ")).toEqual({ kind: "empty" });
    expect(parseSearchQuery(undefined)).toEqual({ kind: "empty" });
    expect(parseSearchQuery(["a"])).toEqual({ kind: "empty" });
  });

  it("refuses a pasted essay with a message that says the limit", () => {
    const long = parseSearchQuery("x".repeat(10_000));
    expect(long).toMatchObject({ kind: "refused", message: expect.stringContaining(String(MAX_QUERY_LENGTH)) });
    expect(parseSearchQuery("y".repeat(MAX_QUERY_LENGTH + 1)).kind).toBe("refused");
    expect(parseSearchQuery("y".repeat(MAX_QUERY_LENGTH)).kind).toBe("query");
    // Counted in characters, not UTF-16 units: 500 emoji-free CJK characters are fine.
    expect(parseSearchQuery("東".repeat(MAX_QUERY_LENGTH)).kind).toBe("query");
  });

  it("turns tsquery syntax into nothing but separators", () => {
    for (const raw of ["deploy & rollback", "deploy | rollback", "!deploy rollback", "(deploy) rollback:*", "deploy <-> rollback", "deploy <2> rollback", "deploy\\ 'rollback'", "deploy:AB* rollback"]) {
      const parsed = query(raw);
      const words = parsed.words.map((w) => w.word);
      expect(words, raw).toEqual(expect.arrayContaining(["deploy", "rollback"]));
      for (const w of words) expect(w, raw).toMatch(/^[\p{L}\p{N}\p{M}]+$/u);
    }
    expect(parseSearchQuery("& | ! ( ) : * ' \\ <->")).toMatchObject({ kind: "refused" });
    expect(parseSearchQuery("''''")).toMatchObject({ kind: "refused" });
  });

  it("keeps SQL out of the words", () => {
    const parsed = query("'; drop table search_documents; --");
    expect(tsqueryText(parsed)).toBe("'drop':* & 'table':* & 'search':* & 'documents':*");
  });

  it("reads quoted phrases as exact phrases and drops a quote left open", () => {
    const parsed = query('pool "connection pool exhausted" "unfinished');
    expect(parsed.phrases).toEqual(["connection pool exhausted"]);
    expect(parsed.words.map((w) => w.word)).toEqual(["pool", "unfinished"]);
    expect(query("\u201Csmart quotes\u201D").phrases).toEqual(["smart quotes"]);
    expect(parseSearchQuery('""')).toMatchObject({ kind: "refused" });
  });

  it("finds record references and names them the way the index does", () => {
    const parsed = query("inc-12 ACT 3 adr-0004 RFC_2 outage");
    expect(parsed.references).toEqual(["INC-12", "ACT-3", "ADR-4", "RFC-2"]);
    expect(parsed.phrases).toEqual(["INC-12", "ACT-3", "ADR-4", "RFC-2"]);
    expect(parsed.words.map((w) => w.word)).toEqual(["outage"]);
    // Not a reference: letters run on.
    expect(query("incident 12").references).toEqual([]);
  });

  it("reads a tracker's issue key as one phrase, as the index parses it", () => {
    const parsed = query("PLAT-123 rollback eng-42 covid-19x");
    expect(parsed.phrases).toEqual(["PLAT-123", "eng-42"]);
    expect(parsed.references).toEqual([]);
    expect(parsed.words.map((w) => w.word)).toEqual(["rollback", "covid", "19x"]);
    // A record reference stays a reference.
    expect(query("ACT-7").references).toEqual(["ACT-7"]);
  });

  it("keeps letters of every script and drops emoji", () => {
    expect(query("Café crème 東京 Ünïcödé").words.map((w) => w.word)).toEqual(["café", "crème", "東京", "ünïcödé"]);
    // Decomposed accents are composed first.
    expect(query("cafe\u0301").words.map((w) => w.word)).toEqual(["café"]);
    expect(query("🔥 outage 😀").words.map((w) => w.word)).toEqual(["outage"]);
    expect(parseSearchQuery("😀 🔥 👍🏽")).toMatchObject({ kind: "refused", message: expect.stringMatching(/letters or numbers/) });
    // Full-width letters read as their plain forms.
    expect(query("ＡＢＣ").words.map((w) => w.word)).toEqual(["abc"]);
  });

  it("drops control characters, NUL and lone surrogates", () => {
    expect(query("dead\u0000lock \u0001mark\u0002 \ud800x").words.map((w) => w.word)).toEqual(["dead", "lock", "mark", "x"]);
  });

  it("only short words and numbers match whole words; longer ones match as prefixes", () => {
    const parsed = query("db k8s 500 kub");
    expect(parsed.words).toEqual([
      { word: "db", prefix: false },
      { word: "k8s", prefix: true },
      { word: "500", prefix: false },
      { word: "kub", prefix: true },
    ]);
  });

  it("says so when every word is too common to be indexed", () => {
    expect(parseSearchQuery("the and of")).toMatchObject({ kind: "refused", message: expect.stringMatching(/too common/) });
    expect(query("the deploy").words.map((w) => w.word)).toEqual(["deploy"]);
  });

  it("limits the number of terms", () => {
    expect(parseSearchQuery(Array.from({ length: 40 }, (_, i) => `word${i}`).join(" "))).toMatchObject({ kind: "refused" });
    expect(query("queue Queue queue").words).toHaveLength(1);
  });
});

describe("highlights", () => {
  it("splits marked text into runs", () => {
    expect(splitHighlights("a \u0001b\u0002 c \u0001d\u0002")).toEqual([
      { text: "a ", hit: false },
      { text: "b", hit: true },
      { text: " c ", hit: false },
      { text: "d", hit: true },
    ]);
    expect(splitHighlights("")).toEqual([]);
  });

  it("marks the matched words in the original text, markup and all", () => {
    const marked = splitHighlights("Retry  \u0001queue\u0002 in Map ");
    expect(highlightLike("Retry <b>queue</b> in Map<string>", marked)).toEqual([
      { text: "Retry <b>", hit: false },
      { text: "queue", hit: true },
      { text: "</b> in Map<string>", hit: false },
    ]);
    expect(highlightLike("Nothing matched", [{ text: "Nothing matched", hit: false }])).toEqual([{ text: "Nothing matched", hit: false }]);
  });
});

describe("showing counts", () => {
  it("shows exact counts as they are and lower bounds rounded down with a plus", () => {
    expect(formatCount(1, true)).toBe("1");
    expect(formatCount(38355, true)).toBe("38,355");
    expect(formatCount(5001, false)).toBe("5,000+");
    expect(formatCount(3103, false)).toBe("3,100+");
    expect(formatCount(2001, false)).toBe("2,000+");
    expect(formatCount(137, false)).toBe("130+");
    expect(formatCount(37, false)).toBe("37+");
    expect(formatCount(0, false)).toBe("0+");
  });
});
