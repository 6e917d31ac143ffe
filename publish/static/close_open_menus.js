/* Datasette's _close_open_menus.html as a file, so the Content-Security-Policy needs no inline
   script: a click outside an open <details> menu closes it. */
document.addEventListener("click", function (event) {
  var clickedWithin = event.target.closest ? event.target.closest("details") : null;
  Array.from(document.getElementsByTagName("details"))
    .filter(function (details) {
      return details.open && details !== clickedWithin;
    })
    .forEach(function (details) {
      details.open = false;
    });
});
