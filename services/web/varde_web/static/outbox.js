/* Reports kept on this device until they are sent: one IndexedDB database that the report page and the service
   worker share (they have the same origin). Loaded by the page (a script tag) and by the worker (importScripts).

   outbox  one record per report, by its Idempotency-Key: the form's fields (photos as files), who wrote it, when it
           was kept, and its state: "waiting" (no network), "sign_in" (the session ended), "refused" (the form has
           errors to fix), "sent" (with when, and the receipt's address; the fields are dropped then).
   used    every Idempotency-Key the worker has seen posted, so a page shown again never sends a used key anew.
   meta    who is signed in on this browser, as the last report page said. */
"use strict";
(function (scope) {
  const DATABASE = "varde";
  const WEEK_MS = 7 * 24 * 3600 * 1000;
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DATABASE, 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore("outbox", { keyPath: "key" });
          request.result.createObjectStore("used", { keyPath: "key" });
          request.result.createObjectStore("meta", { keyPath: "name" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  // One transaction on one store; resolves with the request's result once the transaction has committed.
  async function run(storeName, mode, work) {
    const database = await open();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(storeName, mode);
      const request = work(transaction.objectStore(storeName));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  scope.VardeOutbox = {
    keep: (record) => run("outbox", "readwrite", (store) => store.put(record)),
    all: () => run("outbox", "readonly", (store) => store.getAll()),
    remove: (key) => run("outbox", "readwrite", (store) => store.delete(key)),
    markUsed: (key) => run("used", "readwrite", (store) => store.put({ key, at: Date.now() })),
    wasUsed: async (key) => Boolean(await run("used", "readonly", (store) => store.get(key))),
    person: async () => {
      const found = await run("meta", "readonly", (store) => store.get("person"));
      return found ? found.value : null;
    },
    setPerson: (value) => run("meta", "readwrite", (store) => store.put({ name: "person", value })),
    // A sent report is listed for a week; a used key is remembered for a month (a page kept longer is rare).
    prune: async (now) => {
      for (const record of await scope.VardeOutbox.all()) {
        if (record.state === "sent" && now - record.sentAt > WEEK_MS) await scope.VardeOutbox.remove(record.key);
      }
      const used = await run("used", "readonly", (store) => store.getAll());
      for (const entry of used) {
        if (now - entry.at > 4 * WEEK_MS) await run("used", "readwrite", (store) => store.delete(entry.key));
      }
    },
  };
})(self);
