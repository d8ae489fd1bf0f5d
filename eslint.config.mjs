import fs from "node:fs";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";

const subfolders = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

// Domains of lib/ and areas of app/ (app/_lib is the app's shared part, open to every area).
const libDomains = subfolders("lib").filter((name) => name !== "generated");
const appAreas = subfolders("app").filter((name) => name !== "_lib");
const areaPrivateLibs = appAreas.filter((area) => fs.existsSync(`app/${area}/_lib`));

/** A domain never imports another domain's internals where the shared kernel has the helper. */
const kernelZones = [
  {
    target: [
      ...libDomains.filter((d) => d !== "operator").map((d) => `./lib/${d}`),
      ...appAreas.filter((a) => a !== "operator").map((a) => `./app/${a}`),
      "./components",
      "./e2e",
    ],
    from: ["./lib/operator/result.ts", "./lib/operator/units.ts"],
    message:
      "Operator internals: refusals are lib/shared/result.ts, decimal text lib/shared/decimal.ts, hashrate units lib/shared/hashrate-units.ts, database errors lib/db/errors.ts.",
  },
];

/** app/<area> never imports another area's private app/<other>/_lib (app/_lib is shared by all). */
const areaZones = areaPrivateLibs.map((owner) => ({
  target: [
    ...appAreas.filter((area) => area !== owner).map((area) => `./app/${area}`),
    "./app/*.{ts,tsx}",
    "./components",
    "./lib",
  ],
  from: [`./app/${owner}/_lib`],
  message: `app/${owner}/_lib is private to app/${owner}: move what other areas need to app/_lib or lib/.`,
}));

/** Names that live in the shared kernel, wherever they were once exported from. */
const kernelNames = [
  {
    group: ["**/payouts/run", "**/network/fields", "**/contracts/purchase"],
    importNames: ["DAY_MS", "startOfUtcDay", "dayText", "parseDay", "utcDay"],
    message: "UTC days are lib/shared/days.ts.",
  },
  {
    group: ["**/profitability/parse", "**/operator/units", "**/tax/money", "**/wallet/amounts", "**/network/fields"],
    importNames: ["microUsdText", "scaledText", "parseScaledDecimal", "MICRO_USD_DECIMALS"],
    message: "Decimal text <-> bigint is lib/shared/decimal.ts (parseDecimal, decimalText, microUsdText).",
  },
  {
    group: ["**/operator/result"],
    importNames: [
      "Refusal",
      "FieldErrors",
      "parseInput",
      "zodFieldErrors",
      "invalid",
      "notFound",
      "conflict",
      "isUniqueViolation",
      "isDeadlock",
      "retryOnDeadlock",
    ],
    message: "Refusals are lib/shared/result.ts; database errors lib/db/errors.ts.",
  },
  {
    group: ["**/operator/_lib/request"],
    message: "The client IP is lib/http (clientIp in lib/http/request.ts, requestIp in lib/http/next.ts).",
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "lib/generated/**",
    "node_modules/**",
    ".data/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { zones: [...kernelZones, ...areaZones] }],
      "no-restricted-imports": ["error", { patterns: kernelNames }],
    },
  },

  {
    // The money core stays float-free: amounts are integers in base units.
    files: [
      "lib/ledger/**/*.ts",
      "lib/payouts/**/*.ts",
      "lib/allocation/**/*.ts",
      "lib/tax/**/*.ts",
      "lib/wallet/**/*.ts",
    ],
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
