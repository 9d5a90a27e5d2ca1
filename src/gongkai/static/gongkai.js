/* gongkai — small progressive enhancements (no inline script anywhere: CSP-friendly).
   Without JavaScript every page works: the menu is simply always open. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 640px)");

  // the portal menu collapses behind a button on phones
  function setupMenu() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (!button || !nav) return;
    button.hidden = false;
    function apply(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("collapsed", !open);
    }
    apply(!narrow.matches);
    button.addEventListener("click", function () {
      apply(button.getAttribute("aria-expanded") !== "true");
    });
    narrow.addEventListener("change", function (e) { apply(!e.matches); });
  }

  // one case action open at a time: opening one closes the others
  function setupActions() {
    var panels = document.querySelectorAll("details.case-action");
    panels.forEach(function (panel) {
      panel.addEventListener("toggle", function () {
        if (!panel.open) return;
        panels.forEach(function (other) { if (other !== panel) other.open = false; });
      });
    });
  }

  // print buttons (receipts, print views)
  function setupPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function ready() { setupMenu(); setupActions(); setupPrint(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
