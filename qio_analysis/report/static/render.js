(function () {
  "use strict";
  // Each chart's JSON carries its plotly config, written in Python by
  // qio_analysis.figures.template.plotly_config() (no cloud button, no server URL).
  // A chart without one (an old report) is drawn with no modebar at all.
  var NO_MODEBAR = { showSendToCloud: false, plotlyServerURL: "", displayModeBar: false, responsive: true };
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
    Plotly.newPlot(target, fig.data, fig.layout, fig.config || NO_MODEBAR);
  }
})();
