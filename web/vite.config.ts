import { resolve } from "node:path";
import { defineConfig } from "vite";

// Two pages: the reference ticket page (index.html, served by deskql at /) and deskql's own GraphiQL
// (graphiql/index.html, served on GET /graphql), both loading only files served by deskql itself.
// `npm run dev` serves them on :5173 and passes the API through to a deskql on :8000.
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // graphiql's dependencies mark their modules "use client" (for React server components): not ours.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      input: {
        main: resolve(import.meta.dirname, "index.html"),
        graphiql: resolve(import.meta.dirname, "graphiql/index.html"),
      },
    },
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8000", ws: true } },
  },
});
