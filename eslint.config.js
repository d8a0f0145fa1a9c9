import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layering (docs/decisions/0010-one-room-per-area.md). ESLint applies one `no-restricted-imports`
// per file, the last that matches, so each group of files below lists every pattern it is held to.

/** Routes, components and the editor are the top layers: nothing below them imports them. */
const UI_LAYERS = {
  group: ["~/routes/*", "~/components/*", "~/editor/*"],
  message: "Lower layers never import routes, components or the editor.",
};
/**
 * An area is entered through its rules (client-safe), its forms (client-safe zod schemas, kept out
 * of rules so pages that only format carry no zod) or its index.server; shared/ is open to all.
 */
const AREA_ENTRY = {
  group: ["~/domain/*/**", "!~/domain/*/rules", "!~/domain/*/forms", "!~/domain/*/index.server", "!~/domain/shared/**"],
  message: "Import another area through its entry point: ~/domain/<area>/rules, ~/domain/<area>/forms or ~/domain/<area>/index.server.",
};
/** Inside an area, another area is reached by its alias path, so AREA_ENTRY can see it. */
const areaEscape = (depth) => ({
  group: [`${"../".repeat(depth)}**`],
  message: "Reach another area as ~/domain/<area>/rules or ~/domain/<area>/index.server, not by a relative path.",
});
/** What browser code and pure rules may not touch: server modules, the database, SQL, Node. */
const SERVER_ONLY = [
  { group: ["**/*.server", "\\#db/*", "!\\#db/schema"], message: "Client-safe code imports nothing server-side." },
  // Column types are shared with the tables; only the types, never the module.
  { group: ["\\#db/schema"], allowTypeImports: true, message: "Client-safe code takes only types from #db/schema." },
  { group: ["kysely", "kysely/*", "node:*"], message: "Client-safe code does no SQL and uses no Node API." },
];
const restrict = (...patterns) => ["error", { patterns: patterns.flat() }];

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": restrict(UI_LAYERS, AREA_ENTRY),
    },
  },
  {
    // Modules of one area: relative imports stay inside the area.
    files: ["app/domain/*/*.ts"],
    rules: { "no-restricted-imports": restrict(UI_LAYERS, AREA_ENTRY, areaEscape(1)) },
  },
  {
    files: ["app/domain/*/*/*.ts"],
    rules: { "no-restricted-imports": restrict(UI_LAYERS, AREA_ENTRY, areaEscape(2)) },
  },
  {
    // rules.ts and the pure modules it gathers: the browser bundle may import them.
    files: ["app/domain/*/*.ts"],
    ignores: ["app/domain/**/*.server.ts"],
    rules: { "no-restricted-imports": restrict(UI_LAYERS, AREA_ENTRY, areaEscape(1), SERVER_ONLY) },
  },
  {
    // Components and the editor may import each other; they render in the browser.
    files: ["app/components/**", "app/editor/**"],
    rules: {
      "no-restricted-imports": restrict(
        { group: ["~/routes/*"], message: "Components never import routes." },
        AREA_ENTRY,
        SERVER_ONLY,
      ),
    },
  },
  {
    // A component module named *.server.tsx renders on the server only (Remix keeps it out of the
    // browser bundle), so it may read an area's server entry point.
    files: ["app/components/**/*.server.tsx"],
    rules: { "no-restricted-imports": restrict({ group: ["~/routes/*"], message: "Components never import routes." }, AREA_ENTRY) },
  },
  {
    files: ["app/root.tsx"],
    rules: { "no-restricted-imports": restrict(AREA_ENTRY) },
  },
  {
    // Runs on old Node.js versions to name them: CommonJS on purpose.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["app/routes/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "kysely", message: "Routes do no SQL: call a domain function." }],
          patterns: [AREA_ENTRY, { group: ["kysely/*", "\\#db/connection"], message: "Routes do no SQL: call a domain function." }],
        },
      ],
    },
  },
);
