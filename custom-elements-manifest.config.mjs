// `cem analyze` (@custom-elements-manifest/analyzer): writes custom-elements.json from the JSDoc of
// the element's class (attributes, properties, events, CSS parts and custom properties).
export default {
  globs: ['widget/kasir-checkout.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names dist/custom-elements.json in its "customElements" field (edited by hand).
  packagejson: false,
  plugins: [publicApiOnly()],
};

/**
 * Keeps the manifest to the public API: the analyzer lists Lit's internal reactive state
 * (`_values: { state: true }`) as attributes, and every private member.
 */
function publicApiOnly() {
  return {
    name: 'kasir-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          declaration.members = declaration.members?.filter((m) => m.privacy !== 'private' && !m.name.startsWith('_'));
          declaration.attributes = declaration.attributes?.filter((a) => !a.fieldName?.startsWith('_') && !a.name.startsWith('_'));
        }
      }
    },
  };
}
