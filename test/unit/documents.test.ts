import { describe, expect, it } from "vitest";
import {
  documentText,
  documentToMarkdown,
  markdownToDocument,
  renderDocumentHtml,
  validateDocument,
  type DocumentJSON,
} from "~/domain/documents/index.server";
import { isAllowedLinkHref, type DocumentNodeJSON } from "~/domain/documents/rules";

// Small builders so each test shows the shape it cares about.
const doc = (...content: DocumentNodeJSON[]) => ({ type: "doc", content }) as DocumentJSON;
const text = (value: string, marks?: DocumentNodeJSON["marks"]) => (marks ? { type: "text", text: value, marks } : { type: "text", text: value });
const p = (...content: DocumentNodeJSON[]) => ({ type: "paragraph", content });
const link = (href: string, label = "evidence") => p(text(label, [{ type: "link", attrs: { href } }]));
const cell = (type: "tableHeader" | "tableCell", value: string) => ({ type, content: [p(text(value))] });
const task = (checked: boolean, value: string, ...more: DocumentNodeJSON[]) => ({ type: "taskItem", attrs: { checked }, content: [p(text(value)), ...more] });

const richDocument = doc(
  { type: "heading", attrs: { level: 2 }, content: [text("Summary")] },
  p(text("The "), text("deploy", [{ type: "bold" }]), text(" skipped the "), text("canary", [{ type: "code" }]), text(".")),
  { type: "bulletList", content: [{ type: "listItem", content: [p(text("one"))] }] },
  { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(text("three"))] }] },
  { type: "taskList", content: [task(true, "Add the gate"), task(false, "Verify it runs", { type: "taskList", content: [task(false, "Check CI")] })] },
  {
    type: "table",
    content: [
      { type: "tableRow", content: [cell("tableHeader", "Action"), cell("tableHeader", "Owner")] },
      { type: "tableRow", content: [cell("tableCell", "Add a test"), cell("tableCell", "Payments")] },
    ],
  },
  { type: "codeBlock", attrs: { language: "ts" }, content: [text("if (a < b) deploy();")] },
  { type: "blockquote", content: [p(text("Quoted alert"))] },
  { type: "horizontalRule" },
  link("https://ci.example/runs/42", "CI run"),
);

// Every tag the renderer may write, with the attributes it may carry.
const WRITTEN_MARKUP: Record<string, string[]> = {
  ...Object.fromEntries(["p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "pre", "blockquote", "hr", "br", "label", "table", "thead", "tbody", "tr"].map((t) => [t, []])),
  a: ["href", "rel", "title"],
  img: ["src", "alt", "title", "loading", "referrerpolicy"],
  code: ["class"],
  ul: ["class"],
  ol: ["start"],
  li: ["class", "data-checked"],
  input: ["type", "disabled", "checked"],
  span: ["class"],
  div: ["class"],
  th: ["scope", "colspan", "rowspan", "class"],
  td: ["colspan", "rowspan", "class"],
};

/** Reads every tag back and holds it to the whitelist; hrefs must pass the link rule again. */
function expectOnlyWhitelistedMarkup(html: string) {
  const leftover = html.replace(/<\/?([a-z][a-z0-9]*)((?:\s[a-z-]+(?:="[^"<>]*")?)*)>/g, (_tag, name: string, attrs: string) => {
    expect(Object.keys(WRITTEN_MARKUP)).toContain(name);
    for (const [, attr, value] of attrs.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(WRITTEN_MARKUP[name]).toContain(attr);
      if (attr === "href" || attr === "src") expect(isAllowedLinkHref(unescapeHtml(value!))).toBe(true);
    }
    return "";
  });
  // Whatever is not a whitelisted tag is text, and text has no raw markup characters left.
  expect(leftover).not.toMatch(/[<>"]/);
}

function unescapeHtml(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function refusal(input: unknown): string {
  const result = validateDocument(input);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.doc)}`);
  return result.error;
}

describe("a document sent by the editor", () => {
  it("is accepted with tables, task lists, links and code, and comes back normalized with its text", () => {
    const result = validateDocument(richDocument);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.doc.type).toBe("doc");
    expect(result.text).toContain("Summary\nThe deploy skipped the canary.");
    expect(result.text).toContain("Add the gate\nVerify it runs\nCheck CI");
    // Normalizing twice changes nothing.
    const again = validateDocument(result.doc);
    expect(again.ok && again.doc).toEqual(result.doc);
  });

  it.each([null, undefined, "a string", 42, true, [], [doc(p(text("x")))]])("is refused when it is not an object: %j", (input) => {
    expect(refusal(input)).toMatch(/JSON object/);
  });

  it("is refused when its root is not a doc", () => {
    expect(refusal(p(text("hello")))).toMatch(/doc/);
  });

  it.each(["script", "iframe", "html", "img", "div", "constructor", "__proto__", "toString"])(
    "is refused when it contains a %s node",
    (type) => {
      expect(refusal(doc(p(text("before")), { type, content: [text("alert(1)")] } as DocumentNodeJSON))).toMatch(/does not support/);
    },
  );

  it("is refused when a node has no type", () => {
    expect(refusal({ type: "doc", content: [{ content: [] }] })).toMatch(/does not support/);
  });

  it.each(["underline", "script", "highlight", "textStyle", "hasOwnProperty"])("is refused when text carries an unknown %s mark", (type) => {
    expect(refusal(doc(p(text("x", [{ type }]))))).toMatch(/does not support/);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\njavascript:alert(1)",
    "java\tscript:alert(1)",
    "\u0001javascript:alert(1)",
    "java script:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/path",
    "/\\evil.example",
    "",
  ])("is refused when a link points to %j", (href) => {
    expect(refusal(doc(link(href)))).toMatch(/Links must/);
  });

  it.each(["https://ci.example/runs/42", "http://status.example", "mailto:oncall@example.com", "/w/acme/incidents/7", "#timeline", "../runbooks/db", "?tab=actions", "runbook.md"])(
    "accepts a link to %s",
    (href) => {
      expect(validateDocument(doc(link(href))).ok).toBe(true);
    },
  );

  it("drops attributes the schema does not define, so they never reach a reader", () => {
    const input = doc(
      { type: "paragraph", attrs: { onclick: "alert(1)", style: "color:red" }, content: [text("x")] },
      { type: "heading", attrs: { level: 2, onmouseover: "alert(1)" }, content: [text("h")] },
      p(text("l", [{ type: "link", attrs: { href: "https://ok.example", onerror: "alert(1)" } }])),
    );
    const result = validateDocument({ ...input, html: "<script>alert(1)</script>" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const json = JSON.stringify(result.doc);
    expect(json).not.toMatch(/onclick|onmouseover|onerror|style|script/);
    expect(renderDocumentHtml(result.doc)).not.toMatch(/onclick|onmouseover|onerror|style=/);
    expectOnlyWhitelistedMarkup(renderDocumentHtml(result.doc));
  });

  it.each([
    ["a heading level Markdown does not have", { type: "heading", attrs: { level: 7 }, content: [text("h")] }],
    ["a heading level written as text", { type: "heading", attrs: { level: "2" }, content: [text("h")] }],
    ["a task whose done state is not true or false", { type: "taskList", content: [{ type: "taskItem", attrs: { checked: "yes" }, content: [p(text("t"))] }] }],
    ["attributes that are not an object", { type: "heading", attrs: "level=2", content: [text("h")] }],
  ])("is refused for %s", (_name, node) => {
    expect(refusal({ type: "doc", content: [node] })).toMatch(/value|attributes/);
  });

  it("is refused when a table cell spans no columns", () => {
    const table = { type: "table", content: [{ type: "tableRow", content: [{ type: "tableCell", attrs: { colspan: 0 }, content: [p(text("x"))] }] }] };
    expect(refusal(doc(table))).toMatch(/colspan/);
  });

  it("keeps markup typed as text as plain text, escaped when rendered", () => {
    const result = validateDocument(doc(p(text("<script>alert('x')</script> & <img src=x onerror=alert(1)>"))));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const html = renderDocumentHtml(result.doc);
    expect(html).toBe("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>");
  });

  it("is refused when larger than 512 KB", () => {
    const big = doc(...Array.from({ length: 9 }, () => p(text("x".repeat(64 * 1024)))));
    expect(refusal(big)).toMatch(/512 KB/);
  });

  it("is refused when nested absurdly deep, without overflowing the stack", () => {
    let quote: DocumentNodeJSON = p(text("deep"));
    for (let i = 0; i < 200; i += 1) quote = { type: "blockquote", content: [quote] };
    expect(refusal(doc(quote))).toMatch(/nested too deeply/);

    let attrs: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i += 1) attrs = { a: attrs };
    expect(refusal(doc({ type: "paragraph", attrs, content: [text("x")] }))).toMatch(/nested too deeply/);
  });

  it("is refused, not looped over, when it refers to itself", () => {
    const cyclic: Record<string, unknown> = { type: "doc", content: [] };
    (cyclic.content as unknown[]).push(cyclic);
    expect(refusal(cyclic)).toMatch(/nested too deeply|larger/);
  });

  it.each([
    ["a list item outside a list", doc({ type: "listItem", content: [p(text("x"))] })],
    ["text directly in the document", doc(text("loose"))],
    ["an empty text node", doc(p({ type: "text", text: "" }))],
    ["bold inside a code block", doc({ type: "codeBlock", content: [text("x", [{ type: "bold" }])] })],
    ["an empty document", { type: "doc", content: [] }],
    ["content that is not a list", { type: "doc", content: { 0: p(text("x")) } }],
  ])("is refused for its structure: %s", (_name, input) => {
    expect(validateDocument(input).ok).toBe(false);
  });
});

describe("a document rendered for a read page", () => {
  const html = renderDocumentHtml(richDocument);

  it("writes the whitelisted structure", () => {
    expectOnlyWhitelistedMarkup(html);
    expect(html).toContain("<h2>Summary</h2>");
    expect(html).toContain("<p>The <strong>deploy</strong> skipped the <code>canary</code>.</p>");
    expect(html).toContain('<ol start="3"><li><p>three</p></li></ol>');
    expect(html).toContain('<pre><code class="language-ts">if (a &lt; b) deploy();</code></pre>');
    expect(html).toContain("<blockquote><p>Quoted alert</p></blockquote><hr>");
  });

  it("gives links safe rel values and no target", () => {
    expect(html).toContain('<a href="https://ci.example/runs/42" rel="noopener noreferrer nofollow">CI run</a>');
  });

  it("shows task items as disabled, labelled checkboxes", () => {
    expect(html).toContain(
      '<li class="task-item" data-checked="true"><label><input type="checkbox" disabled checked> <span>Add the gate</span></label></li>',
    );
    expect(html).toMatch(/<label><input type="checkbox" disabled> <span>Verify it runs<\/span><\/label><ul class="task-list">/);
  });

  it("marks header cells with their scope", () => {
    expect(html).toContain('<thead><tr><th scope="col">Action</th><th scope="col">Owner</th></tr></thead>');
    expect(html).toContain("<tbody><tr><td>Add a test</td><td>Payments</td></tr></tbody>");
    const rowHeaders = renderDocumentHtml(
      doc({ type: "table", content: [{ type: "tableRow", content: [cell("tableHeader", "Impact"), { ...cell("tableCell", "High"), attrs: { colspan: 2, align: "center" } }] }] }),
    );
    expect(rowHeaders).toContain('<tbody><tr><th scope="row">Impact</th><td colspan="2" class="align-center">High</td></tr></tbody>');
  });

  it("keeps one link around differently formatted words", () => {
    const out = renderDocumentHtml(doc(p(text("bold", [{ type: "link", attrs: { href: "/x" } }, { type: "bold" }]), text(" plain", [{ type: "link", attrs: { href: "/x" } }]))));
    expect(out).toBe('<p><a href="/x" rel="noopener noreferrer nofollow"><strong>bold</strong> plain</a></p>');
  });

  // Stored documents were validated, but the renderer must hold even for one that was not.
  it("never writes markup from a document that skipped validation", () => {
    const hostile = {
      type: "doc",
      content: [
        { type: "script", content: [text("alert(1)")] },
        { type: "html", attrs: { html: "<img src=x onerror=alert(1)>" } },
        { type: "heading", attrs: { level: 9 }, content: [text("nine")] },
        p({ type: "image", attrs: { src: "javascript:alert(1)", alt: "x" } } as DocumentNodeJSON, { type: "image", attrs: { src: 'https://img.example/a.png" onerror="alert(1)', alt: '"><script>' } } as DocumentNodeJSON),
        { type: "htmlCommentBlock", attrs: { text: "<!-- --><script>alert(1)</script>" } },
        p(text("js", [{ type: "link", attrs: { href: " JaVaScRiPt:alert(1)" } }])),
        p(text("quote", [{ type: "link", attrs: { href: 'https://x.example/?q="><script>alert(1)</script>', title: '"onmouseover="alert(1)' } }])),
        p(text("x", [{ type: "unknownMark" }, { type: "underline" }])),
        { type: "codeBlock", attrs: { language: '"><script>alert(1)</script>' }, content: [text("code")] },
        { type: "orderedList", attrs: { start: '1" onclick="alert(1)' }, content: [{ type: "listItem", content: [p(text("i"))] }] },
      ],
    } as unknown as DocumentJSON;
    const out = renderDocumentHtml(hostile);
    expectOnlyWhitelistedMarkup(out);
    expect(out).toContain("<h6>nine</h6>");
    expect(out).toContain('<img src="https://img.example/a.png&quot; onerror=&quot;alert(1)" alt="&quot;&gt;&lt;script&gt;" loading="lazy" referrerpolicy="no-referrer">');
    expect(out).not.toContain("javascript:alert");
    expect(out).toContain("<p>js</p>");
    expect(out).toContain('href="https://x.example/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(out).toContain('title="&quot;onmouseover=&quot;alert(1)"');
    expect(out).toContain("<pre><code>code</code></pre>");
    expect(renderDocumentHtml(null as unknown as DocumentJSON)).toBe("");
  });
});

describe("documents and Markdown", () => {
  const source = [
    "# Incident review",
    "",
    "## Summary",
    "",
    "The **deploy** skipped the *canary* and `checkout` failed. See [the run](https://ci.example/runs/42).",
    "",
    "### Details",
    "",
    "- first",
    "- second",
    "  - nested",
    "",
    "1. one",
    "2. two",
    "",
    "- [ ] add a gate",
    "- [x] page the owner",
    "",
    "| Action | Owner |",
    "| --- | --- |",
    "| Add a test | Payments |",
    "",
    "```ts",
    "const x = 1;",
    "#### not a heading",
    "```",
    "",
    "> quoted",
  ].join("\n");

  it("keeps headings, lists, task lists, tables, links and code through Markdown and back", () => {
    const fromMarkdown = markdownToDocument(source);
    expect(validateDocument(fromMarkdown).ok).toBe(true);
    const markdown = documentToMarkdown(fromMarkdown);
    for (const line of [
      "# Incident review",
      "## Summary",
      "### Details",
      "The **deploy** skipped the *canary* and `checkout` failed. See [the run](https://ci.example/runs/42).",
      "- first",
      "  - nested",
      "1. one",
      "- [ ] add a gate",
      "- [x] page the owner",
      "```ts\nconst x = 1;\n#### not a heading\n```",
      "> quoted",
    ]) {
      expect(markdown).toContain(line);
    }
    expect(markdown).toMatch(/\| Action +\| Owner +\|\n\| -+ \| -+ \|\n\| Add a test \| Payments \|/);
    expect(markdown).not.toMatch(/\n\n\n/);
    // And once more: the second trip changes nothing.
    expect(markdownToDocument(markdown)).toEqual(fromMarkdown);
  });

  it("reads a table with a header row and a task list into the editor's nodes", () => {
    const fromMarkdown = markdownToDocument(source);
    const types = JSON.stringify(fromMarkdown);
    expect(types).toContain('"type":"tableHeader"');
    expect(types).toContain('"type":"taskItem","attrs":{"checked":true}');
  });

  it.each([
    ["raw HTML", "<script>alert(1)</script>\n\n<iframe src=x></iframe> and <b onclick=x>b</b>"],
    ["a javascript: link", "[click](javascript:alert(1)) and [data](data:text/html,x)"],
    ["an image", "![diagram](https://img.example/d.png)"],
    ["deep headings", "#### Four\n\n###### Six"],
    ["nothing", ""],
    ["an empty list item", "- \n- b"],
    ["an empty table cell", "| a | b |\n| - | - |\n|   | x |"],
    ["a stray front matter fence", "---\nname: x\n---"],
  ])("always makes a valid document, even from %s", (_name, markdown) => {
    const result = validateDocument(markdownToDocument(markdown));
    expect(result.ok).toBe(true);
    if (result.ok) expectOnlyWhitelistedMarkup(renderDocumentHtml(result.doc));
  });

  it("keeps raw HTML as visible text and drops unsafe links but not their words", () => {
    const html = renderDocumentHtml(markdownToDocument("Use <b>this</b> [carefully](javascript:alert(1))"));
    expect(html).toBe("<p>Use &lt;b&gt;this&lt;/b&gt; carefully</p>");
  });

  it("shows a document with its own # title one level down, under the page's title", () => {
    expect(renderDocumentHtml(markdownToDocument("# Outage\n\n## Impact\n\n###### Six"))).toBe("<h2>Outage</h2><h3>Impact</h3><h6>Six</h6>");
  });

  it("keeps heading levels 4 to 6", () => {
    expect(renderDocumentHtml(markdownToDocument("#### Four\n\n###### Six"))).toBe("<h4>Four</h4><h6>Six</h6>");
  });
});

describe("a document's plain text", () => {
  it("puts each block on its own line and keeps line breaks", () => {
    const value = doc(
      { type: "heading", attrs: { level: 2 }, content: [text("Impact")] },
      p(text("line one"), { type: "hardBreak" }, text("line two")),
      p(),
      { type: "bulletList", content: [{ type: "listItem", content: [p(text("a"))] }, { type: "listItem", content: [p(text("b"))] }] },
    );
    expect(documentText(value)).toBe("Impact\nline one\nline two\na\nb");
  });
});
