import { defineConfig } from 'vite';

// React's JSX through esbuild alone (no Babel plugin). `npm run dev -w apps/dashboard` proxies
// the API to a gateway started by `npm start`; in production the gateway serves dist/ itself.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:4000', ws: true },
      '/v1': { target: 'http://localhost:4000' },
    },
  },
});
