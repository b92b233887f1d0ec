/**
 * Share links: the kernel source (base64url of its UTF-8) and the shape in the URL hash,
 * `#k=<source>&shape=M=256,N=1000`. Nothing leaves the page: the hash is never sent to a server.
 */
export interface Shared {
  readonly source: string;
  readonly shape: Readonly<Record<string, number>>;
}

export function toBase64Url(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(encoded: string): string {
  const b64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeShare(s: Shared): string {
  const shape = Object.entries(s.shape).map(([d, v]) => `${d}=${v}`).join(',');
  return `k=${toBase64Url(s.source)}${shape ? `&shape=${shape}` : ''}`;
}

/** The shared kernel in a hash (with or without its `#`), or undefined when there is none or it is damaged. */
export function decodeShare(hash: string): Shared | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const k = params.get('k');
  if (k === null) return undefined;
  let source: string;
  try {
    source = fromBase64Url(k);
  } catch {
    return undefined;
  }
  const shape: Record<string, number> = {};
  for (const part of (params.get('shape') ?? '').split(',')) {
    const m = /^([A-Za-z_]\w*)=(\d+)$/.exec(part);
    if (m?.[1] !== undefined && m[2] !== undefined) shape[m[1]] = Number(m[2]);
  }
  return { source, shape };
}
