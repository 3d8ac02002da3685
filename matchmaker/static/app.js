// Behaviour the pages need, kept out of the HTML so the Content-Security-Policy can forbid inline script.
// A control marked data-autosubmit submits its form as soon as it changes (search facets).
document.addEventListener("change", function (event) {
  var control = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
  if (control && control.form) {
    control.form.submit();
  }
});

// A button (or form) marked data-confirm asks before an action that cannot be taken back is sent:
// cancelling an order, removing a fair participant or a member, disabling a login, revoking a token.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var text = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (text && !window.confirm(text)) {
    event.preventDefault();
  }
});
