// GET /widget/<file> and /widget/<version>/<file>: the built widget, for storefronts that load it
// with one script tag from the proxy's origin (Node serves it; on Workers use any static host).
// The versioned path never changes content, so browsers may keep it for a year and a pinned
// Subresource Integrity hash stays right across proxy upgrades: an upgrade adds a new path
// instead of changing the file under an old one. The unversioned path follows the proxy's
// current build and is cached briefly.
import { Hono } from 'hono';
import { KasirError } from '../lib/errors';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const SHORT_CACHE = 'public, max-age=300';

/** The files a script tag loads: the IIFE entry and the chunks it imports from beside itself. */
export const isWidgetFile = (name: string) => /^kasir(\.iife|-[\w-]+)\.js$/.test(name);

export interface WidgetFiles {
  /** The package version the files were built as (the versioned path's segment). */
  version: string;
  /** File name → its content. */
  files: ReadonlyMap<string, string>;
}

export function createWidgetRoutes({ version, files }: WidgetFiles) {
  const send = (file: string, cache: string) => {
    const body = files.get(file);
    if (body === undefined || !isWidgetFile(file)) throw new KasirError(404, 'not_found', 'No such file.');
    return new Response(body, {
      headers: {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': cache,
        // Loaded cross-origin by storefronts, with Subresource Integrity (which needs CORS).
        'Access-Control-Allow-Origin': '*',
      },
    });
  };
  return new Hono()
    .get('/:file', function getWidgetFile(c) {
      return send(c.req.param('file'), SHORT_CACHE);
    })
    .get('/:version/:file', function getVersionedWidgetFile(c) {
      // Another version's path would promise content this proxy does not have.
      if (c.req.param('version') !== version) throw new KasirError(404, 'not_found', 'This proxy serves another widget version.');
      return send(c.req.param('file'), IMMUTABLE);
    });
}
