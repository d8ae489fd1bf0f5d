import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".next-*/**", "lib/generated/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The money core stays float-free: amounts are integers in base units.
    files: ["lib/ledger/**/*.ts", "lib/payouts/**/*.ts", "lib/allocation/**/*.ts", "lib/tax/**/*.ts", "lib/wallet/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-globals": ["error", { name: "parseFloat", message: "Money is integer base units: use BigInt." }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "round", message: "Name the rounding with BigInt division instead." },
        { property: "toFixed", message: "No float formatting in the money core." },
      ],
    },
  },
]);
