// Behaviour the pages need, kept out of the HTML so the Content-Security-Policy can forbid inline script.
// A control marked data-autosubmit submits its form as soon as it changes (search facets).
document.addEventListener("change", function (event) {
  var control = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
  if (control && control.form) {
    control.form.submit();
  }
});
