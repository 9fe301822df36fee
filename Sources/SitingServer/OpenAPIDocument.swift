import Foundation

/// The OpenAPI 3.1 document served at `/openapi.json`.
enum OpenAPIDocument {
    static let json = Data(text.utf8)

    static let text = """
        {"openapi":"3.1.0","info":{"title":"Siting","version":"1.0.0"},"paths":{}}
        """
}
