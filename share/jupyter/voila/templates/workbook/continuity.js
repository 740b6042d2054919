// Keeps a person with their case when the connection, the tab or a second window gets in the way
// (issue 11). Included inline by index.html.j2, so it is on the page before the kernel can die.
//
// - The kernel may be the thing that dies, so loss of the connection is noticed here, in the page:
//   through the kernel connection of Voilà's widget manager (window.jupyterapp.widgetManager.kernel,
//   @jupyterlab/services' KernelConnection), whose signals fire as soon as the websocket closes
//   (server gone, kernel culled) or the server reports the kernel restarting or dead (kernel
//   killed: the server's restarter notices within KernelRestarter.time_to_dead, voila.json).
//   That is immediate but cannot see a network that silently stops answering (a phone changing
//   networks, a server that hangs), so a light heartbeat asks the server for this kernel's model
//   every few seconds as well: a refused connection or a 404 means gone at once; requests that
//   time out three times in a row mean gone too (once or twice could be a server busy with a
//   roomful of arrivals, and a false alarm would cost the user a reload).
//   Then: a role="alert" banner in the page's language, with the resume code and "reload and
//   continue", the page made inert, and no "Saved" status left in view.
// - This tab's case is kept in sessionStorage (per tab, never sent anywhere), so a reload, Back /
//   Forward or a tab the phone discarded reopens it without the code: the page hands the code to
//   the kernel through a hidden text field (.wb-bridge) and keeps the loading screen up meanwhile.
//   "Remember this complaint on this device" (off by default) keeps it in localStorage instead, and
//   the start page then offers it, with "forget it".
// - A window whose case was saved elsewhere shows the kernel's conflict alert (.wb-conflict-alert);
//   everything else on the page is made inert until the newer version is loaded.
// - Voilà shuts a page's kernel down when the page closes, with a POST that must carry the _xsrf
//   cookie's value; Voilà's page never sets that cookie, so every shutdown was refused (403). The
//   check is a double-submit one (cookie equals form field), so a random token set here does it.
(function () {
  "use strict";
  var TAB_KEY = "workbook.case";                // this tab's case: sessionStorage
  var TAB_STEP_KEY = "workbook.step";           // and the step it was on (its index)
  var DEVICE_KEY = "workbook.rememberedCase";   // only when the user ticks "remember": localStorage
  var HEARTBEAT_MS = 3000;
  var HEARTBEAT_TIMEOUT_MS = 5000;
  var HEARTBEAT_TIMEOUTS_MEANING_GONE = 3;
  // The loading screen never stays up for longer. The in-browser edition (make lite) sets its own:
  // Python starts in the page there, which can take longer than 30 s on a slow or busy device.
  var REOPEN_PATIENCE_MS = window.wbReopenPatienceMs || 30000;
  var params = new URLSearchParams(window.location.search);
  var html = document.documentElement;

  function store(kind) {
    try { return window[kind]; } catch (error) { return null; }  // storage can be disabled
  }
  function read(kind, key) {
    var s = store(kind);
    try { return s ? s.getItem(key) : null; } catch (error) { return null; }
  }
  function write(kind, key, value) {
    var s = store(kind);
    try { if (s) { if (value) { s.setItem(key, value); } else { s.removeItem(key); } } } catch (error) { /* full or disabled */ }
  }

  // -- the _xsrf cookie Voilà's shutdown-on-close needs ------------------------------------------
  var baseUrl = (document.body.getAttribute("data-base-url") || "/voila/").replace(/voila\/$/, "");
  if (!/(^|;\s*)_xsrf=/.test(document.cookie) && window.crypto && window.crypto.getRandomValues) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var token = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    document.cookie = "_xsrf=" + token + "; path=" + baseUrl + "; SameSite=Strict";
  }

  // -- reopening this tab's case ----------------------------------------------------------------
  // A link that names what to open (?case=, ?scenario=, ?module=) wins over the tab's memory.
  var explicit = params.has("case") || params.has("scenario") || params.has("module");
  var reopenCode = explicit ? null : read("sessionStorage", TAB_KEY);
  var reopenSent = false;
  var pageShown = false;
  var finishPage = window.voila_finish;
  var finishAsked = false;
  var waiting = Boolean(reopenCode);
  if (waiting) {
    html.classList.add("wb-reopening");
    // Voilà shows the page when it has been sent (voila_finish): keep the loading screen until the
    // case is open, so nobody is invited to start a new case in the meantime.
    window.voila_finish = function () { finishAsked = true; if (!waiting) { showPage(); } };
    window.setTimeout(stopWaiting, REOPEN_PATIENCE_MS);
  }
  function showPage() {
    if (pageShown) { return; }
    pageShown = true;
    finishPage();
  }
  function stopWaiting() {
    if (!waiting) { return; }
    waiting = false;
    html.classList.remove("wb-reopening");
    if (finishAsked) { showPage(); }
  }
  function sendToKernel(code) {
    var input = document.querySelector(".wb-bridge input");
    if (!input) { return false; }
    input.value = code;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  // -- what the page learns from the kernel's widgets ---------------------------------------------
  // The workbook's root carries its language as classes (widgets/common.py mark_language):
  // wb-lang-<code> and wb-html-lang-<BCP 47 tag>, from the language's file in data/i18n/.
  function languageClass(element, prefix) {
    var name = Array.prototype.find.call(element.classList, function (c) { return c.indexOf(prefix) === 0; });
    return name ? name.slice(prefix.length) : null;
  }
  function onPageChanged() {
    var app = document.querySelector(".wb-app");
    var htmlLang = app && languageClass(app, "wb-html-lang-");
    if (htmlLang) { html.lang = htmlLang; }
    var codeElement = document.querySelector(".wb-code-value");
    var code = codeElement ? codeElement.textContent.trim() : "";
    if (code) {
      write("sessionStorage", TAB_KEY, code);
      var steps = Array.prototype.slice.call(document.querySelectorAll(".wb-steps .jupyter-button"));
      var current = steps.findIndex(function (button) { return button.classList.contains("mod-primary"); });
      if (current >= 0) { write("sessionStorage", TAB_STEP_KEY, String(current)); }
      if (params.has("scenario")) {
        // The practice case exists now: a reload must continue it (from the tab's memory), not
        // start another one.
        params.delete("scenario");
        var query = params.toString();
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
      stopWaiting();
    }
    if (waiting && !reopenSent && sendToKernel(reopenCode + "#" + (read("sessionStorage", TAB_STEP_KEY) || "0"))) { reopenSent = true; }
    if (document.querySelector(".wb-bridge.wb-reopen-failed")) {
      if (read("sessionStorage", TAB_KEY) === reopenCode) { write("sessionStorage", TAB_KEY, null); }
      stopWaiting();
    }
    syncDeviceControls(code);
    syncRemembered();
    syncConflict();
  }

  // "Remember this complaint on this device" beside the code, and "close this complaint".
  function syncDeviceControls(code) {
    var box = document.querySelector(".wb-remember-box");
    if (box && !box.wbBound) {
      box.wbBound = true;
      box.addEventListener("change", function () {
        var current = document.querySelector(".wb-code-value");
        if (!current) { return; }
        var value = current.textContent.trim();
        if (box.checked) {
          write("localStorage", DEVICE_KEY, value);
        } else if (read("localStorage", DEVICE_KEY) === value) {
          write("localStorage", DEVICE_KEY, null);
        }
      });
    }
    if (box && code) { box.checked = read("localStorage", DEVICE_KEY) === code; }
    var close = document.querySelector(".wb-close-case");
    if (close && !close.wbBound) {
      close.wbBound = true;
      close.addEventListener("click", function () {
        write("sessionStorage", TAB_KEY, null);
        var app = document.querySelector(".wb-app");
        var lang = (app && languageClass(app, "wb-lang-")) || "";
        window.location.assign(window.location.pathname + (lang ? "?lang=" + encodeURIComponent(lang) : ""));
      });
    }
  }

  // The start page's offer of the case this device remembers.
  function syncRemembered() {
    var box = document.querySelector(".wb-remembered");
    if (!box || box.wbBound) { return; }
    box.wbBound = true;
    var remembered = read("localStorage", DEVICE_KEY);
    if (!remembered) { return; }
    box.querySelector(".wb-remembered-code").textContent = remembered.slice(-4);
    box.hidden = false;
    box.querySelector(".wb-remembered-open").addEventListener("click", function () {
      sendToKernel(read("localStorage", DEVICE_KEY) || "");
    });
    box.querySelector(".wb-remembered-forget").addEventListener("click", function () {
      write("localStorage", DEVICE_KEY, null);
      box.hidden = true;
      var status = document.querySelector(".wb-remembered-status");
      if (status) { status.textContent = text("forgotten"); }
    });
  }

  // -- making the page inert --------------------------------------------------------------------
  // inert takes an element and everything inside it out of reach (focus, clicks, typing, screen
  // readers). It cannot be undone for one descendant, so to keep one element usable, its siblings
  // at every level up to #rendered_cells are made inert instead.
  var inertByConflict = [];
  function makeInert(element, list) {
    element.inert = true;
    element.classList.add("wb-inert");
    list.push(element);
  }
  function blockAllBut(keep, list) {
    var root = document.getElementById("rendered_cells");
    var node = keep;
    while (node && node !== root && node.parentElement) {
      Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
        if (sibling !== node && !sibling.inert && !/^(SCRIPT|STYLE)$/.test(sibling.tagName)) { makeInert(sibling, list); }
      });
      node = node.parentElement;
    }
  }
  function release(list) {
    list.splice(0).forEach(function (element) { element.inert = false; element.classList.remove("wb-inert"); });
  }
  function syncConflict() {
    var alert = document.querySelector(".wb-conflict-alert");
    if (alert && !inertByConflict.length) {
      blockAllBut(alert, inertByConflict);
      if (document.activeElement && document.activeElement !== document.body) { document.activeElement.blur(); }
      alert.scrollIntoView({ block: "start" });
    } else if (!alert && inertByConflict.length) {
      release(inertByConflict);
    }
  }

  // -- connection loss ----------------------------------------------------------------------------
  var leaving = false;  // a reload or a closed tab also closes the websocket: that is no loss
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("pageshow", function (event) {
    leaving = false;
    // Back/Forward from the browser's page cache: Voilà shut this page's kernel down when it was
    // left, so load it afresh instead; the tab's memory reopens the case.
    if (event.persisted) { window.location.reload(); }
  });
  var lostAt = null;

  function text(name) {
    var holder = document.querySelector(".wb-page-texts");
    return holder ? holder.getAttribute("data-" + name) || "" : "";
  }
  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function connectionLost(reason) {
    if (leaving || lostAt !== null || !text("lost-title")) { return; }
    lostAt = Date.now();
    html.classList.add("wb-connection-lost");
    html.setAttribute("data-wb-lost-reason", reason);
    var status = document.querySelector(".wb-status[data-wb-saved-at]");
    var savedAt = status ? status.getAttribute("data-wb-saved-at") : "";
    var codeElement = document.querySelector(".wb-code-value");
    var banner = element("div", "wb-lost-banner");
    banner.id = "wb-lost-banner";
    banner.setAttribute("role", "alert");
    banner.appendChild(element("strong", "wb-lost-title", text("lost-title")));
    banner.appendChild(element("p", "", savedAt ? text("lost-since").replace("{time}", savedAt) : text("lost-unsaved")));
    if (codeElement) {
      var codeLine = element("p", "", text("lost-code") + " ");
      codeLine.appendChild(element("strong", "wb-lost-code", codeElement.textContent.trim()));
      banner.appendChild(codeLine);
    }
    var reload = element("button", "wb-lost-reload", text("reload"));
    reload.type = "button";
    reload.addEventListener("click", function () { window.location.reload(); });
    banner.appendChild(reload);
    banner.appendChild(element("p", "wb-lost-hint", text("lost-hint")));
    // Nothing more can be typed into a page that cannot save it; old browsers without inert get
    // their fields disabled as well.
    var cells = document.getElementById("rendered_cells");
    if (cells) {
      cells.inert = true;
      cells.setAttribute("aria-hidden", "true");
      Array.prototype.forEach.call(cells.querySelectorAll("input, textarea, select, button"), function (control) { control.disabled = true; });
    }
    document.body.insertBefore(banner, document.body.firstChild);
    reload.focus();
  }

  function watchKernel() {
    var app = window.jupyterapp;
    var kernel = app && app.widgetManager && app.widgetManager.kernel;
    if (!kernel || !kernel.connectionStatusChanged) { window.setTimeout(watchKernel, 250); return; }
    var connected = kernel.connectionStatus === "connected";
    kernel.connectionStatusChanged.connect(function (_sender, status) {
      if (status === "connected") { connected = true; } else if (connected) { connectionLost("websocket-" + status); }
    });
    kernel.statusChanged.connect(function (_sender, status) {
      if (status === "dead" || status === "restarting" || status === "autorestarting") { connectionLost("kernel-" + status); }
    });
  }

  function kernelId() {
    try { return JSON.parse(document.getElementById("jupyter-config-data").textContent).kernelId; } catch (error) { return null; }
  }
  var timeouts = 0;
  function heartbeat() {
    var id = kernelId();
    if (!id || lostAt !== null || leaving) { return; }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) { controller.abort(); } }, HEARTBEAT_TIMEOUT_MS);
    window.fetch(baseUrl + "api/kernels/" + encodeURIComponent(id), { cache: "no-store", credentials: "same-origin", signal: controller ? controller.signal : undefined })
      .then(function (response) {
        window.clearTimeout(timer);
        timeouts = 0;
        if (response.status === 404) { connectionLost("kernel-gone"); }
      })
      .catch(function (error) {
        window.clearTimeout(timer);
        if (error && error.name === "AbortError") {
          timeouts += 1;
          if (timeouts >= HEARTBEAT_TIMEOUTS_MEANING_GONE) { connectionLost("heartbeat-timeout"); }
        } else {
          connectionLost("server-unreachable");
        }
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    new MutationObserver(onPageChanged).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
    onPageChanged();
    watchKernel();
    window.setInterval(heartbeat, HEARTBEAT_MS);
  });
  window.addEventListener("offline", function () { connectionLost("offline"); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { heartbeat(); } });
})();
