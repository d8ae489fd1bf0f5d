import type { NextConfig } from "next";
import {
  API_CONTENT_SECURITY_POLICY,
  OFFLINE_PAGE_CONTENT_SECURITY_POLICY,
  SERVICE_WORKER_CONTENT_SECURITY_POLICY,
} from "./lib/security/csp";

const nextConfig: NextConfig = {
  // A separate build folder lets parallel e2e servers build without clobbering each other.
  distDir: process.env.HASHLEASE_DIST_DIR ?? ".next",
  reactStrictMode: true,
  // HASHLEASE_BENCH_ROUTES=1 (bench:floor's own build only, lib/bench/floor.ts): the *.bench.ts(x)
  // routes are built in too, the framework floors the app's costs are measured against. Without
  // it Next sees route.bench.ts as no route file at all, so no other build contains them.
  pageExtensions:
    process.env.HASHLEASE_BENCH_ROUTES === "1"
      ? ["tsx", "ts", "jsx", "js", "bench.tsx", "bench.ts"]
      : ["tsx", "ts", "jsx", "js"],
  poweredByHeader: false,
  // Instances built from the same sources get the same build id (lib/cli/start.ts sets it from
  // the source hash), so a client of one instance is not told to reload by another.
  generateBuildId: async () => process.env.HASHLEASE_BUILD_ID || null,
  // Server-only packages stay out of the bundler and out of client code.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
    "@prisma/adapter-pg",
    "pg-boss",
  ],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      // Pages get a per-request nonce policy from proxy.ts (lib/security/csp.ts); the API a static one.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      // The installable app's static files (public/sw.js, public/offline.html): static policies.
      {
        source: "/offline.html",
        headers: [{ key: "Content-Security-Policy", value: OFFLINE_PAGE_CONTENT_SECURITY_POLICY }],
      },
      {
        source: "/sw.js",
        headers: [
          { key: "Content-Security-Policy", value: SERVICE_WORKER_CONTENT_SECURITY_POLICY },
          // A new worker is seen at the next navigation, not after an HTTP cache's max-age.
          { key: "Cache-Control", value: "no-cache" },
        ],
      },
    ];
  },
  experimental: {
    // forbidden() renders app/forbidden.tsx with HTTP 403.
    authInterrupts: true,
  },
};

export default nextConfig;
