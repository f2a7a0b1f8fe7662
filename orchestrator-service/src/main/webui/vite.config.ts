import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

// Built into the jar's static resources, served by Quarkus at /app/.
export default defineConfig({
  base: "/app/",
  build: {
    outDir: fileURLToPath(new URL("../../../target/classes/META-INF/resources/app", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8090",
      "/ws": { target: "ws://127.0.0.1:8090", ws: true },
    },
  },
});
