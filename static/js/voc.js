// Voice of the Customer charts, drawn from json_script data (no inline script).
// <canvas data-voc-chart="comparison|history" data-source="ID" data-label-rate="…"
//         data-label-interval="…" data-label-peer="…">: the legend's words come translated
// from the page (UX-3).
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") return;
  const colours = {
    rate: "#c2410c",
    peer: "#0b6bcb",
    band: "rgba(194, 65, 12, 0.15)",
    // The interval is drawn over the rate's bar: dark enough to read on the orange bar and
    // on the page's white, translucent so the rate's end shows through it.
    whisker: "#1b2430",
    whiskerFill: "rgba(27, 36, 48, 0.28)",
  };
  const percent = { callback: (value) => `${value}%` };
  document.querySelectorAll("canvas[data-voc-chart]").forEach((canvas) => {
    const rows = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
    const labels = {
      rate: canvas.dataset.labelRate || "NCX rate",
      interval: canvas.dataset.labelInterval || "95% interval",
      peer: canvas.dataset.labelPeer || "Similar offers",
    };
    if (canvas.dataset.vocChart === "comparison") {
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map((row) => row.label),
          datasets: [
            // Chart.js paints the highest `order` first: the rate's bar at the bottom, the
            // interval's narrower bar over it, so the interval is never hidden by the rate.
            { label: labels.rate, order: 2, data: rows.map((row) => row.rate),
              backgroundColor: [colours.rate, colours.peer], barPercentage: 0.8 },
            { label: labels.interval, order: 1, data: rows.map((row) =>
                row.low === undefined ? null : [row.low, row.high]),
              backgroundColor: colours.whiskerFill, borderColor: colours.whisker,
              borderWidth: 2, borderSkipped: false, barPercentage: 0.3 },
          ],
        },
        options: { indexAxis: "y", maintainAspectRatio: false, grouped: false,
                   scales: { x: { min: 0, ticks: percent } },
                   // The legend in the datasets' order, whatever order they are painted in.
                   plugins: { legend: { labels: {
                     sort: (a, b) => a.datasetIndex - b.datasetIndex } } } },
      });
      return;
    }
    new Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map((row) => row.week),
        datasets: [
          { label: labels.interval, data: rows.map((row) => row.high), borderWidth: 0,
            pointRadius: 0, backgroundColor: colours.band, fill: "+1" },
          { label: "", data: rows.map((row) => row.low), borderWidth: 0, pointRadius: 0 },
          { label: labels.rate, data: rows.map((row) => row.rate), borderColor: colours.rate,
            tension: 0.2 },
          { label: labels.peer, data: rows.map((row) => row.peer),
            borderColor: colours.peer, borderDash: [6, 4], tension: 0.2 },
        ],
      },
      options: { maintainAspectRatio: false, spanGaps: true,
                 scales: { y: { min: 0, ticks: percent } },
                 // The interval's lower edge only bounds the band: no legend entry of its own.
                 plugins: { legend: { labels: { filter: (item) => item.datasetIndex !== 1 } } } },
    });
  });
});
