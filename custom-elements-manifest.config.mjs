// `cem analyze` (@custom-elements-manifest/analyzer): writes dist/custom-elements.json from the
// JSDoc of the element's class (attributes, properties, events, CSS parts and custom properties),
// then dist/jsx.d.ts from that manifest.
import { readFileSync, writeFileSync } from 'node:fs';
import { posix, relative } from 'node:path';

const OUTDIR = 'dist';
/** The shipped module that exports the class and defines the tag (built from widget/define.ts). */
const SHIPPED_MODULE = 'dist/kasir.js';

export default {
  globs: ['widget/kasir-checkout.ts'],
  outdir: OUTDIR,
  litelement: true,
  // package.json names dist/custom-elements.json in its "customElements" field (edited by hand).
  packagejson: false,
  plugins: [publicApiOnly(), shippedSchema2(), jsxTypes()],
};

const isPublic = (m) => !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('_');

/**
 * Keeps the manifest to the public API: the analyzer lists Lit's internal reactive state
 * (`_values: { state: true }`) as attributes, every private and protected member, and any
 * module-level name it meets (a destructured local once came out as a `provider` variable).
 */
function publicApiOnly() {
  return {
    name: 'kasir-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        const exported = new Set((mod.exports ?? []).map((e) => e.declaration?.name));
        mod.declarations = (mod.declarations ?? []).filter((d) => exported.has(d.name));
        for (const declaration of mod.declarations) {
          declaration.members = declaration.members?.filter(isPublic);
          declaration.attributes = declaration.attributes?.filter((a) => !a.fieldName?.startsWith('_') && !a.name.startsWith('_'));
        }
      }
    },
  };
}

/**
 * Schema 2.x, whose `path` is the JavaScript file to import: the analyzer (0.11, the latest) reads
 * the TypeScript sources and writes schema 1.0.0 with their `.ts` paths, which are not shipped.
 * Its output uses no field that 2.x dropped, so relabelling is sound (test/e2e/react-package.test.ts
 * validates the result against the 2.1.0 JSON schema). The element module becomes dist/kasir.js,
 * which exports the class and defines the tag.
 */
function shippedSchema2() {
  return {
    name: 'kasir-shipped-schema-2',
    packageLinkPhase({ customElementsManifest: manifest }) {
      manifest.schemaVersion = '2.1.0';
      delete manifest.readme;
      for (const mod of manifest.modules) {
        const source = mod.path;
        mod.path = SHIPPED_MODULE;
        for (const e of mod.exports ?? []) if (e.declaration?.module === source) e.declaration.module = SHIPPED_MODULE;
        for (const d of mod.declarations) {
          if (!d.customElement || !d.tagName) continue;
          if (!mod.exports.some((e) => e.kind === 'custom-element-definition' && e.name === d.tagName)) {
            mod.exports.push({ kind: 'custom-element-definition', name: d.tagName, declaration: { name: d.name, module: SHIPPED_MODULE } });
          }
        }
      }
    },
  };
}

/**
 * dist/jsx.d.ts, for using the tag itself in JSX (`<kasir-checkout items={…} onkasir-paid={…}>`,
 * React 19): each element's props typed from its class (`KasirCheckout['items']`), one
 * `on<event>` prop per event with the detail type the manifest names, the React
 * `JSX.IntrinsicElements` entry, and the framework-neutral `HTMLElementTagNameMap` entry.
 * `KasirElements` (tag → props) serves other JSX frameworks. Types are imported from the
 * package's main entry types, as package.json names them.
 */
function jsxTypes() {
  return {
    name: 'kasir-jsx-types',
    packageLinkPhase({ customElementsManifest: manifest }) {
      const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
      const main = pkg.exports?.['.'];
      const mainTypes = main?.types ?? main?.import?.types ?? pkg.types;
      if (!mainTypes) throw new Error('package.json names no types for "." (exports or "types")');
      let typesPath = posix.normalize(relative(OUTDIR, mainTypes)).replace(/\.d\.ts$/, '.js');
      if (!typesPath.startsWith('.')) typesPath = `./${typesPath}`;

      const elements = manifest.modules.flatMap((m) => m.declarations).filter((d) => d.customElement && d.tagName);
      const imports = new Set(elements.map((d) => d.name));
      const doc = (text, indent = '  ') =>
        text ? `${indent}/** ${text.trim().replace(/\*\//g, '*\\/').replace(/\n/g, `\n${indent} * `)} */\n` : '';
      const blocks = elements.map((d) => {
        const fields = (d.members ?? []).filter((m) => m.kind === 'field' && isPublic(m));
        const lines = [];
        for (const f of fields) {
          const attr = (d.attributes ?? []).find((a) => a.fieldName === f.name);
          lines.push(`${doc(attr?.description ?? f.description)}  ${f.name}?: ${d.name}['${f.name}'];`);
          if (attr && attr.name !== f.name) {
            lines.push(`${doc(attr.description ?? f.description)}  '${attr.name}'?: ${d.name}['${f.name}'];`);
          }
        }
        for (const e of d.events ?? []) {
          const type = e.type?.text ?? 'CustomEvent';
          for (const name of type.match(/\b[A-Z]\w*/g) ?? []) if (name !== 'CustomEvent' && name !== 'Event') imports.add(name);
          lines.push(`${doc(e.description)}  'on${e.name}'?: (event: ${type}) => void;`);
        }
        return { d, props: `${d.name}JsxProps`, body: lines.join('\n') };
      });

      const out = `// Generated from custom-elements.json by custom-elements-manifest.config.mjs: do not edit.
// JSX types for the custom element itself. Use them with \`/// <reference types="kasir/jsx" />\`
// (or \`import type {} from 'kasir/jsx'\`) once in a project. With React, prefer the
// \`KasirCheckout\` component from \`kasir/react\`, which also survives server rendering.
import type { ${[...imports].sort().join(', ')} } from '${typesPath}';

${blocks.map(({ d, props, body }) => `/** Attributes, properties and \`on<event>\` listeners of \`<${d.tagName}>\` as JSX props. */\nexport interface ${props} {\n${body}\n}`).join('\n\n')}

/** Tag name → JSX props, for any JSX framework: \`interface IntrinsicElements extends KasirElements {}\`. */
export interface KasirElements {
${blocks.map(({ d, props }) => `  '${d.tagName}': ${props};`).join('\n')}
}

declare global {
  interface HTMLElementTagNameMap {
${blocks.map(({ d }) => `    '${d.tagName}': ${d.name};`).join('\n')}
  }
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${blocks.map(({ d, props }) => `      '${d.tagName}': React.DetailedHTMLProps<React.HTMLAttributes<${d.name}>, ${d.name}> & ${props};`).join('\n')}
    }
  }
}
`;
      writeFileSync(`${OUTDIR}/jsx.d.ts`, out);
    },
  };
}
