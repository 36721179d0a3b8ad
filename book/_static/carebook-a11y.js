/* carebook: names for the theme's controls that have none a screen reader can read
   (WCAG 2.2: 4.1.2 name, role, value; 2.5.3 label in name). */
(function () {
  function name() {
    document.querySelectorAll("details > summary").forEach(function (summary) {
      if (!summary.textContent.trim() && !summary.getAttribute("aria-label")) {
        summary.setAttribute("aria-label", "Pages in this section");
      }
    });
    document.querySelectorAll("button[aria-label], a[aria-label]").forEach(function (control) {
      var shown = (control.innerText || "").replace(/\s+/g, " ").trim();
      var label = control.getAttribute("aria-label");
      if (shown && label.toLowerCase().indexOf(shown.toLowerCase()) === -1) {
        control.setAttribute("aria-label", shown.toLowerCase().indexOf(label.toLowerCase()) === 0 ? shown : shown + " (" + label + ")");
      }
    });
    document.querySelectorAll("button[aria-label]").forEach(function (button) {
      // a button drawn as icons with titles ("Light"): named by its label and the icon shown
      if (button.querySelector("svg title") && !button.dataset.carebookNamed) {
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = button.getAttribute("aria-label") + ": ";
        button.insertBefore(hidden, button.firstChild);
        button.removeAttribute("aria-label");
        button.dataset.carebookNamed = "1";
      }
    });
    var sidebar = document.querySelector(".bd-sidebar-primary");
    if (sidebar && !sidebar.getAttribute("role")) {
      sidebar.setAttribute("role", "complementary");
      sidebar.setAttribute("aria-label", "Contents of the book");
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", name); } else { name(); }
  window.addEventListener("load", function () { name(); [0, 200, 1000].forEach(function (ms) { setTimeout(name, ms); }); });  // icons the theme draws late
})();
