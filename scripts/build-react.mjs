// `npm run build:react`: dist/react.js, the ES module behind `kasir/react` (run after `vite build`).
// - The element comes from `./kasir.js` beside it, not a second copy: an app that also imports
//   `kasir` gets one class and one `customElements.define`.
// - @lit/react (1.4 kB, no state of its own) is bundled in: as a dependency it would pull its
//   required peer @types/react into every widget-only install. Its BSD-3-Clause notice stays.
// - React stays an import (an optional peer dependency): the app's own copy must be the one used.
// - "use client" on top makes the file a client-component boundary for React Server Components
//   (Next.js app router); a bundler drops the directive when it is not needed.
import { build } from 'esbuild';

await build({
  entryPoints: ['react/index.ts'],
  outfile: 'dist/react.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  banner: { js: '"use client";' },
  external: ['react'],
  logLevel: 'warning',
  plugins: [
    {
      name: 'kasir-element-beside',
      setup(b) {
        b.onResolve({ filter: /\/widget\/define\.js$/ }, () => ({ path: './kasir.js', external: true }));
      },
    },
  ],
});
