/* Varde's service worker: the report form without a network. The web serves it at /sw.js (scope: the whole site)
   with self.VARDE = {version, shell} in front of this file.

   - The report page (GET /meld) is fetched from the network; the last one shown to the signed-in person is kept and
     shown when there is no network. Its styles, font and scripts (the shell) are kept in a cache named by version.
   - A report (POST /meld) goes to the network as the browser sent it. When the network is gone, the form's fields
     (photos too) are kept in IndexedDB with the form's Idempotency-Key, and the page shows it waiting; it is sent
     when the network returns (the page says "online", the browser's background sync fires, or a page is opened).
     The key makes a second delivery of the same report the same case.
   - A report is sent only while its author is signed in; when the session has ended, it waits for a new sign-in.
   - Signing out removes the kept page (it carries the person's name and units). */
"use strict";
importScripts("/static/outbox.js");

const CACHE = `varde-meld-${self.VARDE.version}`;
const PAGE_CACHE = "varde-page";
const PAGE = "/meld";
const SYNC_TAG = "varde-meld";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(self.VARDE.shell))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("varde-meld-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      await keepReportPage().catch(() => undefined);
      await flush();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE && request.method === "POST") {
    event.respondWith(sendOrKeep(event));
  } else if (url.pathname === PAGE && request.method === "GET" && request.mode === "navigate") {
    event.respondWith(reportPage(event));
  } else if (url.pathname === "/logg-ut" && request.method === "POST") {
    event.respondWith(signOut(request));
  } else if (request.method === "GET" && url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "flush") event.waitUntil(flush());
});

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  // A rejected promise makes the browser try again later, with its own back-off.
  event.waitUntil(
    flush().then(async () => {
      if ((await VardeOutbox.all()).some((record) => record.state === "waiting")) throw new Error("still waiting");
    }),
  );
});

async function reportPage(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (response.status === 200) {
      // A poster's address (?enhet=…&sted=…) fills in the form: the page kept is the plain one.
      if (new URL(request.url).search === "") {
        const copy = response.clone();
        event.waitUntil(caches.open(PAGE_CACHE).then((cache) => cache.put(PAGE, copy)));
      } else {
        event.waitUntil(keepReportPage().catch(() => undefined));
      }
    }
    return response;
  } catch (networkGone) {
    return (await caches.match(PAGE, { cacheName: PAGE_CACHE })) || Response.error();
  }
}

// The plain report page, for the person signed in now; kept only when it is the form (not the sign-in page).
async function keepReportPage() {
  const response = await fetch(PAGE, { credentials: "same-origin" });
  if (response.status === 200 && !response.redirected) await (await caches.open(PAGE_CACHE)).put(PAGE, response);
}

async function sendOrKeep(event) {
  const form = await event.request.clone().formData();
  const key = String(form.get("idempotency_key") || "");
  try {
    const response = await fetch(event.request);
    if (key) event.waitUntil(VardeOutbox.markUsed(key));
    return response;
  } catch (networkGone) {
    if (!key) throw networkGone;
    await keep(key, form);
    return Response.redirect(`${PAGE}#utboks`, 303);
  }
}

async function keep(key, form) {
  await VardeOutbox.keep({
    key,
    person: await VardeOutbox.person(),
    title: String(form.get("title") || ""),
    fields: [...form.entries()],
    keptAt: Date.now(),
    state: "waiting",
  });
  await VardeOutbox.markUsed(key);
  await tell();
  try {
    await self.registration.sync.register(SYNC_TAG);
  } catch (notSupported) {
    // Without background sync the page sends it: when it comes online, and whenever a page of the site opens.
  }
}

// One round at a time: a second call while one runs asks for one more round after it, so nothing is sent twice at
// once (the Idempotency-Key would make it one case anyway).
let running = null;
let again = false;
function flush() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await sendWaiting();
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function sendWaiting() {
  const waiting = (await VardeOutbox.all()).filter((r) => r.state === "waiting" || r.state === "sign_in");
  if (waiting.length === 0) return;
  let me;
  try {
    const answer = await fetch("/api/v1/directory/me", {
      credentials: "same-origin",
      headers: { accept: "application/json" },
    });
    if (answer.status === 401) {
      for (const record of waiting) await VardeOutbox.keep({ ...record, state: "sign_in" });
      await tell();
      return;
    }
    if (!answer.ok) return;
    me = (await answer.json()).id;
  } catch (stillOffline) {
    return;
  }
  for (const record of waiting) {
    // Sent only under its author's name: someone else signed in on this phone waits.
    if (record.person && record.person !== me) continue;
    await send(record);
  }
  await VardeOutbox.prune(Date.now());
  await tell();
}

async function send(record) {
  const withFiles = record.fields.some(([, value]) => value instanceof Blob);
  let body;
  if (withFiles) {
    body = new FormData();
    for (const [name, value] of record.fields) body.append(name, value);
  } else {
    body = new URLSearchParams(record.fields);
  }
  let response;
  try {
    response = await fetch(PAGE, { method: "POST", body, credentials: "same-origin" });
  } catch (stillOffline) {
    return;
  }
  const landed = new URL(response.url);
  if (landed.pathname.startsWith("/logg-inn")) {
    await VardeOutbox.keep({ ...record, state: "sign_in" });
  } else if (response.ok && landed.pathname !== PAGE) {
    // The answer to a report is a redirect to its receipt (an anonymous one has a receipt page of its own).
    const receipt = landed.pathname + landed.search;
    await VardeOutbox.keep({ ...record, state: "sent", sentAt: Date.now(), receipt, fields: [] });
  } else if ([400, 409, 422].includes(response.status)) {
    await VardeOutbox.keep({ ...record, state: "refused" });
  }
  // Anything else (the service down or busy): it stays waiting for the next round.
}

async function signOut(request) {
  await (await caches.open(PAGE_CACHE)).delete(PAGE);
  await VardeOutbox.setPerson(null);
  return fetch(request);
}

async function staticFile(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function tell() {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "outbox" });
}
