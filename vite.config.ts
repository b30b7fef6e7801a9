import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  build: {
    // Fonts stay files (never inlined as data: URLs) so the CSP can stay strict.
    assetsInlineLimit: 0,
  },
});
