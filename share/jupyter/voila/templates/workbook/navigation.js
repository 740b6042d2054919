// Moving between steps as a phone user and a keyboard user expect (issue 15). Included inline by
// index.html.j2. The kernel only swaps the step's view (widgets/app.py, go()); what the browser
// does with it is decided here, where the scroll position and the keyboard focus are:
//
// - A new step on screen (Next, Back, a step button or the step menu, "Start a new complaint", a
//   case reopened after a reload): its heading gets keyboard focus (tabindex=-1), so the next Tab
//   reaches the step's first field, not the header. After Next / Back / a jump the heading is
//   brought to the top of the screen: the user was at the bottom of the step they left. When a
//   case first appears (from the start screen) the page only scrolls if the heading is out of
//   view, so the resume code above it stays in sight. A language switch rebuilds the step too: the
//   focus stays on the switch then, and the page does not move.
// - The case bar's "Resume code & downloads" toggle says whether its panel is open (aria-expanded).
// - The address follows the language (?lang=, replaceState: no reload, nothing added to the
//   history), so a reload keeps it; every other parameter stays.
(function () {
  "use strict";
  var shownStep = null;  // the step view element last seen on the page

  function currentStep() {
    return document.querySelector(".wb-app .wb-step");
  }

  // The step's view arrives in pieces (ipywidgets renders children one by one): a heading put at
  // the top before the content under it exists is pulled down again as the page is too short to
  // scroll that far. So it is put back at the top as the rest arrives, for a moment, unless the
  // user scrolls or types meanwhile.
  var SETTLE_MS = 2500;
  var settling = null;  // { heading, until }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, function () { settling = null; }, { capture: true, passive: true });
  });
  function keepAtTop() {
    if (!settling) { return; }
    if (Date.now() > settling.until || !settling.heading.isConnected) { settling = null; return; }
    var top = settling.heading.getBoundingClientRect().top;
    if (Math.abs(top - 8) > 2) { settling.heading.scrollIntoView({ block: "start" }); }
  }

  function bringToTop(heading, navigated) {
    heading.setAttribute("tabindex", "-1");
    if (navigated) {
      // After Next from a step that still needs answers, the note saying what it needs sits just
      // above the new step's heading: both come to the top.
      var notice = document.querySelector(".wb-app .wb-step-notice");
      var anchor = notice && notice.textContent.trim() ? notice : heading;
      anchor.scrollIntoView({ block: "start" });
      settling = { heading: anchor, until: Date.now() + SETTLE_MS };
    } else {
      var box = heading.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) { heading.scrollIntoView({ block: "start" }); }
    }
    heading.focus({ preventScroll: true });
  }

  function syncStep() {
    var step = currentStep();
    if (!step || step === shownStep) { shownStep = step || shownStep; return; }
    var heading = step.querySelector(".wb-step-title");
    if (!heading) { return; }  // its heading is not rendered yet: the next change brings it
    var navigated = shownStep !== null;  // another step was on screen: Next, Back, a jump
    shownStep = step;
    var active = document.activeElement;
    if (active && active.closest && active.closest(".wb-header")) { return; }  // the language switch
    bringToTop(heading, navigated);
  }

  function syncPanelToggle() {
    var toggle = document.querySelector(".wb-case-toggle");
    var panel = document.querySelector(".wb-case-panel");
    if (!toggle || !panel) { return; }
    if (!panel.id) { panel.id = "wb-case-panel"; }
    var expanded = panel.classList.contains("wb-open") ? "true" : "false";
    if (toggle.getAttribute("aria-expanded") !== expanded) { toggle.setAttribute("aria-expanded", expanded); }
    if (toggle.getAttribute("aria-controls") !== panel.id) { toggle.setAttribute("aria-controls", panel.id); }
  }

  function syncLanguageInAddress() {
    var app = document.querySelector(".wb-app");
    var match = app ? /(?:^|\s)wb-lang-(\S+)/.exec(app.className) : null;
    if (!match) { return; }
    var params = new URLSearchParams(window.location.search);
    var language = match[1];
    var current = params.get("lang");
    // The default language needs no parameter, but once one is there it must be right.
    if (current === language || (current === null && language === "zh")) { return; }
    params.set("lang", language);
    window.history.replaceState(window.history.state, "", window.location.pathname + "?" + params.toString() + window.location.hash);
  }

  function onChange() {
    syncStep();
    keepAtTop();
    syncPanelToggle();
    syncLanguageInAddress();
  }

  document.addEventListener("DOMContentLoaded", function () {
    new MutationObserver(onChange).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
    onChange();
  });
})();
