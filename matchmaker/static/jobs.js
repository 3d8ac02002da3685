/* Progress of a background job: polls the element's data-job-status-url every second and
   updates the bar and the message; goes to done_url when the job has finished.
   Vendored, no dependencies, no inline script (the page works without it: it refreshes itself). */
(function () {
  "use strict";
  function watch(box) {
    var url = box.getAttribute("data-job-status-url");
    var bar = box.querySelector("[data-job-progress]");
    var percent = box.querySelector("[data-job-percent]");
    var message = box.querySelector("[data-job-message]");
    var done = box.querySelector("[data-job-done]");
    var failed = box.querySelector("[data-job-failed]");
    function poll() {
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (job) {
          box.setAttribute("data-status", job.status);
          if (bar) { bar.value = job.progress; bar.textContent = job.percent; }
          if (percent) { percent.textContent = job.percent; }
          if (message) { message.textContent = job.message; message.className = job.failed ? "field-error" : ""; }
          if (job.status === "done") {
            if (done) { done.hidden = false; }
            if (job.done_url) { window.location.assign(job.done_url); }
          } else if (job.failed) {
            if (failed) { failed.hidden = false; }
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    var status = box.getAttribute("data-status");
    if (status === "queued" || status === "running") { poll(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-job-status-url]");
    for (var i = 0; i < boxes.length; i++) { watch(boxes[i]); }
  });
})();
