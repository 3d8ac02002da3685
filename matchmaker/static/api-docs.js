// Starts Swagger UI (vendor/swagger-ui) on the API's own OpenAPI document: no inline script, so the
// page runs under the app's Content-Security-Policy, and nothing is fetched from outside.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: false,
    persistAuthorization: false
  });
});
