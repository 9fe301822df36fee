import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG read back with Foundation's XML parser, an implementation independent of the writer: every
/// element in document order with its attributes, the ids of the elements around it and its text.
final class SVGDocument: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// Ids of the enclosing elements, outermost first.
        var enclosingIds: [String]
        var text: String

        func number(_ attribute: String) -> Double? {
            attributes[attribute].flatMap(Double.init)
        }
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var parseError: (any Error)?

    /// The parsed document, or nil when the text is not well-formed XML.
    static func parse(_ svg: String) -> SVGDocument? {
        let document = SVGDocument()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = document
        guard parser.parse(), document.parseError == nil else { return nil }
        return document
    }

    var root: Element? { elements.first }

    /// Elements named `name` inside the element with id `id`.
    func elements(_ name: String, inside id: String) -> [Element] {
        elements.filter { $0.name == name && $0.enclosingIds.contains(id) }
    }

    func element(id: String) -> Element? {
        elements.first { $0.attributes["id"] == id }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        let enclosing = open.compactMap { elements[$0].attributes["id"] }
        elements.append(Element(name: elementName, attributes: attributes, enclosingIds: enclosing, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
        parseError = error
    }
}
