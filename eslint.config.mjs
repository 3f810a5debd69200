// ESLint flat config. TypeScript is linted with typescript-eslint's type-aware rules, every file with the
// types of the root tsconfig.json (whose `paths` resolve the package's own name to its sources, so no build
// is needed; the examples' own tsconfig.json files are for users' copies); plain .js/.mjs files are linted
// without type information.
// eslint-config-prettier comes last so no stylistic rule fights Prettier, which owns formatting.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores(["dist/", "node_modules/", ".pulumi-cli/", ".e2e-work/", ".demo/", "coverage/", ".cache/"]),
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: "./tsconfig.json",
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Promises must be awaited, returned or explicitly voided, and never handed to callers that ignore them.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // `any` must not be written, nor leak out of untyped values (JSON.parse, catch clauses, require).
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unsafe-argument": "error",
      "@typescript-eslint/no-unsafe-assignment": "error",
      "@typescript-eslint/no-unsafe-call": "error",
      "@typescript-eslint/no-unsafe-member-access": "error",
      "@typescript-eslint/no-unsafe-return": "error",
      "@typescript-eslint/no-unsafe-declaration-merging": "error",
      // Provider methods must return promises (ResourceProvider's contract); an async method without an
      // await is the plainest way to write one that has nothing to wait for.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unsafe-enum-comparison": "error",
      "@typescript-eslint/no-unsafe-function-type": "error",
      "@typescript-eslint/no-unsafe-unary-minus": "error",
      // tsconfig's noUnusedLocals/noUnusedParameters already report these, with `_` prefixes allowed.
      "@typescript-eslint/no-unused-vars": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
  },
  prettier,
);
