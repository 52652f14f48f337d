import { defineConfig, parseAst, type Plugin } from 'vite';

// Library build of the script-tag entry: an ES module and an IIFE (global `Kasir`), both with Lit
// inside so a storefront needs one file and nothing else.
export default defineConfig({
  plugins: [minifyTemplates()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // ES2022 keeps `#private` members native (Safari 15+, Chrome 84+); lower targets add helpers.
    target: 'es2022',
    minify: true,
    rolldownOptions: {
      // build.minify alone leaves the ES library output unminified (whitespace, names).
      output: { minify: true },
    },
    lib: {
      entry: 'widget/define.ts',
      name: 'Kasir',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'kasir.js' : 'kasir.iife.js'),
    },
  },
});

type Node = { type?: string; start: number; end: number; [key: string]: unknown };
type Quasi = Node & { value: { raw: string } };

const minifyCss = (s: string): string =>
  s
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');

const minifyHtml = (s: string): string => s.replace(/\s+/g, ' ').replace(/> </g, '><');

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
