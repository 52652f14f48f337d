// GET /widget/<file> and /widget/<version>/<file>: the built widget, for storefronts that load it
// with one script tag from the proxy's origin (Node serves it; on Workers use any static host).
// The versioned path never changes content, so browsers may keep it for a year and a pinned
// Subresource Integrity hash stays right across proxy upgrades: an upgrade adds a new path
// instead of changing the file under an old one. The unversioned path follows the proxy's
// current build and is cached briefly.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
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
  /** File name → the same content compressed (compressWidgetFiles), sent to browsers that accept it. */
  encoded?: ReadonlyMap<string, Encoded>;
}

type Encoded = { br: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer> };

/**
 * Each file compressed once, at start, at the best levels: the entry is about a third of its size
 * as brotli, which on a phone's slow link is most of the time to a usable form.
 */
export function compressWidgetFiles(files: ReadonlyMap<string, string>): Map<string, Encoded> {
  return new Map(
    [...files].map(([name, text]) => [
      name,
      {
        br: new Uint8Array(brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } })),
        gzip: new Uint8Array(gzipSync(text, { level: 9 })),
      },
    ]),
  );
}

/** The encoding to send for an Accept-Encoding header: brotli, then gzip, never one it refused with q=0. */
function pickEncoding(header: string | undefined): keyof Encoded | undefined {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(/\s*;\s*/))
      .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q))
      .map(([name]) => name!.toLowerCase()),
  );
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined;
}

export function createWidgetRoutes({ version, files, encoded }: WidgetFiles) {
  const send = (file: string, cache: string, acceptEncoding: string | undefined) => {
    const body = files.get(file);
    if (body === undefined || !isWidgetFile(file)) throw new KasirError(404, 'not_found', 'No such file.');
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': cache,
      // Loaded cross-origin by storefronts, with Subresource Integrity (which needs CORS; the hash
      // covers the decoded file, so compression does not change it).
      'Access-Control-Allow-Origin': '*',
    };
    const versions = encoded?.get(file);
    if (!versions) return new Response(body, { headers });
    headers.Vary = 'Accept-Encoding';
    const encoding = pickEncoding(acceptEncoding);
    if (!encoding) return new Response(body, { headers });
    return new Response(versions[encoding], { headers: { ...headers, 'Content-Encoding': encoding } });
  };
  return new Hono()
    .get('/:file', function getWidgetFile(c) {
      return send(c.req.param('file'), SHORT_CACHE, c.req.header('Accept-Encoding'));
    })
    .get('/:version/:file', function getVersionedWidgetFile(c) {
      // Another version's path would promise content this proxy does not have.
      if (c.req.param('version') !== version) throw new KasirError(404, 'not_found', 'This proxy serves another widget version.');
      return send(c.req.param('file'), IMMUTABLE, c.req.header('Accept-Encoding'));
    });
}
