// Hash routes: #/ is the bucket list, #/b/<bucket>/<prefix> the object browser. Each segment of the
// prefix is percent-encoded and '/' kept, so any key (with '#', '%', '?' or spaces) round-trips.

export function parseRoute(hash) {
  const path = hash.replace(/^#/, '');
  const m = /^\/b\/([^/]+)\/?(.*)$/.exec(path);
  if (m) {
    try {
      return {page: 'browser', bucket: decodeURIComponent(m[1]), prefix: decodeURIComponent(m[2])};
    } catch {
      return {page: 'buckets'};
    }
  }
  return {page: 'buckets'};
}

export function bucketsHref() {
  return '#/';
}

export function browserHref(bucket, prefix = '') {
  return `#/b/${encodeURIComponent(bucket)}/${prefix.split('/').map(encodeURIComponent).join('/')}`;
}
