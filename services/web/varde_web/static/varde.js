/* What script adds to the pages; every page works without it. Plain script, no framework.

   - Registers the service worker (/sw.js), which keeps the report form working without a network, and asks it to
     send what waits whenever a page opens or the browser comes online.
   - On the report form: the list of reports kept on this device ("Venter på nett", then "Sendt 14:32"), a fresh
     Idempotency-Key when the page shown had one that was used already, and the unit and place of a poster's
     address when the page was shown from the device's copy.
   - A print button where a page has one (the QR poster). */
"use strict";
(function () {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  const flush = () =>
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) registration.active.postMessage({ type: "flush" });
    });
  window.addEventListener("online", flush);
  flush();

  const form = document.querySelector("form[data-outbox]");
  const region = document.getElementById("utboks");
  if (!form || !region || !self.VardeOutbox) return;
  const person = form.dataset.person || null;
  const keyField = form.elements.namedItem("idempotency_key");
  VardeOutbox.setPerson(person);
  VardeOutbox.wasUsed(keyField.value).then((used) => {
    if (used) keyField.value = crypto.randomUUID();
  });
  fillFromAddress();

  let waiting = false;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "outbox") render();
  });
  // A network that comes back without the browser noticing (no "online" event): try again now and then.
  setInterval(() => {
    if (waiting && navigator.onLine) flush();
  }, 15000);
  render().then(() => {
    if (location.hash === "#utboks" && !region.hidden) region.querySelector("h2").focus();
  });

  function fillFromAddress() {
    const asked = new URLSearchParams(location.search);
    const unit = form.elements.namedItem("unit_id");
    if (asked.get("enhet") && [...unit.options].some((option) => option.value === asked.get("enhet"))) {
      unit.value = asked.get("enhet");
    }
    const place = form.elements.namedItem("location");
    if (asked.get("sted") && !place.value) place.value = asked.get("sted").slice(0, 200);
  }

  async function render() {
    const records = (await VardeOutbox.all())
      .filter((record) => !record.person || !person || record.person === person)
      .sort((a, b) => b.keptAt - a.keptAt);
    waiting = records.some((record) => record.state === "waiting" || record.state === "sign_in");
    region.querySelector("ul").replaceChildren(...records.map(item));
    region.hidden = records.length === 0;
  }

  function item(record) {
    const texts = region.dataset;
    const entry = document.createElement("li");
    entry.dataset.state = record.state;
    const title = document.createElement("span");
    title.className = "outbox-title";
    title.textContent = record.title || texts.untitled;
    const state = document.createElement("span");
    state.className = "outbox-state";
    entry.append(title, " ", state);
    if (record.state === "sent") {
      state.textContent = texts.sent.replace("{time}", when(record.sentAt));
      entry.append(" ", link(record.receipt, texts.receipt));
    } else if (record.state === "sign_in") {
      state.textContent = texts.signIn;
      entry.append(" ", link("/logg-inn?tilbake=/meld", texts.signInLink));
    } else if (record.state === "refused") {
      state.textContent = texts.refused;
      const fix = document.createElement("button");
      fix.type = "button";
      fix.className = "ds-button";
      fix.dataset.variant = "secondary";
      fix.dataset.size = "sm";
      fix.textContent = texts.fix;
      fix.addEventListener("click", () => reopen(record));
      entry.append(" ", fix);
    } else {
      state.textContent = texts.waiting;
    }
    return entry;
  }

  function link(href, text) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    return anchor;
  }

  // Today's sends by the clock ("14:32"), older ones with their date, in Norwegian time.
  function when(instant) {
    const day = new Intl.DateTimeFormat("nb-NO", { timeZone: "Europe/Oslo", dateStyle: "short" });
    const options = { timeZone: "Europe/Oslo", hour: "2-digit", minute: "2-digit" };
    if (day.format(new Date(instant)) !== day.format(new Date())) Object.assign(options, { day: "2-digit", month: "2-digit" });
    return new Intl.DateTimeFormat("nb-NO", options).format(new Date(instant));
  }

  // A report the service refused goes back into the form, with its key, for the person to fix and send.
  async function reopen(record) {
    const files = new Map();
    for (const [name, value] of record.fields) {
      if (value instanceof Blob) {
        if (!files.has(name)) files.set(name, new DataTransfer());
        if (value.size > 0) files.get(name).items.add(value);
      }
    }
    for (const element of form.elements) {
      if (!element.name) continue;
      const given = record.fields.filter(([name, value]) => name === element.name && !(value instanceof Blob));
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = given.some(([, value]) => value === element.value);
      } else if (element.type === "file") {
        if (files.has(element.name)) element.files = files.get(element.name).files;
      } else if (given.length > 0) {
        element.value = given[0][1];
      }
    }
    await VardeOutbox.remove(record.key);
    await render();
    form.elements.namedItem("title").focus();
  }
})();
