/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  // Bundling client-node's `ws` breaks (bufferUtil.mask); standalone tracing still copies it.
  // PGlite loads its WebAssembly and data files from its own package folder; pg has optional native bindings.
  serverExternalPackages: ['@kubernetes/client-node', '@electric-sql/pglite', 'pg'],
  // The demo snapshot and its policy are read from disk at run time: ship them in the standalone build.
  // The history's SQL migrations likewise (server/history/migrate.ts).
  outputFileTracingIncludes: { '/*': ['./lib/demo/snapshot/**', './lib/demo/policy.yaml', './server/history/migrations/**'] },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
