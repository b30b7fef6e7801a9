import type { Config } from "@react-router/dev/config";

export default {
  // Server-rendered on every request: forms must work without JavaScript.
  ssr: true,
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config;
