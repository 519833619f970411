// Account health (PM-6): one trend per metric card. A <canvas data-health-chart="ID"
// data-unit="rate|stars|score|count|points" data-places="N"> is drawn from the JSON in
// <script id="ID"> ([{week, value}]). Numbers read in the page's language (UX-3: a decimal
// comma in French and Polish), rates in percent. No inline script (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  const language = document.documentElement.lang || undefined;
  document.querySelectorAll("canvas[data-health-chart]").forEach((canvas) => {
    const rows = JSON.parse(document.getElementById(canvas.dataset.healthChart).textContent);
    const unit = canvas.dataset.unit;
    const places = Number(canvas.dataset.places || 1);
    const percent = unit === "rate";
    // The card's decimals (``Definition.places``), in percent for rates (values are 0..1).
    const format = (value, digits) => new Intl.NumberFormat(language, {
      style: percent ? "percent" : "decimal",
      maximumFractionDigits: digits,
    }).format(value);
    const suffix = unit === "stars" ? " ★" : unit === "score" ? " / 10" : "";
    const y = {
      beginAtZero: true,
      ticks: { callback: (value) => format(value, places) },
    };
    if (unit === "stars") Object.assign(y, { min: 1, max: 5 });
    if (unit === "score") Object.assign(y, { min: 0, max: 10 });
    new Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map((row) => row.week),
        datasets: [{
          label: canvas.getAttribute("aria-label"),
          data: rows.map((row) => row.value),
          borderColor: "#0b6bcb", pointRadius: 0, tension: 0.2, spanGaps: true,
        }],
      },
      options: {
        maintainAspectRatio: false, animation: false, locale: language, scales: { y },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => format(item.parsed.y, places) + suffix,
            },
          },
        },
      },
    });
  });
});
