// Swagger UI on the public OpenAPI document. Everything is loaded from the gateway itself: no validator badge
// (it would call validator.swagger.io), no external fonts, and the page's Content-Security-Policy allows only 'self'.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
