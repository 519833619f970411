// Voice of the Customer charts, drawn from json_script data (no inline script).
// <canvas data-voc-chart="comparison|history" data-source="ID">.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") return;
  const colours = { rate: "#c2410c", band: "rgba(194, 65, 12, 0.15)", peer: "#0b6bcb" };
  document.querySelectorAll("canvas[data-voc-chart]").forEach((canvas) => {
    const rows = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
    const percent = { callback: (value) => `${value}%` };
    if (canvas.dataset.vocChart === "comparison") {
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map((row) => row.label),
          datasets: [
            { label: "NCX rate (%)", data: rows.map((row) => row.rate),
              backgroundColor: [colours.rate, colours.peer] },
            { label: "Interval (%)", type: "bar", data: rows.map((row) =>
                row.low === undefined ? null : [row.low, row.high]),
              backgroundColor: colours.band, borderColor: colours.rate, borderWidth: 1 },
          ],
        },
        options: { indexAxis: "y", maintainAspectRatio: false, grouped: false,
                   scales: { x: { min: 0, ticks: percent } } },
      });
      return;
    }
    new Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map((row) => row.week),
        datasets: [
          { label: "95% interval", data: rows.map((row) => row.high), borderWidth: 0,
            pointRadius: 0, backgroundColor: colours.band, fill: "+1" },
          { label: "interval-low", data: rows.map((row) => row.low), borderWidth: 0,
            pointRadius: 0 },
          { label: "NCX rate (%)", data: rows.map((row) => row.rate), borderColor: colours.rate,
            tension: 0.2 },
          { label: "Similar offers (%)", data: rows.map((row) => row.peer),
            borderColor: colours.peer, borderDash: [6, 4], tension: 0.2 },
        ],
      },
      options: { maintainAspectRatio: false, spanGaps: true,
                 scales: { y: { min: 0, ticks: percent } },
                 plugins: { legend: { labels: { filter: (item) => item.text !== "interval-low" } } } },
    });
  });
});
