// UX-5, UX-6 on the order page: "Contact the buyer" is sent in place (htmx swaps its section),
// and FB-11 makes a proactive message and a review request exclude each other. Once the
// contact section comes back, the review request's section is read again from the page, so
// the seller never sees a "Request a review" button the message has just ruled out.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof htmx === "undefined") return;
  htmx.onLoad((element) => {
    if (element.id !== "contact-buyer" || !document.getElementById("review-request")) return;
    htmx.ajax("GET", window.location.href, {
      target: "#review-request", select: "#review-request", swap: "outerHTML",
    });
  });
});
