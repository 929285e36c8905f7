/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  // Bundling client-node's `ws` breaks (bufferUtil.mask); standalone tracing still copies it.
  serverExternalPackages: ['@kubernetes/client-node'],
  // The demo snapshot and its policy are read from disk at run time: ship them in the standalone build.
  outputFileTracingIncludes: { '/*': ['./lib/demo/snapshot/**', './lib/demo/policy.yaml'] },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
