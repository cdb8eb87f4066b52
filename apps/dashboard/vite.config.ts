import { defineConfig } from 'vite';

// React's JSX through esbuild alone (no Babel plugin). `npm run dev -w apps/dashboard` proxies
// the API to a gateway started by `npm start`; in production the gateway serves dist/ itself.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // ECharts (core, bar charts, SVG renderer) is about 520 kB minified, 180 kB gzipped.
    chunkSizeWarningLimit: 600,
    // Libraries in chunks of their own: they change less often than the pages, so browsers keep them cached.
    rollupOptions: { output: { manualChunks: { charts: ['echarts', 'zrender'], react: ['react', 'react-dom', 'react-dom/client', 'scheduler'] } } },
  },
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:4000', ws: true },
      '/v1': { target: 'http://localhost:4000' },
    },
  },
});
