// Swagger UI over the engine's own API description (docs/openapi.json, served from the jar).
// "Authorize" takes the API key as a bearer token; Swagger UI keeps it in memory only
// (persistAuthorization off), and "Try it out" calls this engine's /api/v1 (the description's
// server is relative). No validator: Swagger UI would otherwise send the description to an
// outside validation service.
window.addEventListener('DOMContentLoaded', () => {
  window.ui = SwaggerUIBundle({
    url: '/api/docs/openapi.json',
    dom_id: '#swagger-ui',
    validatorUrl: null,
    persistAuthorization: false,
    deepLinking: false,
    displayRequestDuration: true,
  });
});
