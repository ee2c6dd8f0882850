import JiuzhuCore
import Yams

/// Reads a pack from YAML. Scalars are read as the text written (never as YAML floats), so
/// `0.15` is the exact decimal 0.15. Every error names the pack, the line and the parameter.
///
/// ```yaml
/// id: reference
/// name: 参考规则集
/// divisions: []                 # county, prefecture or province codes
/// parameters:
///   S_urban:
///     description: 城市低保标准（每人每月）
///     unit: fen
///     citation: "shared/spec/reference-rules.md; 双办发〔2021〕14号 三(一)"
///     provisional: true         # optional: 待核定
///     values:
///       2020-01-01: 70000
/// ```
public enum PackLoader {
    public static func load(yaml text: String, name fileName: String) throws(PolicyError) -> PolicyPack {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw PolicyError(pack: fileName, "the file is empty") }
            root = node
        } catch let e as PolicyError {
            throw e
        } catch {
            throw PolicyError(pack: fileName, "not valid YAML: \(error)")
        }
        guard let top = root.mapping else { throw PolicyError(pack: fileName, line: line(root), "the top level must be a mapping") }
        func field(_ key: String) -> Node? { top[Node(key)] }
        guard let id = field("id")?.scalar?.string, !id.isEmpty else {
            throw PolicyError(pack: fileName, line: line(root), "id is required")
        }
        let name = field("name")?.scalar?.string ?? id
        var divisions: [DivisionCode] = []
        if let list = field("divisions") {
            guard let seq = list.sequence else { throw PolicyError(pack: id, line: line(list), "divisions must be a list of codes") }
            for d in seq {
                guard let text = d.scalar?.string, let code = try? DivisionCode(text) else {
                    throw PolicyError(pack: id, line: line(d), "'\(d.scalar?.string ?? "?")' is not a division code")
                }
                divisions.append(code)
            }
        }
        for key in top.keys {
            guard let k = key.scalar?.string, ["id", "name", "divisions", "parameters"].contains(k) else {
                throw PolicyError(pack: id, line: line(key), "unknown key '\(key.scalar?.string ?? "?")' (expected id, name, divisions, parameters)")
            }
        }
        guard let params = field("parameters")?.mapping else {
            throw PolicyError(pack: id, line: line(root), "parameters is required and must be a mapping")
        }
        var parameters: [String: Parameter] = [:]
        for (keyNode, node) in params {
            guard let pname = keyNode.scalar?.string else { throw PolicyError(pack: id, line: line(keyNode), "a parameter name must be text") }
            parameters[pname] = try parameter(pname, node, pack: id)
        }
        return PolicyPack(id: id, name: name, divisions: divisions, parameters: parameters)
    }

    static func line(_ node: Node) -> Int? { node.mark?.line }

    static func parameter(_ name: String, _ node: Node, pack: String) throws(PolicyError) -> Parameter {
        guard let m = node.mapping else { throw PolicyError(pack: pack, parameter: name, line: line(node), "must be a mapping") }
        func text(_ key: String, required: Bool = true) throws(PolicyError) -> String? {
            guard let v = m[Node(key)] else {
                if required { throw PolicyError(pack: pack, parameter: name, line: line(node), "\(key) is required") }
                return nil
            }
            guard let s = v.scalar?.string else { throw PolicyError(pack: pack, parameter: name, line: line(v), "\(key) must be text") }
            return s
        }
        for key in m.keys {
            let k = key.scalar?.string ?? "?"
            guard ["description", "unit", "citation", "provisional", "values"].contains(k) else {
                throw PolicyError(pack: pack, parameter: name, line: line(key), "unknown key '\(k)'")
            }
        }
        let description = try text("description")!
        let unitText = try text("unit")!
        guard let unit = ParameterUnit(rawValue: unitText) else {
            throw PolicyError(pack: pack, parameter: name, line: line(node),
                              "unknown unit '\(unitText)' (known: \(ParameterUnit.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let citation = try text("citation")!
        var provisional = false
        if let p = try text("provisional", required: false) {
            guard p == "true" || p == "false" else {
                throw PolicyError(pack: pack, parameter: name, line: line(node), "provisional must be true or false")
            }
            provisional = p == "true"
        }
        guard let valuesNode = m[Node("values")], let values = valuesNode.mapping, !values.isEmpty else {
            throw PolicyError(pack: pack, parameter: name, line: line(node), "values is required: a mapping of YYYY-MM-DD to a value")
        }
        var out: [(Day, ParameterValue)] = []
        for (dayNode, valueNode) in values {
            let dayText = dayNode.scalar?.string ?? "?"
            let day: Day
            do { day = try Day(parsing: dayText) } catch {
                throw PolicyError(pack: pack, parameter: name, line: line(dayNode), "'\(dayText)' is not a date YYYY-MM-DD")
            }
            if let last = out.last, last.0 >= day {
                throw PolicyError(pack: pack, parameter: name, line: line(dayNode), "dates must be in increasing order: \(day) after \(last.0)")
            }
            out.append((day, try value(valueNode, unit: unit, parameter: name, pack: pack)))
        }
        return Parameter(name: name, description: description, unit: unit, citation: citation, provisional: provisional,
                         values: out.map { (from: $0.0, value: $0.1) })
    }

    /// Reads one value of `unit` (also used for `--set name=value`).
    public static func value(text: String, unit: ParameterUnit, parameter: String, pack: String) throws(PolicyError) -> ParameterValue {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try value(items: items, single: text.trimmingCharacters(in: .whitespaces), unit: unit, parameter: parameter, pack: pack, line: nil)
    }

    static func value(_ node: Node, unit: ParameterUnit, parameter: String, pack: String) throws(PolicyError) -> ParameterValue {
        if let seq = node.sequence {
            let items = seq.compactMap { $0.scalar?.string }
            guard items.count == seq.count else { throw PolicyError(pack: pack, parameter: parameter, line: line(node), "list items must be plain values") }
            guard unit == .list || unit == .integers else {
                throw PolicyError(pack: pack, parameter: parameter, line: line(node), "a \(unit.rawValue) value cannot be a list")
            }
            return try value(items: items, single: "", unit: unit, parameter: parameter, pack: pack, line: line(node))
        }
        guard let s = node.scalar?.string else {
            throw PolicyError(pack: pack, parameter: parameter, line: line(node), "a value must be a plain value or a list")
        }
        return try value(items: [s], single: s, unit: unit, parameter: parameter, pack: pack, line: line(node))
    }

    static func value(items: [String], single: String, unit: ParameterUnit, parameter: String, pack: String, line: Int?) throws(PolicyError) -> ParameterValue {
        func bad(_ why: String) -> PolicyError { PolicyError(pack: pack, parameter: parameter, line: line, why) }
        switch unit {
        case .fen:
            guard let n = Int64(single), n >= 0 else { throw bad("'\(single)' is not a whole number of fen ≥ 0") }
            return .money(Money(fen: n))
        case .rate, .multiple:
            do { return .rate(try Rate(parsing: single)) } catch { throw bad(error.description) }
        case .months, .years, .count:
            guard let n = Int64(single), n >= 0 else { throw bad("'\(single)' is not a whole number ≥ 0") }
            return .integer(n)
        case .list:
            return .names(items)
        case .integers:
            var out: [Int64] = []
            for i in items {
                guard let n = Int64(i) else { throw bad("'\(i)' is not a whole number") }
                out.append(n)
            }
            return .integers(out)
        case .choice:
            guard !single.isEmpty else { throw bad("a choice cannot be empty") }
            return .choice(single)
        }
    }
}
