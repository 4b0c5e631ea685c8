// Statewright's service worker: makes the studio work offline after the first visit.
//
// Strategy (documented in ARCHITECTURE.md, "Offline"):
// - VERSION and PRECACHE are filled in at build time by web/assets/sw-precache.sh (a Trunk post_build
//   hook) from the hashed files Trunk wrote; without the hook the worker still caches on fetch.
// - Install precaches the page and every hashed asset into the cache named after VERSION; activate
//   deletes the caches of older versions. A new version waits (no skipWaiting on install): the page
//   shows "Reload to update" and posts 'skip-waiting' only when the person clicks it.
// - Hashed assets (their names change with their content) are cache-first; the page itself
//   (navigations, '/', 'index.html') is network-first with the cached copy as the offline fallback, so
//   an online visit always sees a new version. Share links live in the URL fragment, which never reaches
//   the network, so opening a link works offline too.
const VERSION = 'dev'; /* VERSION */
const PRECACHE = []; /* PRECACHE */
const CACHE = `statewright-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const urls = ['./', ...PRECACHE.map((f) => `./${f}`)];
    // One failed asset must not block the install of the others.
    await Promise.all(urls.map((u) => cache.add(new Request(u, { cache: 'reload' })).catch(() => {})));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k.startsWith('statewright-') && k !== CACHE).map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

function isPage(request, url) {
  return request.mode === 'navigate' || url.pathname.endsWith('/') || url.pathname.endsWith('/index.html');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.endsWith('/sw.js')) return;
  if (isPage(request, url)) {
    // Network first, so a new version is seen online; the cached page offline. The cache key drops the
    // query (`?embed`) so every view of the page shares one entry.
    const key = new URL('./', self.location.href).href;
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(key, response.clone());
        return response;
      } catch (err) {
        const cached = await cache.match(key);
        if (cached) return cached;
        throw err;
      }
    })());
    return;
  }
  // Assets: cache first, else fetch and keep a copy.
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  })());
});
