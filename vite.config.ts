import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, parseAst, type Plugin } from 'vite';

// Two library builds of the entry widget/define.ts; `vite build` runs both, one after the other:
// - dist/kasir.js, the ES module for npm and bundlers. lit stays an import (the app dedupes it,
//   and on a server lit's own `node` build makes the import harmless); the parts loaded on demand
//   are split into self-contained chunks dist/kasir-{validate,qr,id,uk}.js.
// - then (mode `iife`) dist/kasir.iife.js for a script tag (global `Kasir`), everything but those
//   chunks inside; it imports the same chunk files from beside itself (chunks.iife.ts).
const ON_DEMAND = ['validate', 'qr', 'id', 'uk', 'checkout', 'order', 'banks'];
const DEPENDENCIES = /^lit(\/|$)/;

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    plugins: [minifyTemplates(), ...(iife ? [iifeChunks()] : [selfContainedChunks(), thenIife()])],
    build: {
      outDir: 'dist',
      emptyOutDir: !iife,
      // ES2022 keeps `#private` members native (Safari 15+, Chrome 84+); lower targets add helpers.
      target: 'es2022',
      minify: true,
      rolldownOptions: {
        external: iife ? [] : [DEPENDENCIES],
        // build.minify alone leaves the ES library output unminified (whitespace, names).
        output: { minify: true, chunkFileNames: 'kasir-[name].js', generatedCode: { symbols: false } },
      },
      lib: {
        entry: 'widget/define.ts',
        name: 'Kasir',
        formats: [iife ? 'iife' : 'es'],
        fileName: () => (iife ? 'kasir.iife.js' : 'kasir.js'),
      },
    },
  };
});

/** Fails the ES build unless the on-demand chunks are exactly ON_DEMAND and import nothing: the IIFE loads them as they are. */
function selfContainedChunks(): Plugin {
  return {
    name: 'kasir:self-contained-chunks',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk' && !c.isEntry);
      const names = chunks.map((c) => c.fileName).sort();
      const expected = ON_DEMAND.map((n) => `kasir-${n}.js`).sort();
      if (names.join() !== expected.join()) this.error(`on-demand chunks are ${names.join()}, expected ${expected.join()}`);
      for (const c of chunks) {
        if (c.type === 'chunk' && (c.imports.length || c.dynamicImports.length)) this.error(`${c.fileName} imports other modules`);
      }
    },
  };
}

/** After the ES build has written its chunks, builds the IIFE that loads them. */
function thenIife(): Plugin {
  return {
    name: 'kasir:then-iife',
    apply: 'build',
    async closeBundle() {
      await build({ configFile: fileURLToPath(import.meta.url), mode: 'iife' });
    },
  };
}

/**
 * Swaps widget/chunks.ts for chunks.iife.ts (the same loaders, by URL) and prints the
 * Subresource Integrity hash of every file a script tag loads, and the script tag to paste.
 */
function iifeChunks(): Plugin {
  const iifeLoader = fileURLToPath(new URL('./widget/chunks.iife.ts', import.meta.url));
  return {
    name: 'kasir:iife-chunks',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id.endsWith('/widget/chunks.ts') ? iifeLoader : null;
    },
    writeBundle({ dir = 'dist' }) {
      const sri = (file: string) => `sha384-${createHash('sha384').update(readFileSync(`${dir}/${file}`)).digest('base64')}`;
      for (const file of ['kasir.iife.js', ...ON_DEMAND.map((n) => `kasir-${n}.js`)]) console.log(`  SRI  dist/${file}  ${sri(file)}`);
      // The snippet to paste: the versioned path never changes under a pinned hash (proxy/routes/widget.ts).
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      console.log(
        `\n  Embed (replace https://pay.example.com with your proxy's URL):\n` +
          `  <script src="https://pay.example.com/widget/${version}/kasir.iife.js" defer crossorigin="anonymous"\n` +
          `          fetchpriority="high" integrity="${sri('kasir.iife.js')}"></script>\n` +
          `  <!-- optional: the picker's chunk and the config, fetched beside the script -->\n` +
          `  <link rel="modulepreload" href="https://pay.example.com/widget/${version}/kasir-checkout.js" crossorigin="anonymous"\n` +
          `        integrity="${sri('kasir-checkout.js')}">\n` +
          `  <link rel="preload" href="https://pay.example.com/v1/config" as="fetch" crossorigin="anonymous">\n`,
      );
    },
  };
}

type Node = { type?: string; start: number; end: number; [key: string]: unknown };
type Quasi = Node & { value: { raw: string } };

const minifyCss = (s: string): string =>
  s
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .replace(/='([\w-]+)'\]/g, '=$1]')
    .replace(/([\s:(,])0\./g, '$1.');

// Quotes go only around a value that is one word: `id="${id}-error"` spans two quasis and stays.
const minifyHtml = (s: string): string =>
  s.replace(/\s+/g, ' ').replace(/\s*> </g, '><').replace(/ >/g, '>').replace(/="([\w-]+)"/g, '=$1').replace(/ \/>/g, '>');

/**
 * Collapses the whitespace of the widget's own `css` and `html` templates (a minifier leaves
 * template text alone). Our templates hold no <pre> and no whitespace-sensitive text, which is
 * what makes this safe; it runs on the widget's sources only, after TypeScript is stripped.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'kasir:minify-templates',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      const walk = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(walk);
        const n = node as Node;
        if (n.type === 'TaggedTemplateExpression') {
          const tag = (n['tag'] as { name?: string }).name;
          const fn = tag === 'css' ? minifyCss : tag === 'html' ? minifyHtml : undefined;
          const quasis = (n['quasi'] as { quasis: Quasi[] }).quasis;
          if (fn) for (const q of quasis) edits.push({ start: q.start, end: q.end, text: fn(q.value.raw) });
        }
        for (const [key, value] of Object.entries(n)) if (key !== 'tag') walk(value);
      };
      walk(parseAst(code));
      let out = code;
      for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
      return { code: out, map: null };
    },
  };
}
