/* Datasette's column menu (its static table.js) in the reader's language and usable by keyboard.
   Texts come from the JSON block #kaifang-table-menu (written by table.html from
   publish/i18n.py), which also carries the allow_facet setting table.js reads from
   DATASETTE_ALLOW_FACET; both used to be inline scripts, which the portal's
   Content-Security-Policy refuses. Each cog icon becomes a focusable button: Enter or Space
   opens the menu and focuses its first link, Escape closes it and returns focus to the icon. */
(function () {
  var block = document.getElementById("kaifang-table-menu");
  var messages = block ? JSON.parse(block.textContent) : { items: {} };
  window.DATASETTE_ALLOW_FACET = Boolean(messages.allowFacet);
  document.querySelectorAll('.filter-row a[aria-label="Remove this filter"]').forEach(function (link) {
    link.setAttribute("aria-label", messages.removeFilter);
  });
  var menu = document.querySelector("body > .dropdown-menu");
  if (!menu) {
    return;
  }
  Object.keys(messages.items).forEach(function (className) {
    var link = menu.querySelector("a." + className);
    if (link) {
      link.textContent = messages.items[className];
    }
  });
  var typeLine = menu.querySelector(".dropdown-column-type");
  function translateTypeLine() {
    if (typeLine && typeLine.textContent.indexOf("Type: ") === 0) {
      typeLine.textContent = messages.type + typeLine.textContent.slice(6);
    }
  }
  var openedFrom = null;
  document.querySelectorAll(".dropdown-menu-icon").forEach(function (icon) {
    var th = icon.closest("th");
    icon.setAttribute("tabindex", "0");
    icon.setAttribute("role", "button");
    icon.setAttribute("aria-haspopup", "true");
    icon.setAttribute("aria-label", messages.label + " " + th.getAttribute("data-column"));
    icon.addEventListener("click", translateTypeLine);
    icon.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") {
        return;
      }
      event.preventDefault();
      openedFrom = icon;
      icon.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      var visible = Array.from(menu.querySelectorAll("li")).filter(function (item) {
        return item.style.display !== "none";
      });
      if (visible.length) {
        visible[0].querySelector("a").focus();
      }
    });
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      menu.style.display = "none";
      if (openedFrom) {
        openedFrom.focus();
      }
    }
  });
})();
