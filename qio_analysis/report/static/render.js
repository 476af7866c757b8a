(function () {
  "use strict";
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
    Plotly.newPlot(target, fig.data, fig.layout, {
      responsive: true, displaylogo: false, showLink: false,
      modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"]
    });
  }
})();
