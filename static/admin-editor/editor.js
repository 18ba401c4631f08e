/* The condition editor: sections as tabs, the error summary, ordering by dragging or with the
   arrow keys, the live preview at phone or desktop width, citekey suggestions, the Markdown
   toolbar and rich paste, treatment summaries and autosave.
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
    if (tab.id === "tab-preview") { preview.fit(); preview.refresh(); }
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

    // A table row may have its errors in the row before it and its review comments in the row
    // after it (setUpFieldComments, last()): they move with it.
    const place = (row, before) => {
      const errors = row.previousElementSibling;
      const comments = last(row) === row ? null : last(row);
      const parent = row.parentNode;
      parent.insertBefore(row, before);
      if (errors && errors.classList.contains("row-form-errors")) parent.insertBefore(errors, row);
      if (comments) parent.insertBefore(comments, row.nextSibling);
    };
    const tail = () => { const all = rows(); return all.length ? last(all[all.length - 1]).nextSibling : null; };

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
      place(row, offset < 0 ? all[to] : last(all[to]).nextSibling);
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
        const before = below || (others.length ? last(others[others.length - 1]).nextSibling : tail());
        if (before !== row && before !== last(row).nextSibling) place(row, before);
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
        response = await fetch(form.dataset.previewUrl, { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
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

    // Phone: the reader's 390 px. Desktop: 1280 px, scaled down to the space there is.
    const pane = form.querySelector(".editor-preview");
    const stage = form.querySelector(".preview-stage");
    const DESKTOP_WIDTH = 1280;
    function fit() {
      const desktop = pane.dataset.width === "desktop";
      const scale = desktop && stage.clientWidth ? stage.clientWidth / DESKTOP_WIDTH : 1;
      frame.style.width = desktop ? `${DESKTOP_WIDTH}px` : "";
      frame.style.height = desktop ? `${stage.clientHeight / scale}px` : "";
      frame.style.transform = desktop ? `scale(${scale})` : "";
    }
    function showWidth(width) {
      pane.dataset.width = width;
      form.querySelectorAll("[data-preview-width]").forEach((button) => button.setAttribute("aria-pressed", button.dataset.previewWidth === width ? "true" : "false"));
      try { window.localStorage.setItem("tovani-preview-width", width); } catch (error) { /* private browsing: not remembered */ }
      fit();
    }
    form.querySelectorAll("[data-preview-width]").forEach((button) => button.addEventListener("click", () => showWidth(button.dataset.previewWidth)));
    let remembered = null;
    try { remembered = window.localStorage.getItem("tovani-preview-width"); } catch (error) { /* as above */ }
    showWidth(remembered === "desktop" ? "desktop" : "phone");
    window.addEventListener("resize", fit);

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
      fit();
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
    return { refresh, schedule, fit };
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

  /* Writing aids: a Markdown toolbar above each Markdown text, its shortcuts, and rich paste ---
     Everything they do is ordinary typing into the text area (so Undo undoes it), and what they
     leave is plain Markdown. */

  function setUpWritingAids() {
    const tools = [
      { name: "bold", label: "Bold", face: "<b>B</b>", key: "b", apply: (field) => emphasise(field, "**", "bold text") },
      { name: "italic", label: "Italic", face: "<i>I</i>", key: "i", apply: (field) => emphasise(field, "*", "italic text") },
      { name: "list", label: "Bulleted list", face: "• List", apply: bullets },
      { name: "link", label: "Link", face: "Link", key: "k", apply: link },
      { name: "cite", label: "Cite a reference", face: "[@] Cite", apply: cite },
    ];
    const mac = /Mac|iPhone|iPad/.test(navigator.platform);
    let count = 0;

    function addToolbar(field) {
      if (field.closest(".markdown-field") || field.closest(".empty-form")) return;
      const holder = document.createElement("div");
      holder.className = "markdown-field";
      const bar = document.createElement("div");
      bar.className = "markdown-toolbar";
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-controls", field.id);
      const label = field.id && document.querySelector(`label[for="${field.id}"]`);
      bar.setAttribute("aria-label", `Formatting${label ? ` for ${label.textContent.replace(/:$/, "").trim()}` : ""}`);
      tools.forEach((tool, index) => {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.tool = tool.name;
        button.innerHTML = tool.face;
        button.tabIndex = index === 0 ? 0 : -1;
        const shortcut = tool.key ? `${mac ? "⌘" : "Ctrl+"}${tool.key.toUpperCase()}` : "";
        button.setAttribute("aria-label", tool.label);
        button.title = shortcut ? `${tool.label} (${shortcut})` : tool.label;
        if (tool.key) button.setAttribute("aria-keyshortcuts", `Control+${tool.key.toUpperCase()} Meta+${tool.key.toUpperCase()}`);
        // The text area keeps its focus and selection when the button is clicked.
        button.addEventListener("mousedown", (event) => event.preventDefault());
        button.addEventListener("click", () => tool.apply(field));
        bar.append(button);
      });
      bar.addEventListener("keydown", (event) => {
        const buttons = Array.from(bar.querySelectorAll("button"));
        const at = buttons.indexOf(document.activeElement);
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        let next = null;
        if (step) next = buttons[(at + step + buttons.length) % buttons.length];
        if (event.key === "Home") next = buttons[0];
        if (event.key === "End") next = buttons[buttons.length - 1];
        if (!next) return;
        event.preventDefault();
        buttons.forEach((button) => { button.tabIndex = button === next ? 0 : -1; });
        next.focus();
      });
      field.before(holder);
      holder.append(bar, field);
      count += 1;
    }

    form.querySelectorAll("textarea[data-citations]").forEach(addToolbar);
    document.addEventListener("formset:added", (event) => event.target.querySelectorAll("textarea[data-citations]").forEach(addToolbar));

    form.addEventListener("keydown", (event) => {
      const field = event.target;
      if (!field.matches("textarea[data-citations]") || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const tool = tools.find((candidate) => candidate.key === event.key.toLowerCase());
      if (!tool) return;
      event.preventDefault();
      tool.apply(field);
    });

    form.addEventListener("paste", (event) => {
      const field = event.target;
      if (!field.matches("textarea[data-citations]") || !event.clipboardData) return;
      const html = event.clipboardData.getData("text/html");
      if (!html) return;
      const markdown = htmlToMarkdown(html);
      if (!markdown) return;
      event.preventDefault();
      type(field, field.selectionStart, field.selectionEnd, markdown);
      announce("Pasted as Markdown.");
    });
    return count;
  }

  // Replaces start..end of the field with text as typing would, then selects from..to of it.
  function type(field, start, end, text, from = text.length, to = from) {
    field.focus();
    field.setSelectionRange(start, end);
    if (!document.execCommand("insertText", false, text)) {
      field.setRangeText(text, start, end, "end");
      changed(field);
    }
    field.setSelectionRange(start + from, start + to);
  }

  function emphasise(field, mark, placeholder) {
    let { selectionStart: start, selectionEnd: end, value } = field;
    // A double-click takes the space after a word: keep it outside the marks.
    while (end > start && /\s/.test(value[end - 1])) end -= 1;
    const chosen = value.slice(start, end);
    const single = mark.length === 1;
    const before = value.slice(Math.max(0, start - mark.length), start);
    const after = value.slice(end, end + mark.length);
    const doubled = single && value[start - 2] === "*" && value[end + 1] === "*" && value.slice(start - 3, start) !== "***";
    if (chosen && before === mark && after === mark && !doubled) {
      type(field, start - mark.length, end + mark.length, chosen, 0, chosen.length);
      return;
    }
    const text = chosen || placeholder;
    type(field, start, end, `${mark}${text}${mark}`, mark.length, mark.length + text.length);
  }

  function bullets(field) {
    const { value } = field;
    const start = value.lastIndexOf("\n", field.selectionStart - 1) + 1;
    let end = value.indexOf("\n", field.selectionEnd);
    if (end === -1 || (field.selectionEnd > field.selectionStart && value[field.selectionEnd - 1] === "\n")) end = end === -1 ? value.length : field.selectionEnd - 1;
    const lines = value.slice(start, end).split("\n");
    const filled = lines.filter((line) => line.trim());
    const listed = filled.length && filled.every((line) => /^\s*[-*+] /.test(line));
    let text = listed
      ? lines.map((line) => line.replace(/^(\s*)[-*+] /, "$1")).join("\n")
      : lines.map((line) => (line.trim() || lines.length === 1 ? `- ${line}` : line)).join("\n");
    // A list straight after a paragraph needs a blank line before it to be a list.
    const previous = value.slice(0, Math.max(0, start - 1)).split("\n").pop();
    if (!listed && start > 0 && previous.trim() && !/^\s*([-*+]|\d+\.) /.test(previous)) text = `\n${text}`;
    type(field, start, end, text, text.length);
  }

  function link(field) {
    const { selectionStart: start, selectionEnd: end, value } = field;
    const chosen = value.slice(start, end).trim();
    if (/^(https?:\/\/|mailto:)\S+$/i.test(chosen)) {
      type(field, start, end, `[link text](${chosen})`, 1, 10);
      return;
    }
    const text = chosen || "link text";
    const written = `[${text}](https://)`;
    // With words chosen, the address is what is left to type; without, the words are.
    if (chosen) type(field, start, end, written, written.length - 1);
    else type(field, start, end, written, 1, 1 + text.length);
  }

  function cite(field) {
    // "[@" opens the reference suggestions, as when typed.
    type(field, field.selectionStart, field.selectionEnd, "[@]", 2);
    changed(field); // told again with the caret after the @, where the suggestions look
  }

  /* Rich text pasted from a word processor or a web page, as Markdown -------------------------
     Headings, lists, links, bold and italic, tables and quotes become their Markdown; what the
     page's sanitizer would drop whole (scripts, styles, images, frames) is dropped; any other
     markup leaves only its text, as the sanitizer would. */

  const DROPPED = new Set(["script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "head", "title", "meta", "link", "img", "picture", "video", "audio", "canvas", "button", "input", "select", "textarea", "form"]);
  const BLOCKS = new Set(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote", "pre", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "figcaption", "dl", "dt", "dd", "hr", "body", "html", "center", "address"]);
  const BREAK = "\u0000";

  function htmlToMarkdown(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const out = [];
    blocksOf(doc.body, out);
    return out
      .map((block, index) => (index && block.item && out[index - 1].item ? "\n" : index ? "\n\n" : "") + block.text)
      .join("")
      .trim();
  }

  const styleOf = (node) => (node.getAttribute("style") || "").toLowerCase().replace(/\s+/g, "");
  const skipped = (node) => node.nodeType === 1 && (DROPPED.has(node.localName) || /display:none|mso-list:ignore/.test(styleOf(node)));

  function tidy(text) {
    return text
      .replace(/[ \t\r\n\u00a0]+/g, " ")
      .replace(new RegExp(` ?${BREAK} ?`, "g"), BREAK)
      .trim()
      .replace(new RegExp(`^${BREAK}+|${BREAK}+$`, "g"), "")
      .replace(new RegExp(BREAK, "g"), "  \n")
      .trim();
  }

  function blocksOf(parent, out) {
    let line = "";
    const flush = () => { const text = tidy(line); if (text) out.push({ text }); line = ""; };
    Array.from(parent.childNodes).forEach((node) => {
      if (skipped(node)) return;
      const tag = node.nodeType === 1 ? node.localName : "";
      if (!BLOCKS.has(tag)) { line += inline(node, {}); return; }
      flush();
      if (/^h[1-6]$/.test(tag)) {
        const text = tidy(inlineChildren(node, {}));
        if (text) out.push({ text: `${Number(tag[1]) <= 3 ? "###" : "####"} ${text}` });
      } else if (tag === "ul" || tag === "ol") {
        const text = list(node, 0);
        if (text) out.push({ text });
      } else if (tag === "table") {
        const text = table(node);
        if (text) out.push({ text });
      } else if (tag === "blockquote") {
        const inner = [];
        blocksOf(node, inner);
        if (inner.length) out.push({ text: inner.map((b) => b.text).join("\n\n").split("\n").map((l) => `> ${l}`).join("\n") });
      } else if (tag === "pre") {
        const text = node.textContent.replace(/\n+$/, "");
        if (text.trim()) out.push({ text: text.split("\n").map((l) => `    ${l}`).join("\n") });
      } else if (tag === "p" && wordListLevel(node)) {
        const text = tidy(inlineChildren(node, {}));
        if (text) out.push({ item: true, text: `${"    ".repeat(wordListLevel(node) - 1)}${wordListOrdered(node) ? "1." : "-"} ${text}` });
      } else if (tag !== "hr") {
        blocksOf(node, out);
      }
    });
    flush();
  }

  // Word writes a list as paragraphs marked mso-list, each with its bullet in a span to ignore.
  function wordListLevel(node) {
    const style = styleOf(node);
    if (!/mso-list:l\d/.test(style) && !/^MsoListParagraph/.test(node.className)) return 0;
    const level = style.match(/level(\d+)/);
    return level ? Number(level[1]) : 1;
  }

  function wordListOrdered(node) {
    const marker = Array.from(node.querySelectorAll("span")).find((span) => /mso-list:ignore/.test(styleOf(span)));
    return Boolean(marker && /^\s*[\da-z]+[.)]/i.test(marker.textContent.replace(/\u00a0/g, " ")));
  }

  function list(node, depth) {
    const ordered = node.localName === "ol";
    const indent = "    ".repeat(depth);
    const lines = [];
    Array.from(node.children).filter((child) => child.localName === "li").forEach((item, index) => {
      const nested = [];
      let text = "";
      Array.from(item.childNodes).forEach((child) => {
        if (skipped(child)) return;
        if (child.nodeType === 1 && (child.localName === "ul" || child.localName === "ol")) nested.push(list(child, depth + 1));
        else text += ` ${inline(child, {})} `;
      });
      text = tidy(text);
      if (text) lines.push(`${indent}${ordered ? `${index + 1}.` : "-"} ${text}`);
      lines.push(...nested.filter(Boolean));
    });
    return lines.join("\n");
  }

  function table(node) {
    const rows = Array.from(node.querySelectorAll("tr")).filter((row) => row.closest("table") === node);
    const cells = rows
      .map((row) => Array.from(row.children).filter((cell) => /^t[hd]$/.test(cell.localName)).map((cell) => tidy(inlineChildren(cell, {})).replace(/\n/g, " ").replace(/\|/g, "\\|")))
      .filter((row) => row.length);
    if (!cells.length) return "";
    const width = Math.max(...cells.map((row) => row.length));
    const line = (row) => `| ${Array.from({ length: width }, (_, i) => row[i] || "").join(" | ")} |`;
    const caption = node.querySelector("caption");
    const title = caption ? tidy(inlineChildren(caption, {})) : "";
    return [
      ...(title ? [`Table: ${title}`, ""] : []),
      line(cells[0]),
      `| ${Array(width).fill("---").join(" | ")} |`,
      ...cells.slice(1).map(line),
    ].join("\n");
  }

  function inlineChildren(node, within) {
    return Array.from(node.childNodes).map((child) => inline(child, within)).join("");
  }

  function inline(node, within) {
    if (node.nodeType === 3) return node.nodeValue.replace(/[\\`*_]/g, "\\$&").replace(/</g, "&lt;");
    if (node.nodeType !== 1 || skipped(node)) return "";
    const tag = node.localName;
    const style = styleOf(node);
    if (tag === "br") return BREAK;
    if (tag === "caption") return "";
    if (tag === "code" || tag === "kbd" || tag === "samp") return node.textContent.trim() ? `\`${node.textContent.replace(/`/g, "")}\`` : "";
    if (tag === "sup" || tag === "sub") return `<${tag}>${inlineChildren(node, within)}</${tag}>`;
    if (tag === "a") {
      const href = (node.getAttribute("href") || "").trim();
      const text = inlineChildren(node, within);
      return /^(https?:\/\/|mailto:)[^\s()]+$/i.test(href) && tidy(text) ? `[${tidy(text)}](${href})` : text;
    }
    const bold = !within.bold && (/^(b|strong)$/.test(tag) ? !/font-weight:(normal|[1-4]00)/.test(style) : /font-weight:(bold|[6-9]00)/.test(style));
    const italic = !within.italic && (/^(i|em|cite|dfn)$/.test(tag) ? !/font-style:normal/.test(style) : /font-style:italic/.test(style));
    let text = inlineChildren(node, { bold: within.bold || bold, italic: within.italic || italic });
    if (italic) text = mark(text, "*");
    if (bold) text = mark(text, "**");
    return BLOCKS.has(tag) ? ` ${text} ` : text;
  }

  // Marks go around the words, not the spaces at either end, or Markdown ignores them.
  function mark(text, marker) {
    const parts = text.match(/^(\s*)([\s\S]*?)(\s*)$/);
    return parts[2] && parts[2] !== BREAK ? `${parts[1]}${marker}${parts[2]}${marker}${parts[3]}` : text;
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
    form.querySelectorAll("#condition_treatments-group .inline-related:not(.empty-form)").forEach(onePath);
    document.addEventListener("formset:added", (event) => { if (event.detail.formsetName === "condition_treatments") onePath(event.target); });
    // Select2's own events: they follow the editor's choice, not the widget's start-up.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("select2:select select2:clear", 'select[name$="-treatment"]', function () { show(this); });
    }
  }

  // A treatment comes from the library or is new: the row shows one way at a time. The other
  // way's fields are disabled, so what it holds is kept on the screen but neither sent nor
  // checked.
  function onePath(row) {
    const picked = row.querySelector(".form-row.field-treatment");
    const fresh = Array.from(row.querySelectorAll(".form-row.field-new_treatment_name, .form-row.field-new_treatment_summary"));
    const shared = row.querySelector(".form-row.field-shared_summary");
    if (!picked || !fresh.length || row.querySelector(".treatment-path")) return;
    const name = `treatment-path-${row.id}`;
    const choice = document.createElement("fieldset");
    choice.className = "treatment-path";
    choice.innerHTML = `<legend>The treatment</legend>
      <label><input type="radio" name="${name}" value="library" form="treatment-path-only"> from the library</label>
      <label><input type="radio" name="${name}" value="new" form="treatment-path-only"> a new treatment</label>`;
    picked.before(choice);
    function show(way) {
      const library = way === "library";
      [picked, shared].filter(Boolean).forEach((part) => { part.hidden = !library; });
      fresh.forEach((part) => {
        part.hidden = library;
        part.querySelectorAll("input, select, textarea").forEach((field) => { field.disabled = library; });
      });
      picked.querySelectorAll("select").forEach((field) => { field.disabled = !library; });
      choice.querySelector(`input[value=${way}]`).checked = true;
    }
    const typed = row.querySelector("input[name$='-new_treatment_name']");
    // Again after a new page's text is restored into the row.
    row.showTreatmentPath = () => show(typed && typed.value.trim() ? "new" : "library");
    row.showTreatmentPath();
    choice.addEventListener("change", (event) => { show(event.target.value); changed(event.target); });
  }

  /* Autosave and the warning that someone else saved ---------------------------------------- */

  function setUpAutosave() {
    if (!form.dataset.autosaveUrl) return;
    const url = () => form.dataset.autosaveUrl;
    const adding = () => "adding" in form.dataset;
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

    // A new page is not on the server yet: the first autosave that validates creates it, and
    // the form goes on as that page's change form.
    function becomeSaved(created) {
      delete form.dataset.adding;
      form.dataset.autosaveUrl = created.autosave;
      form.dataset.previewUrl = created.preview;
      form.setAttribute("action", created.change);
      window.history.replaceState(null, "", created.change);
      localDraft.forget();
    }

    let busy = false;
    async function autosave() {
      if (kept.sending) return { saved: false };
      const now = snapshot();
      if (now === kept.body) {
        if (adding()) return { saved: true };
        const response = await fetch(`${url()}?edit_token=${encodeURIComponent(token().value)}`, { credentials: "same-origin" });
        if (response.ok) warn((await response.json()).conflict);
        return { saved: true };
      }
      // One at a time: two first autosaves of a new page would make it twice.
      if (busy) return { saved: false };
      busy = true;
      let response;
      try {
        response = await fetch(url(), { method: "POST", body: formBody(), credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
      } catch (error) {
        response = null;
      } finally {
        busy = false;
      }
      if (!response || !response.ok) { status.textContent = "Autosave could not reach the server; your changes are still in this form."; return { saved: false }; }
      const data = await response.json();
      if (data.conflict) { warn(data.conflict); status.textContent = "Not autosaved."; return { saved: false, conflict: data.conflict }; }
      if (!data.saved) {
        status.textContent = adding()
          ? "Kept in this browser until the form can be saved as a draft; then it is autosaved."
          : `Not autosaved: ${plural(data.errors, "problem")} in the form. Save to see ${data.errors === 1 ? "it" : "them"}.`;
        return { saved: false, errors: data.errors };
      }
      if (!token()) {
        // The add form has none: the page's change form does, so later saves are checked.
        form.append(Object.assign(document.createElement("input"), { type: "hidden", name: "edit_token" }));
      }
      token().value = data.edit_token;
      adoptRows(data.rows);
      if (data.created) becomeSaved(data.created);
      kept.body = snapshot();
      warn("");
      // The server names the time in the zone the admin shows every time in, not the browser's.
      status.textContent = `Draft autosaved at ${data.saved_at}.`;
      return { saved: true };
    }

    window.setInterval(autosave, Number(form.dataset.autosaveSeconds || 30) * 1000);
    // A new page is worth keeping as soon as it can be: tried each time typing pauses.
    let pause = null;
    form.addEventListener("input", () => {
      if (!adding()) return;
      window.clearTimeout(pause);
      pause = window.setTimeout(autosave, 2000);
    });
    form.editorAutosave = autosave;
  }

  /* A new page's text, kept in this browser until its first save ----------------------------
     Keyed to the user and the add form; restored on return with a message and a way to discard
     it; forgotten once the page is saved (the change page it leads to says so). */

  const localDraft = (function () {
    const key = form.dataset.localDraft ? `tovani-editor-draft:${form.dataset.localDraft}` : null;
    const SUBMITTED = "tovani-editor-draft-submitted";
    const store = (action) => { try { return action(); } catch (error) { return null; } };
    const skipped = /(^csrfmiddlewaretoken$|^edit_token$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-__prefix__-)/;
    let timer = null;
    let blank = null; // the untouched add form: nothing worth keeping

    function forget() {
      if (key) store(() => window.localStorage.removeItem(key));
    }

    function keep() {
      if (!key || !("adding" in form.dataset) || kept.sending) return;
      const fields = Array.from(formBody()).filter(([name, value]) => typeof value === "string" && !skipped.test(name));
      const totals = {};
      form.querySelectorAll("input[name$='-TOTAL_FORMS']").forEach((input) => { totals[input.name.replace(/-TOTAL_FORMS$/, "")] = input.value; });
      // Autocomplete lists hold only what is chosen: keep the words shown with each choice.
      const shown = {};
      form.querySelectorAll("select").forEach((select) => {
        Array.from(select.selectedOptions).forEach((option) => { shown[`${select.name}\u0000${option.value}`] = option.textContent; });
      });
      if (blank !== null && snapshot() === blank) { forget(); return; }
      store(() => window.localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), fields, totals, shown })));
    }

    function restore(draft) {
      Object.entries(draft.totals || {}).forEach(([prefix, total]) => {
        const group = document.getElementById(`${prefix}-group`);
        const count = form.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
        const add = group && group.querySelector(".add-row a");
        for (let n = Number(count ? count.value : total); add && n < Number(total); n += 1) add.click();
      });
      const pairs = new Set(draft.fields.map(([name, value]) => `${name}\u0000${value}`));
      const values = new Map(draft.fields);
      form.querySelectorAll("input, select, textarea").forEach((field) => {
        if (!field.name || skipped.test(field.name) || field.type === "hidden" && !/sort_order$/.test(field.name)) return;
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = pairs.has(`${field.name}\u0000${field.value}`);
        } else if (field.tagName === "SELECT") {
          draft.fields.filter(([name]) => name === field.name).forEach(([, value]) => {
            if (!Array.from(field.options).some((option) => option.value === value)) {
              field.append(new Option(draft.shown[`${field.name}\u0000${value}`] || value, value));
            }
          });
          Array.from(field.options).forEach((option) => { option.selected = pairs.has(`${field.name}\u0000${option.value}`); });
          if (window.django && window.django.jQuery) window.django.jQuery(field).trigger("change");
        } else if (values.has(field.name) && field.type !== "submit") {
          field.value = values.get(field.name);
        }
      });
      form.querySelectorAll(".inline-group").forEach((group) => group.editorOrdering && group.editorOrdering.layOut());
      form.querySelectorAll(".inline-related").forEach((row) => row.showTreatmentPath && row.showTreatmentPath());
      changed(form.querySelector("textarea, input:not([type=hidden])"));
    }

    function tell(draft) {
      const note = document.createElement("div");
      note.className = "local-draft";
      note.setAttribute("role", "status");
      const when = new Date(draft.at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
      const text = document.createElement("p");
      text.textContent = `Restored what you typed here on ${when}, before this page was first saved. It is not saved yet.`;
      const discard = Object.assign(document.createElement("button"), { type: "button", className: "button", textContent: "Discard it and start again" });
      discard.addEventListener("click", () => {
        forget();
        kept.sending = true; // nothing to warn about: discarding is the point
        window.location.replace(window.location.href);
      });
      note.append(text, discard);
      form.querySelector(".editor-layout").before(note);
    }

    function setUp() {
      if (!key) return;
      const submitted = store(() => window.sessionStorage.getItem(SUBMITTED)) === key;
      store(() => window.sessionStorage.removeItem(SUBMITTED));
      if (!("adding" in form.dataset)) {
        // A change page this tab reached by saving the new page: the save kept it.
        if (submitted) forget();
        return;
      }
      form.addEventListener("submit", () => store(() => window.sessionStorage.setItem(SUBMITTED, key)));
      form.addEventListener("input", () => { window.clearTimeout(timer); timer = window.setTimeout(keep, 300); });
      form.addEventListener("change", () => { window.clearTimeout(timer); timer = window.setTimeout(keep, 300); });
      window.addEventListener("pagehide", keep);
      if ("bound" in form.dataset) { keep(); return; } // a failed save: the form holds it all
      blank = snapshot();
      const draft = store(() => JSON.parse(window.localStorage.getItem(key) || "null"));
      if (!draft || !Array.isArray(draft.fields)) return;
      // After the admin's inline script has put in the links that add rows: its jQuery ready
      // handler was registered first, so it runs first.
      const put = () => { restore(draft); tell(draft); keep(); };
      if (window.django && window.django.jQuery) window.django.jQuery(put);
      else put();
    }

    return { setUp, forget };
  })();

  /* Review comments beside their fields -----------------------------------------------------
     The page's open comments come in the workflow panel, each part marked with the id of the
     field it is about (conditions.admin_comments). Each goes beside that field, in its section;
     the panel keeps a link to it. Reply and Resolve name forms of their own outside this one. */

  function setUpFieldComments() {
    const moved = [];
    document.querySelectorAll("article.comment-part[data-beside]").forEach((part, index) => {
      const field = document.getElementById(part.dataset.beside);
      if (!field || !form.contains(field)) return;
      const box = document.createElement("div");
      box.className = "field-comments";
      box.id = `field-comments-${index + 1}`;
      box.tabIndex = -1;
      const row = field.closest("tr");
      if (row) {
        // A table's row: the comment takes a row of its own under it, the table's full width.
        const line = document.createElement("tr");
        line.className = "comment-row";
        const cell = document.createElement("td");
        cell.colSpan = row.children.length;
        cell.append(box);
        line.append(cell);
        last(row).after(line);
      } else {
        (field.closest(".form-row") || field).after(box);
      }
      const link = document.createElement("a");
      link.href = `#${box.id}`;
      link.dataset.section = part.dataset.section;
      link.textContent = part.querySelector("h4").textContent;
      const tab = tabs.find((candidate) => candidate.dataset.tab === `panel-${part.dataset.section}`);
      const where = document.createElement("li");
      where.append(link, ` — beside its field in “${tab ? tab.firstChild.textContent.trim() : "the form"}”`);
      moved.push(where);
      box.append(part);
    });
    const panel = document.querySelector(".review-comments");
    if (!moved.length || !panel) return;
    const list = document.createElement("ul");
    list.className = "moved-comments";
    list.append(...moved);
    const note = document.createElement("p");
    note.textContent = "Open comments stand beside the fields they are about:";
    panel.querySelector("h3").after(note, list);
    list.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-section]");
      if (!link) return;
      event.preventDefault();
      showSection(link.dataset.section);
      const box = document.getElementById(link.getAttribute("href").slice(1));
      box.scrollIntoView({ block: "center" });
      box.focus({ preventScroll: true });
    });
  }

  // A table row, or the row of review comments under it: what follows the row on the screen.
  const last = (row) => (row.nextElementSibling && row.nextElementSibling.classList.contains("comment-row") ? row.nextElementSibling : row);

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
      const note = noteFor(step, event.submitter);
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

  function noteFor(step, submitter) {
    // Reply and Resolve stand apart from their (empty) forms: the note goes beside the button.
    const place = submitter && !step.contains(submitter) ? submitter.closest("[data-comment-actions]") || submitter.parentElement : step;
    let note = place.querySelector("[data-save-first]");
    if (!note) {
      note = document.createElement("p");
      note.className = "save-first-note";
      note.dataset.saveFirst = "";
      note.setAttribute("role", "alert");
      place.append(note);
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
  setUpFieldComments();
  setUpCitations();
  setUpWritingAids();
  setUpTreatments();
  setUpAutosave();
  setUpErrorSummary();
  setUpLeaveWarning();
  localDraft.setUp();
  setUpSaveFirst();
  if (!narrow.matches) preview.schedule();
})();
