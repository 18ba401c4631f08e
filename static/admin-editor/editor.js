/* The condition editor: sections as tabs, the error summary, ordering by dragging or with the
   arrow keys, the live preview, citekey suggestions, treatment summaries and autosave.
   Without this script the form still works: every section is shown, one after the other. */
"use strict";

(function () {
  const form = document.querySelector("form.editor-form");
  if (!form) return;
  const announcer = form.querySelector("[data-announcer]");
  const csrf = () => form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const announce = (text) => { announcer.textContent = ""; window.setTimeout(() => { announcer.textContent = text; }, 50); };
  const changed = (el) => { el.dispatchEvent(new Event("input", { bubbles: true })); };
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const narrow = window.matchMedia("(max-width: 1099px)");
  const snapshot = () => new URLSearchParams(formBody()).toString();
  // What the server last kept of this form; the form is "unsaved" when it differs.
  const kept = { body: "", sending: false };
  const unsaved = () => !kept.sending && snapshot() !== kept.body;

  /* Tabs ---------------------------------------------------------------------------------- */

  const tablist = form.querySelector("[data-tablist]");
  const tabs = Array.from(tablist.querySelectorAll("[data-tab]"));
  const layout = form.querySelector(".editor-layout");
  const panelOf = (tab) => document.getElementById(tab.dataset.tab);

  function selectTab(tab, focus) {
    tabs.forEach((other) => {
      const on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      if (other.id !== "tab-preview") panelOf(other).hidden = !on && tab.id !== "tab-preview";
    });
    layout.classList.toggle("preview-selected", tab.id === "tab-preview");
    if (tab.id === "tab-preview") preview.refresh();
    if (focus) tab.focus();
  }

  // The tabs are in-page links, so without this script they still lead to each section, and
  // the admin's "focus the first field" on a new page skips them for the title.
  function setUpTabs() {
    tablist.setAttribute("role", "tablist");
    tabs.forEach((tab) => {
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", tab.dataset.tab);
      const panel = panelOf(tab);
      if (tab.id !== "tab-preview") {
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
      }
      tab.addEventListener("click", (event) => { event.preventDefault(); selectTab(tab, false); });
      tab.addEventListener("keydown", (event) => {
        if (event.key === " ") { event.preventDefault(); selectTab(tab, false); }
      });
    });
    tablist.addEventListener("keydown", (event) => {
      const visible = tabs.filter((tab) => tab.offsetParent !== null);
      const at = visible.indexOf(document.activeElement);
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      let next = null;
      if (step) next = visible[(at + step + visible.length) % visible.length];
      if (event.key === "Home") next = visible[0];
      if (event.key === "End") next = visible[visible.length - 1];
      if (next) { event.preventDefault(); selectTab(next, true); }
    });
    narrow.addEventListener("change", () => {
      if (!narrow.matches && layout.classList.contains("preview-selected")) selectTab(tabs[0], false);
    });
    selectTab(tabs[0], false);
  }

  function showSection(key) {
    const tab = tabs.find((candidate) => candidate.dataset.tab === `panel-${key}`);
    if (tab) selectTab(tab, false);
  }

  /* The error summary ----------------------------------------------------------------------- */

  const focusable = "input:not([type=hidden]), select, textarea, button, [tabindex]";

  function goTo(target, section) {
    showSection(section);
    let field = document.getElementById(target);
    if (!field) return;
    if (field.type === "hidden" || field.offsetParent === null || !field.matches(focusable)) {
      const around = field.closest(".form-row, .fieldBox, .inline-related, .inline-group") || field;
      field = Array.from(around.querySelectorAll(focusable)).find((el) => el.offsetParent !== null) || around;
    }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  function setUpErrorSummary() {
    const summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-section]");
      if (!link) return;
      event.preventDefault();
      goTo(link.getAttribute("href").slice(1), link.dataset.section);
    });
    const first = summary.querySelector("a[data-section]");
    if (first) showSection(first.dataset.section);
    summary.scrollIntoView({ block: "start" });
    summary.focus();
  }

  /* Ordering ----------------------------------------------------------------------------------
     Rows keep their form index (Django's formsets need existing rows first); their place on the
     screen follows the hidden order field, which this script writes. */

  function setUpOrdering(group) {
    const prefix = group.id.replace(/-group$/, "");
    const isRow = (el) => new RegExp(`^${prefix}-\\d+$`).test(el.id);
    const rows = () => Array.from(group.querySelectorAll(`[id^="${prefix}-"]`)).filter(isRow);
    const orderOf = (row) => row.querySelector(`input[name="${row.id}-sort_order"]`);
    if (!group.querySelector("input[data-order]")) return;
    const noun = (group.querySelector(".inline-heading") || group).textContent.trim().toLowerCase();

    const place = (row, before) => {
      const errors = row.previousElementSibling;
      const parent = row.parentNode;
      parent.insertBefore(row, before);
      if (errors && errors.classList.contains("row-form-errors")) parent.insertBefore(errors, row);
    };
    const tail = () => { const all = rows(); return all.length ? all[all.length - 1].nextSibling : null; };

    function renumber() {
      rows().forEach((row, index) => {
        const input = orderOf(row);
        if (input && input.value !== String(index + 1)) { input.value = String(index + 1); changed(input); }
        const handle = row.querySelector(".order-handle");
        if (handle) handle.setAttribute("aria-label", `Move ${noun} row ${index + 1} of ${rows().length}`);
        // A new row is labelled by its number: keep it its place on the screen.
        const label = row.querySelector(".inline_label");
        if (label && /^#\d+$/.test(label.textContent.trim())) label.textContent = `#${index + 1}`;
      });
    }

    function layOut(key) {
      const sorted = rows().map((row, index) => [row, index]).sort((a, b) => key(a) - key(b) || a[1] - b[1]);
      const end = tail();
      sorted.forEach(([row]) => place(row, end));
    }
    const byOrder = ([row]) => Number((orderOf(row) || {}).value || 0);
    const byIndex = ([row]) => Number(row.id.slice(prefix.length + 1));

    function move(row, offset) {
      const all = rows();
      const to = all.indexOf(row) + offset;
      if (to < 0 || to >= all.length) return;
      place(row, offset < 0 ? all[to] : all[to].nextSibling);
      renumber();
      announce(`Moved to row ${to + 1} of ${all.length}.`);
    }

    function addHandle(row) {
      if (row.querySelector(".order-handle")) return;
      const handle = document.createElement("button");
      handle.type = "button";
      handle.className = "order-handle";
      handle.setAttribute("aria-describedby", "order-instructions");
      handle.innerHTML = '<span aria-hidden="true">⠿</span>';
      (row.querySelector("h3") || row.querySelector("td.original") || row).prepend(handle);
      handle.addEventListener("keydown", (event) => {
        const offset = { ArrowUp: -1, ArrowDown: 1 }[event.key];
        if (!offset) return;
        event.preventDefault();
        move(row, offset);
        handle.focus();
      });
      handle.addEventListener("pointerdown", (event) => drag(event, row, handle));
    }

    function drag(event, row, handle) {
      if (event.button !== 0) return;
      event.preventDefault();
      row.classList.add("dragging");
      // Listened to on the document: moving the row takes it out of the page for a moment,
      // which would end a pointer capture on the handle.
      const follow = (moveEvent) => {
        const others = rows().filter((other) => other !== row);
        const below = others.find((other) => {
          const box = other.getBoundingClientRect();
          return moveEvent.clientY < box.top + box.height / 2;
        });
        const before = below || (others.length ? others[others.length - 1].nextSibling : tail());
        if (before !== row && before !== row.nextSibling) place(row, before);
      };
      const drop = () => {
        document.removeEventListener("pointermove", follow);
        document.removeEventListener("pointerup", drop);
        document.removeEventListener("pointercancel", drop);
        row.classList.remove("dragging");
        renumber();
        announce(`Moved to row ${rows().indexOf(row) + 1} of ${rows().length}.`);
        handle.focus();
      };
      document.addEventListener("pointermove", follow);
      document.addEventListener("pointerup", drop);
      document.addEventListener("pointercancel", drop);
    }

    // Django renumbers rows by their place on the screen when one is removed: put them back in
    // index order first, then in the editor's order again.
    group.addEventListener("click", (event) => {
      const link = event.target.closest(".inline-deletelink");
      if (!link) return;
      const row = rows().find((candidate) => candidate.contains(link));
      const id = row && row.querySelector(`input[name="${row.id}-id"]`);
      if (id && id.value) {
        // Saved by an autosave: delete it like any saved row, with the DELETE box.
        event.preventDefault();
        event.stopPropagation();
        const remove = document.createElement("input");
        Object.assign(remove, { type: "hidden", name: `${row.id}-DELETE`, value: "on" });
        row.append(remove);
        row.hidden = true;
        changed(remove);
        return;
      }
      layOut(byIndex);
    }, true);
    document.addEventListener("formset:removed", (event) => {
      if (event.detail.formsetName !== prefix) return;
      layOut(byOrder);
      renumber();
    });
    document.addEventListener("formset:added", (event) => {
      if (event.detail.formsetName !== prefix) return;
      addHandle(event.target);
      renumber();
    });

    layOut(byOrder);
    rows().forEach(addHandle);
    if (new Set(rows().map((row) => (orderOf(row) || {}).value)).size !== rows().length) renumber();
    else rows().forEach((row, index) => {
      const handle = row.querySelector(".order-handle");
      handle.setAttribute("aria-label", `Move ${noun} row ${index + 1} of ${rows().length}`);
    });
    group.editorOrdering = { rows, renumber, layOut: () => layOut(byOrder), byIndex: () => layOut(byIndex) };
  }

  /* Live preview ------------------------------------------------------------------------------ */

  const preview = (function () {
    const url = form.dataset.previewUrl;
    const frame = form.querySelector(".preview-frame");
    const status = form.querySelector("[data-preview-status]");
    const toggle = form.querySelector("[data-preview-toggle]");
    let timer = null;
    let sent = null;
    let sequence = 0;
    let leaving = false;
    // Problems are only worth naming once the editor has written something: a new page's empty
    // form is not a mistake.
    let touched = false;

    const visible = () => (narrow.matches ? layout.classList.contains("preview-selected") : !layout.classList.contains("preview-hidden"));

    async function refresh() {
      window.clearTimeout(timer);
      if (leaving || !visible()) return;
      const body = formBody();
      const key = new URLSearchParams(body).toString();
      if (key === sent) return;
      sent = key;
      const mine = ++sequence;
      status.textContent = "Updating the preview…";
      let response;
      try {
        response = await fetch(url, { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
      } catch (error) {
        status.textContent = "The preview could not be reached. It will try again as you type.";
        sent = null;
        return;
      }
      if (mine !== sequence) return;
      if (response.status === 422) {
        const data = await response.json();
        if (!touched) {
          status.textContent = "The preview appears here as you write.";
          return;
        }
        status.textContent = `Preview paused: ${plural(data.errors.length, "problem")} to fix. ${data.errors[0] || ""}`;
        return;
      }
      if (!response.ok) { status.textContent = "The preview is not available right now."; sent = null; return; }
      const html = await response.text();
      const scrolled = frame.contentWindow ? frame.contentWindow.scrollY : 0;
      frame.addEventListener("load", () => frame.contentWindow.scrollTo(0, scrolled), { once: true });
      frame.srcdoc = html;
      status.textContent = "The preview shows the page as it stands in this form.";
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 700);
    }

    toggle.addEventListener("click", () => {
      if (narrow.matches) {
        const tab = document.getElementById("tab-preview");
        const selected = tab.getAttribute("aria-selected") === "true";
        selectTab(selected ? tabs[0] : tab, false);
        if (!selected) panelOf(tab).scrollIntoView({ block: "start" });
      } else {
        layout.classList.toggle("preview-hidden");
      }
      toggle.setAttribute("aria-expanded", visible() ? "true" : "false");
      refresh();
    });
    narrow.addEventListener("change", () => toggle.setAttribute("aria-expanded", visible() ? "true" : "false"));
    toggle.setAttribute("aria-expanded", visible() ? "true" : "false");
    const edited = () => { touched = true; schedule(); };
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    // The page is being left (this form or a workflow step was sent): a preview now would only
    // compete with that request.
    document.addEventListener("submit", () => { leaving = true; window.clearTimeout(timer); }, true);
    return { refresh, schedule };
  })();

  function formBody() {
    const body = new FormData(form);
    ["_continue", "_save", "_submit_review"].forEach((name) => body.delete(name));
    return body;
  }

  /* Citekey suggestions ------------------------------------------------------------------------ */

  const citing = /\[[^[\]]*@([^\s;[\]@]*)$/;
  let listCount = 0;

  function setUpCitations() {
    const url = form.dataset.citekeysUrl;
    let timer = null;
    let box = null;

    function close() {
      if (!box) return;
      box.field.removeAttribute("aria-activedescendant");
      box.list.remove();
      box = null;
    }

    function active() { return box && box.list.querySelector("[aria-selected=true]"); }

    function highlight(option) {
      box.list.querySelectorAll("[role=option]").forEach((other) => other.setAttribute("aria-selected", other === option ? "true" : "false"));
      box.field.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function insert(field, key) {
      const caret = field.selectionStart;
      const before = field.value.slice(0, caret).replace(citing, (match, typed) => match.slice(0, match.length - typed.length) + key);
      let after = field.value.slice(caret);
      if (!/^\s*[\];]/.test(after)) after = `]${after}`;
      field.value = before + after;
      const end = before.length + (after.startsWith("]") ? 1 : 0);
      field.setSelectionRange(end, end);
      close();
      changed(field);
      announce(`Inserted @${key}.`);
    }

    async function suggest(field, typed) {
      const response = await fetch(`${url}?q=${encodeURIComponent(typed)}`, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      close();
      if (!data.results.length || document.activeElement !== field) {
        if (!data.results.length) announce("No reference in the library matches.");
        return;
      }
      const list = document.createElement("ul");
      list.id = `citation-suggestions-${++listCount}`;
      list.className = "citation-suggestions";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "References in the library");
      data.results.forEach((ref, index) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${index}`;
        option.setAttribute("role", "option");
        option.dataset.citekey = ref.citekey;
        const key = document.createElement("strong");
        key.textContent = `@${ref.citekey}`;
        const who = document.createElement("span");
        who.className = "who";
        who.textContent = ` ${ref.author} ${ref.year}`;
        const title = document.createElement("span");
        title.className = "title";
        title.textContent = ref.title;
        option.append(key, who, title);
        option.addEventListener("mousedown", (event) => { event.preventDefault(); insert(field, ref.citekey); });
        list.append(option);
      });
      (field.closest(".flex-container") || field).after(list);
      field.setAttribute("aria-controls", list.id);
      box = { field, list };
      highlight(list.firstElementChild);
      announce(`${plural(data.results.length, "reference")} found: up and down arrows choose, Enter inserts.`);
    }

    form.addEventListener("input", (event) => {
      const field = event.target;
      if (!field.matches("textarea[data-citations]")) return;
      const typed = field.value.slice(0, field.selectionStart).match(citing);
      window.clearTimeout(timer);
      if (!typed) { close(); return; }
      timer = window.setTimeout(() => suggest(field, typed[1]), 150);
    });
    form.addEventListener("keydown", (event) => {
      if (!box || event.target !== box.field) return;
      const options = Array.from(box.list.querySelectorAll("[role=option]"));
      const at = options.indexOf(active());
      const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (step) { event.preventDefault(); highlight(options[(at + step + options.length) % options.length]); }
      else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); insert(box.field, active().dataset.citekey); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    form.addEventListener("focusout", (event) => { if (box && event.target === box.field) window.setTimeout(close, 150); });
    form.querySelectorAll("textarea[data-citations]").forEach(describe);
    document.addEventListener("formset:added", (event) => event.target.querySelectorAll("textarea[data-citations]").forEach(describe));
  }

  function describe(field) {
    field.setAttribute("aria-autocomplete", "list");
    const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!ids.includes("citation-instructions")) field.setAttribute("aria-describedby", [...ids, "citation-instructions"].join(" "));
  }

  /* Treatments: the shared summary of the one picked ------------------------------------------- */

  function setUpTreatments() {
    const url = form.dataset.treatmentUrl;
    async function show(select) {
      const row = select.closest(".inline-related");
      const box = row && row.querySelector("[data-shared-summary]");
      if (!box) return;
      box.textContent = "";
      if (!select.value) return;
      const response = await fetch(url.replace(/\/0\/$/, `/${select.value}/`), { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      const summary = document.createElement("p");
      summary.textContent = data.summary || "No summary yet.";
      const shared = document.createElement("p");
      shared.className = "shared-by";
      shared.append(`Shared: used by ${plural(data.pages, "page")}. `);
      const link = Object.assign(document.createElement("a"), { href: data.change_url, target: "_blank", rel: "noopener", textContent: "Edit the shared summary" });
      shared.append(link, " (changes every page that lists it). What the treatment means for this page goes in the description below.");
      box.append(summary, shared);
    }
    // Select2's own events: they follow the editor's choice, not the widget's start-up.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("select2:select select2:clear", 'select[name$="-treatment"]', function () { show(this); });
    }
  }

  /* Autosave and the warning that someone else saved ---------------------------------------- */

  function setUpAutosave() {
    const url = form.dataset.autosaveUrl;
    if (!url) return;
    const status = form.querySelector("[data-autosave-status]");
    const conflict = form.querySelector("[data-conflict]");
    const token = () => form.querySelector("input[name=edit_token]");

    function warn(message) {
      conflict.hidden = !message;
      conflict.textContent = message || "";
    }

    function adoptRows(rows) {
      Object.entries(rows).forEach(([prefix, pks]) => {
        const initial = form.querySelector(`#id_${prefix}-INITIAL_FORMS`);
        const group = document.getElementById(`${prefix}-group`);
        if (!initial || !group) return;
        const first = Number(initial.value);
        const fresh = pks.slice(first);
        // Rows left empty were not saved: take them away so the saved ones follow the old ones.
        for (let index = fresh.length - 1; index >= 0; index -= 1) {
          if (fresh[index] !== null) continue;
          const link = document.querySelector(`#${prefix}-${first + index} .inline-deletelink`);
          if (link) link.click();
        }
        fresh.filter((pk) => pk !== null).forEach((pk, offset) => {
          const id = form.querySelector(`input[name="${prefix}-${first + offset}-id"]`);
          if (id) id.value = String(pk);
        });
        initial.value = String(first + fresh.filter((pk) => pk !== null).length);
      });
    }

    async function autosave() {
      if (kept.sending) return { saved: false };
      const now = snapshot();
      if (now === kept.body) {
        const response = await fetch(`${url}?edit_token=${encodeURIComponent(token().value)}`, { credentials: "same-origin" });
        if (response.ok) warn((await response.json()).conflict);
        return { saved: true };
      }
      const response = await fetch(url, { method: "POST", body: formBody(), credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
      if (!response.ok) { status.textContent = "Autosave could not reach the server; your changes are still in this form."; return { saved: false }; }
      const data = await response.json();
      if (data.conflict) { warn(data.conflict); status.textContent = "Not autosaved."; return { saved: false, conflict: data.conflict }; }
      if (!data.saved) { status.textContent = `Not autosaved: ${plural(data.errors, "problem")} in the form. Save to see ${data.errors === 1 ? "it" : "them"}.`; return { saved: false, errors: data.errors }; }
      token().value = data.edit_token;
      adoptRows(data.rows);
      kept.body = snapshot();
      warn("");
      const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      status.textContent = `Draft autosaved at ${time}.`;
      return { saved: true };
    }

    window.setInterval(autosave, Number(form.dataset.autosaveSeconds || 30) * 1000);
    form.editorAutosave = autosave;
  }

  /* No edit lost: steps save the form first; leaving a changed form warns ------------------- */

  // Reply, Resolve and the workflow steps are forms of their own beside this one: sent as they
  // are, they would leave this form's edits behind. They wait for the edits to be saved (as a
  // draft, like autosave); when the form cannot be saved, the step is not taken and the form is
  // sent instead, so the error summary names what to fix and nothing typed is lost.
  function setUpSaveFirst() {
    const steps = "form.workflow-step, form.comment-reply, form.comment-resolve";
    window.addEventListener("submit", async (event) => {
      const step = event.target;
      if (!(step instanceof HTMLFormElement) || !step.matches(steps) || !unsaved()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const note = noteFor(step);
      if (!form.editorAutosave) {
        note.textContent = "Save the page first: this form has changes that are not saved.";
        return;
      }
      note.textContent = "Saving your changes first…";
      const outcome = await form.editorAutosave();
      if (outcome.saved && !unsaved()) {
        note.textContent = "";
        step.requestSubmit(event.submitter);
      } else if (outcome.conflict) {
        note.textContent = `Not done: your changes could not be saved. ${outcome.conflict}`;
      } else {
        note.textContent = "Not done: your changes could not be saved. Sending the form to show why…";
        form.requestSubmit(form.querySelector("[name=_continue]"));
      }
    }, true);
  }

  function noteFor(step) {
    let note = step.querySelector("[data-save-first]");
    if (!note) {
      note = document.createElement("p");
      note.className = "save-first-note";
      note.dataset.saveFirst = "";
      note.setAttribute("role", "alert");
      step.append(note);
    }
    return note;
  }

  function setUpLeaveWarning() {
    kept.body = snapshot();
    form.addEventListener("submit", () => { kept.sending = true; });
    window.addEventListener("beforeunload", (event) => {
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  setUpTabs();
  form.querySelectorAll(".inline-group").forEach(setUpOrdering);
  setUpCitations();
  setUpTreatments();
  setUpAutosave();
  setUpErrorSummary();
  setUpLeaveWarning();
  setUpSaveFirst();
  if (!narrow.matches) preview.schedule();
})();
