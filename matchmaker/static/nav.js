/* The menu button of narrow screens: opens and closes the top bar's navigation. No inline script
   (strict CSP); without JavaScript the navigation simply stays open. */
(function () {
  var root = document.documentElement;
  root.classList.add("js");  // the menu collapses only where this script runs
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".nav-toggle");
    var bar = document.querySelector(".topbar");
    if (!button || !bar) return;
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
