// Trend charts: a <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
// ([{week, value, answers, shown}]). No inline script, so the pages keep a strict CSP.
//
// UX-7: a week whose value is not shown (CS-5: fewer answers than the minimum; `shown` false,
// `value` null) is never drawn as a value: the line leaves a gap there, and a grey column
// covers the week, named in the legend and the tooltip by the canvas's data-gap-label.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const rows = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    const shown = (row) => row.shown !== false && row.value !== null;
    const answersLabel = canvas.dataset.answersLabel || "Answers";
    const datasets = [
      {
        label: canvas.getAttribute("aria-label"),
        data: rows.map((row) => (shown(row) ? row.value : null)),
        borderColor: "#0b6bcb",
        backgroundColor: "#0b6bcb",
        tension: 0.2,
        spanGaps: false,
      },
    ];
    if (rows.some((row) => !shown(row))) {
      datasets.push({
        type: "bar",
        label: canvas.dataset.gapLabel || "Not rated",
        // The column spans the whole scale: it marks the week, it is not a value.
        data: rows.map((row) => (shown(row) ? null : 10)),
        backgroundColor: "rgba(91, 102, 117, 0.16)",
        borderWidth: 0,
        barPercentage: 1,
        categoryPercentage: 1,
        gap: true,
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: rows.map((row) => row.week), datasets },
      options: {
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 10 } },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => {
                const row = rows[item.dataIndex];
                return item.dataset.gap
                  ? `${item.dataset.label} (${answersLabel}: ${row.answers})`
                  : `${item.formattedValue} (${answersLabel}: ${row.answers})`;
              },
            },
          },
        },
      },
    });
  });
});
