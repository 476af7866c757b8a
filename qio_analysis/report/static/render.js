(function () {
  "use strict";
  // Each chart's JSON carries its plotly config, written in Python by
  // qio_analysis.figures.template.plotly_config() (no cloud button, no server URL).
  // A chart without one (an old report) is drawn with no modebar at all.
  var NO_MODEBAR = { showSendToCloud: false, plotlyServerURL: "", displayModeBar: false, responsive: true };

  // The chart is one image to assistive technology, named by its description: the first
  // plotly layer becomes role="img", the others (legend, hover labels) are hidden from the
  // accessibility tree. The modebar's buttons stay outside the image, so nothing focusable
  // sits inside it. A tagged PDF turns the image into a Figure whose /Alt is this name.
  function label(gd) {
    var described = document.getElementById(gd.id + "-alt");
    var layers = gd.querySelectorAll("svg.main-svg");
    for (var i = 0; i < layers.length; i++) {
      if (i === 0 && described) {
        layers[i].setAttribute("role", "img");
        layers[i].setAttribute("aria-label", described.textContent);
        layers[i].removeAttribute("aria-hidden");
      } else {
        layers[i].setAttribute("aria-hidden", "true");
      }
    }
  }

  // Draw every chart of the page. Printing passes {heightFactor, staticPlot}: charts are
  // drawn once, at their printed height (heatmaps, and charts whose meta counts rows, keep
  // theirs: one labelled row per organisation, never squeezed until labels are dropped)
  // and without hover or drag layers, which paper never shows. Resolves when all are drawn.
  function drawCharts(options) {
    options = options || {};
    var drawn = [];
    var blocks = document.querySelectorAll("script.qio-plot-data");
    for (var i = 0; i < blocks.length; i++) {
      var target = document.getElementById(blocks[i].getAttribute("data-target"));
      if (typeof Plotly === "undefined") {
        target.className += " qio-plot-missing";
        target.textContent = "This chart needs plotly.js, which should sit in the assets folder next to the reports. " +
          "Its description and data are below.";
        continue;
      }
      var fig = JSON.parse(blocks[i].textContent);
      var layout = fig.layout || {};
      var config = fig.config || NO_MODEBAR;
      var heatmap = (fig.data || []).some(function (t) { return t && t.type === "heatmap"; });
      var perRow = heatmap || Boolean(layout.meta && layout.meta.rows);
      if (options.heightFactor && !perRow) {
        // Shorter on paper, but never so short that the fixed margins (title, legend, axis
        // titles, in pixels) leave no room for the plot itself.
        var full = layout.height || target.clientHeight || 450;
        var margin = layout.margin || {};
        var least = Math.min(full, (margin.t || 80) + (margin.b || 80) + 90);
        var height = Math.max(least, Math.round(full * options.heightFactor));
        layout = Object.assign({}, layout, { height: height });
        target.style.height = height + "px";
      }
      if (options.staticPlot) config = Object.assign({}, config, { staticPlot: true });
      // react, not newPlot: on a fresh div it is the same; on a chart already drawn (printing
      // reuses the last report's), it redraws only what changed.
      drawn.push(Plotly.react(target, fig.data, layout, config).then(function (gd) {
        label(gd);
        if (!gd.qioLabelled) {
          gd.on("plotly_afterplot", function () { label(gd); });
          gd.qioLabelled = true;
        }
        return gd;
      }));
    }
    return Promise.all(drawn);
  }

  window.qioDrawCharts = drawCharts;
  if (!window.qioPrintShell) drawCharts();
})();
