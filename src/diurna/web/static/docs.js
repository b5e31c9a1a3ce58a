// Swagger UI over this app's OpenAPI schema (served from the app: no CDN, no inline script).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
