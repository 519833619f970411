"""OpenAPI (API-7): how our token authentication is described in the schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sellercx.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A seller-scoped token (made on the dashboard's API tokens page) or a "
                "marketplace-scoped integration token (made by marketplace staff in the admin)."
            ),
        }
