/* Draw every Vega-Lite chart of the page with the vendored vega-embed (no network needed).
   The portal's Content-Security-Policy allows neither eval nor inline styles, so expressions
   run in vega-interpreter (ast + expr), and neither vega-embed nor its tooltip adds a <style>
   element of its own: their few rules are in portal.css. */
document.querySelectorAll(".chart-canvas[data-spec]").forEach(function (element) {
  vegaEmbed(element, JSON.parse(element.dataset.spec), {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: vega.expressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  });
});
