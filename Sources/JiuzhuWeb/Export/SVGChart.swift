import Foundation

/// Server-drawn SVG charts: horizontal bars with their labels and values, no script.
enum SVGChart {
    static func bars(title: String, items: [(label: String, value: Int64, text: String)], width: Int = 640) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        let rowH = 22, labelW = 160, top = 28
        let height = top + max(1, items.count) * rowH + 8
        let maxAbs = max(1, items.map { abs($0.value) }.max() ?? 1)
        let hasNegative = items.contains { $0.value < 0 }
        let barSpace = width - labelW - 120
        let zero = labelW + (hasNegative ? barSpace / 2 : 0)
        let scale = Double(hasNegative ? barSpace / 2 : barSpace) / Double(maxAbs)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-size=\"12\">"
        svg += "<title>\(esc(title))</title><text x=\"0\" y=\"16\" font-weight=\"bold\">\(esc(title))</text>"
        for (i, item) in items.enumerated() {
            let y = top + i * rowH
            let w = Int((Double(abs(item.value)) * scale).rounded())
            let x = item.value < 0 ? zero - w : zero
            svg += "<text x=\"0\" y=\"\(y + 14)\">\(esc(item.label))</text>"
            svg += "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(max(w, 1))\" height=\"14\" fill=\"\(item.value < 0 ? "#2e7d32" : "#9b1c1c")\"/>"
            svg += "<text x=\"\(item.value < 0 ? zero + 4 : zero + w + 4)\" y=\"\(y + 14)\">\(esc(item.text))</text>"
        }
        svg += "<line x1=\"\(zero)\" y1=\"\(top)\" x2=\"\(zero)\" y2=\"\(height - 6)\" stroke=\"#666\"/></svg>"
        return svg
    }
}
