// Trend charts: a <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
// ([{week, value}]). No inline script, so the pages keep a strict CSP.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const rows = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map((row) => row.week),
        datasets: [{ label: canvas.getAttribute("aria-label"), data: rows.map((row) => row.value),
                     borderColor: "#0b6bcb", tension: 0.2 }],
      },
      options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 10 } },
                 plugins: { legend: { display: false } } },
    });
  });
});
