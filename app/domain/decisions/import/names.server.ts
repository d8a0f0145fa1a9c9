/** What a file's name, its title heading and its dates say about a record. Pure. */
import type { DecisionKind } from "#db/schema";
import { isCalendarDate } from "../rules";

export type FileNameFacts = { kind: DecisionKind | null; folderKind: DecisionKind | null; number: number | null; date: string | null; titleFromName: string };

/** "0007-title.md", "ADR-0007-title.md", "adr_7_title.md", "2021-03-04-title.md", "20210304-title.md"; 0000 is number 0. */
export function fileNameFacts(filePath: string): FileNameFacts {
  const segments = filePath.split("/").filter(Boolean);
  const base = (segments.pop() ?? "").replace(/\.(md|markdown)$/i, "");
  const folder = segments.map((s) => s.toLowerCase());
  const folderKind: DecisionKind | null = folder.some((s) => /^rfcs?$/.test(s)) ? "rfc" : folder.some((s) => /^(adrs?|decisions?)$/.test(s)) ? "adr" : null;
  let rest = base;
  let date: string | null = null;
  let number: number | null = null;
  let kind: DecisionKind | null = null;
  const dated = /^(\d{4})-?(\d{2})-?(\d{2})(?=[-_ ]|$)[-_ ]*/.exec(rest);
  if (dated && isCalendarDate(`${dated[1]}-${dated[2]}-${dated[3]}`)) {
    date = `${dated[1]}-${dated[2]}-${dated[3]}`;
    rest = rest.slice(dated[0].length);
  } else {
    const numbered = /^(?:(adr|rfc)[-_ ]?)?0*(\d{1,6})(?=[-_ .]|$)[-_ .]*/i.exec(rest);
    if (numbered) {
      number = Number(numbered[2]);
      kind = numbered[1] ? (numbered[1].toLowerCase() as DecisionKind) : null;
      rest = rest.slice(numbered[0].length);
    }
  }
  const words = rest.replace(/[-_]+/g, " ").trim();
  return { kind, folderKind, number, date, titleFromName: words ? words[0]!.toUpperCase() + words.slice(1) : "" };
}

/** "1. Record architecture decisions", "ADR-0007: Use Postgres", "RFC 2 - Retire the monolith". */
export function titleFacts(heading: string): { kind: DecisionKind | null; number: number | null; title: string } {
  const text = heading.trim();
  const prefixed = /^(adr|rfc)[-_ ]?(\d{1,6})\s*[:.\-–—)]?\s+(.+)$/i.exec(text);
  if (prefixed) return { kind: prefixed[1]!.toLowerCase() as DecisionKind, number: Number(prefixed[2]), title: prefixed[3]!.trim() };
  const numbered = /^(\d{1,6})\s*[.:)\-–—]\s+(.+)$/.exec(text);
  if (numbered) return { kind: null, number: Number(numbered[1]), title: numbered[2]!.trim() };
  return { kind: null, number: null, title: text };
}

/** "2021-03-04", "2021/03/04", "2021-03-04T10:00:00Z" → "2021-03-04"; null otherwise. */
export function readDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== "string") return null;
  const match = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!match) return null;
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  return isCalendarDate(date) ? date : null;
}

export function squash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

export function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
