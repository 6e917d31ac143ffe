/* Draw every Vega-Lite chart of the page with the vendored vega-embed (no network needed). */
document.querySelectorAll(".chart-canvas[data-spec]").forEach(function (element) {
  vegaEmbed(element, JSON.parse(element.dataset.spec), { actions: false, renderer: "svg" });
});
