// Progressive enhancement only: every journey works without this file.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Idle timeout warning: the server signs people out after the idle limit; warn two minutes before.
const warning = document.querySelector("[data-timeout-seconds]");
if (warning) {
  const limit = Number(warning.dataset.timeoutSeconds) * 1000;
  const warnAt = Math.max(limit - 120000, 0);
  let timer;
  const arm = () => {
    window.clearTimeout(timer);
    warning.hidden = true;
    timer = window.setTimeout(() => {
      warning.hidden = false;
      // Never take the caret from someone typing: their next keys would land on the button.
      const typing = document.activeElement && document.activeElement.matches("input, textarea, select");
      const button = warning.querySelector("button");
      if (button && !typing) button.focus();
    }, warnAt);
  };
  const form = warning.querySelector("form");
  const keepAlive = async () => {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    return response.ok;
  };
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (await keepAlive()) arm();
      else window.location.reload();
    });
    // Typing is activity: at most once a minute, tell the server, so nobody is signed out mid-sentence.
    let lastPing = Date.now();
    document.addEventListener("input", async () => {
      if (Date.now() - lastPing < 60000) return;
      lastPing = Date.now();
      if (await keepAlive()) arm();
    });
  }
  // A request the page made in the background (an autosave) kept the session alive too.
  document.addEventListener("app:session-touched", arm);
  arm();
}

// Autosave: a form marked data-autosave-url posts its fields to that draft address as people type.
// A part of a form may carry its own address instead (the summary's one page of short sections:
// each part saves to its own section, with its own version); a field's data-autosave-as gives the
// name it has there ("version", "editor").
const autosaveParts = [];
for (const element of document.querySelectorAll("[data-autosave-url]")) {
  const form = element.tagName === "FORM" ? element : element.closest("form");
  if (!form) continue;
  const part = { element, form, status: element.querySelector("[data-autosave-status]"), pending: null, inflight: null, dirty: false };
  // What this part sends: the whole form, or the part's own fields with the form's CSRF token.
  part.body = () => {
    if (element === form) return new FormData(form);
    const body = new FormData();
    const token = form.querySelector("[name=csrfmiddlewaretoken]");
    if (token) body.append(token.name, token.value);
    for (const field of element.querySelectorAll("input[name], textarea[name], select[name]")) {
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) continue;
      body.append(field.dataset.autosaveAs || field.name, field.value);
    }
    return body;
  };
  part.versionField = () => element.querySelector("[data-autosave-as=version]") || form.elements.version;
  autosaveParts.push(part);
}
const autosave = async (part) => {
  let saved = false;
  let message = "Draft not saved - your answers are kept on this page. Save them with the button below.";
  try {
    const response = await fetch(part.element.dataset.autosaveUrl, {
      method: "POST",
      body: part.body(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      redirect: "manual",
    });
    // Only the endpoint's own JSON answer counts: a redirect (signed out) is not a save.
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("application/json")) {
      const data = await response.json();
      saved = response.ok && data.saved === true;
      // Versioned drafts answer their new version: the next save (and the final one) builds on it.
      const version = part.versionField();
      if (saved && data.version !== undefined && version) version.value = data.version;
      document.dispatchEvent(new Event("app:session-touched"));
      if (!saved && data.message) message = data.message;
    }
  } catch (error) {
    saved = false;
  }
  if (part.status) part.status.textContent = saved ? "Draft saved" : message;
};
const runAutosave = (part) => {
  part.inflight = autosave(part).finally(() => {
    part.inflight = null;
  });
};
const submitting = new Set();
for (const part of autosaveParts) {
  part.element.addEventListener("input", () => {
    part.dirty = true;
    window.clearTimeout(part.pending);
    part.pending = window.setTimeout(() => {
      part.dirty = false;
      runAutosave(part);
    }, 1500);
  });
}
// Sends now what each part has waiting (typed within the pause), and answers the saves in flight.
const flushAutosaves = () => {
  for (const part of autosaveParts) {
    if (!part.dirty || submitting.has(part.form)) continue;
    window.clearTimeout(part.pending);
    part.dirty = false;
    runAutosave(part);
  }
  return autosaveParts.map((part) => part.inflight).filter(Boolean);
};
if (autosaveParts.length) {
  // Following a link on the page within the pause after typing: save first (at most 3 s), so the
  // next page already shows what was typed.
  document.addEventListener("click", async (event) => {
    const link = event.target.closest("a[href]");
    const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    if (!link || !plain || event.defaultPrevented || link.target === "_blank") return;
    if (!autosaveParts.some((part) => part.dirty && !submitting.has(part.form))) return;
    event.preventDefault();
    const saving = flushAutosaves();
    await Promise.race([Promise.all(saving), new Promise((resolve) => window.setTimeout(resolve, 3000))]);
    window.location.assign(link.href);
  });
  // Leaving the page otherwise (Back, closing the tab) within the pause after typing: send what was
  // typed at once. The page is going, so its answer is not awaited (keepalive lets it finish).
  window.addEventListener("pagehide", () => {
    for (const part of autosaveParts) {
      if (!part.dirty || submitting.has(part.form)) continue;
      window.clearTimeout(part.pending);
      part.dirty = false;
      fetch(part.element.dataset.autosaveUrl, {
        method: "POST",
        body: part.body(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        keepalive: true,
      });
    }
  });
  // Switching to another tab: save now, and keep the version it answers.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushAutosaves();
  });
  // A page restored from the browser's cache (Back) holds the version from before its last save:
  // load it afresh, with what was saved.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });
}
// A save still in flight when the person submits would make their own submit look like someone
// else's change (its version is one behind): wait for every one of the form's parts, then submit
// with the versions they returned.
for (const form of new Set(autosaveParts.map((part) => part.form))) {
  const parts = autosaveParts.filter((part) => part.form === form);
  let flushed = false;
  form.addEventListener("submit", async (event) => {
    submitting.add(form);
    for (const part of parts) {
      window.clearTimeout(part.pending);
      part.dirty = false;
    }
    const inflight = parts.map((part) => part.inflight).filter(Boolean);
    if (!inflight.length || flushed) return;
    event.preventDefault();
    await Promise.all(inflight);
    flushed = true;
    form.requestSubmit(event.submitter);
  });
}

// A list of people grouped by agency (<optgroup>) and marked data-filter-by="<the agency field>":
// only the chosen agency's people are offered. The server filters it the same way once the agency
// is sent; this saves the step.
for (const select of document.querySelectorAll("select[data-filter-by]")) {
  const by = select.form && select.form.elements[select.dataset.filterBy];
  const groups = [...select.querySelectorAll("optgroup")].map((group) => group.cloneNode(true));
  if (!by || !groups.length) continue;
  const blank = select.querySelector("option[value='']");
  const show = () => {
    const chosen = by.value && by.selectedOptions[0] ? by.selectedOptions[0].text : "";
    const kept = select.value;
    const shown = groups.filter((group) => !chosen || group.label === chosen).map((group) => group.cloneNode(true));
    const options = chosen ? shown.flatMap((group) => [...group.children]) : shown;
    select.replaceChildren(...(blank ? [blank] : []), ...options);
    select.value = [...select.options].some((option) => option.value === kept) ? kept : "";
  };
  by.addEventListener("change", show);
  show();
}

// Work done in the background (the rapid review PDF): ask whether it is ready and say so in a polite
// live region, with a link to see it; the page never reloads by itself under the person.
for (const region of document.querySelectorAll("[data-poll-url]")) {
  const status = region.querySelector("[data-poll-status]");
  const ready = region.querySelector("[data-poll-ready]");
  if (ready) ready.hidden = true;
  const ask = async () => {
    try {
      const response = await fetch(region.dataset.pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const data = await response.json();
      if (data.status === "running" || data.status === "busy") return window.setTimeout(ask, 3000);
      const link = ready && ready.querySelector("[data-poll-link]");
      if (data.status === "ready" && data.url && link) {
        status.textContent = "The PDF is ready.";
        link.href = data.url;
        link.textContent = `Download ${data.title}`;
        ready.replaceChildren(link);
      } else {
        status.textContent = data.status === "failed" ? "The PDF could not be generated." : "The PDF is ready.";
        if (link) link.textContent = "Refresh this page";
      }
      if (ready) ready.hidden = false;
    } catch (error) {
      if (ready) ready.hidden = false;
    }
  };
  window.setTimeout(ask, 3000);
}

// Tables wider than the screen scroll sideways in their region (.app-table-wrap). Say so above
// each one that does, in words as well as its edge shadow, and keep the words true as the window
// is resized. The region's own label already says it scrolls, for screen readers: the hint is
// hidden from them rather than said twice.
const tableRegions = [...document.querySelectorAll(".app-table-wrap")];
const markScrolling = () => {
  for (const region of tableRegions) {
    const scrolls = region.scrollWidth > region.clientWidth + 1;
    region.classList.toggle("app-table-wrap--scrolls", scrolls);
    let hint = region.previousElementSibling;
    if (!hint || !hint.classList.contains("app-table-wrap__hint")) {
      if (!scrolls) continue;
      hint = document.createElement("p");
      hint.className = "app-table-wrap__hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "Scroll sideways to see the whole table";
      region.before(hint);
    }
    hint.hidden = !scrolls;
  }
};
if (tableRegions.length) {
  markScrolling();
  window.addEventListener("resize", markScrolling);
}
