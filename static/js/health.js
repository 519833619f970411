// Account health (PM-6): one trend per metric card. A <canvas data-health-chart="ID"
// data-unit="rate|stars|score|count|points"> is drawn from the JSON in <script id="ID">
// ([{week, value, status}]), rates shown in percent. No inline script (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("canvas[data-health-chart]").forEach((canvas) => {
    const rows = JSON.parse(document.getElementById(canvas.dataset.healthChart).textContent);
    const percent = canvas.dataset.unit === "rate";
    const y = { beginAtZero: true };
    if (canvas.dataset.unit === "stars") Object.assign(y, { min: 1, max: 5 });
    if (canvas.dataset.unit === "score") Object.assign(y, { min: 0, max: 10 });
    new Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map((row) => row.week),
        datasets: [{
          label: canvas.getAttribute("aria-label"),
          data: rows.map((row) => (row.value === null ? null : percent ? row.value * 100 : row.value)),
          borderColor: "#0b6bcb", pointRadius: 0, tension: 0.2, spanGaps: true,
        }],
      },
      options: { maintainAspectRatio: false, animation: false, scales: { y },
                 plugins: { legend: { display: false } } },
    });
  });
});
